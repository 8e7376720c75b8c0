/* placeholder until the module lands */
typedef int al_encode_placeholder;
