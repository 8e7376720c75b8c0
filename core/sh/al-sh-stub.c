/* placeholder until the module lands */
typedef int al_sh_placeholder;
