#ifndef CM_SCHEMA_H
#define CM_SCHEMA_H

/* cm_schema_migrations[i] takes the store from user_version i to i+1. */
extern const char *const cm_schema_migrations[];
extern const int cm_schema_version;

#endif
