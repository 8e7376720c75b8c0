/* placeholder until the module lands */
typedef int al_array_placeholder;
