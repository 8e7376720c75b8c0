/* placeholder until the module lands */
typedef int al_io_placeholder;
