/* Word lists for fictional people and places (no real persons). */
#ifndef GEN_NAMES_H
#define GEN_NAMES_H

extern const char *const FIRST_NAMES[];
extern const int NFIRST_NAMES;
extern const char *const LAST_NAMES[];
extern const int NLAST_NAMES;
extern const char *const PLACES[];
extern const int NPLACES;

#endif
