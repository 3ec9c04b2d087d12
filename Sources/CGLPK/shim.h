// GNU GLPK (Debian: libglpk-dev), the MILP solver behind `bordersim staff --shifts`.
// Debian ships no pkg-config file for it: the header is in /usr/include and the library links as -lglpk.
#ifndef BORDERSIM_CGLPK_SHIM_H
#define BORDERSIM_CGLPK_SHIM_H
#include <glpk.h>
#endif
