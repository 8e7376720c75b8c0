/* placeholder until the module lands */
typedef int al_dsp_placeholder;
