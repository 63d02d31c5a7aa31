/* The canonical datasets: which table each cm_dataset lands in and the column
 * name behind each index a plugin sets in a cm_record. */
#ifndef CM_DATASET_H
#define CM_DATASET_H

#include <callmap/plugin.h>

typedef struct cm_dataset_def {
    cm_dataset id;
    const char *table;
    unsigned ncols;            /* columns a plugin can set (the SDK enum's __COUNT) */
    const char *const *cols;   /* names, in the SDK enum's order */
} cm_dataset_def;

/* NULL for an unknown dataset. */
const cm_dataset_def *cm_dataset_get(cm_dataset id);
const cm_dataset_def *cm_dataset_by_table(const char *table);

#endif
