/* placeholder until the module lands */
typedef int al_linalg_placeholder;
