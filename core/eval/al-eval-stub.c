/* placeholder until the module lands */
typedef int al_eval_placeholder;
