/* placeholder until the module lands */
typedef int al_plot_placeholder;
