#include "dataset.h"

#include <stddef.h>

static const char *const call_cols[CM_CALL__COUNT] = {
    [CM_CALL_SOURCE_CALL_ID] = "source_call_id",
    [CM_CALL_CALL_GROUP] = "call_group",
    [CM_CALL_START_UTC] = "start_utc",
    [CM_CALL_START_LOCAL] = "start_local",
    [CM_CALL_DURATION_S] = "duration_s",
    [CM_CALL_WAIT_S] = "wait_s",
    [CM_CALL_TALK_S] = "talk_s",
    [CM_CALL_DIRECTION] = "direction",
    [CM_CALL_LOCAL_NUMBER] = "local_number",
    [CM_CALL_REMOTE_NUMBER] = "remote_number",
    [CM_CALL_REMOTE_TYPE] = "remote_type",
    [CM_CALL_OUTCOME] = "outcome",
    [CM_CALL_TRANSFERRED] = "transferred",
    [CM_CALL_TRANSFERRED_TO] = "transferred_to",
    [CM_CALL_CHANNEL] = "channel",
    [CM_CALL_QUEUE] = "queue",
    [CM_CALL_EMPLOYEE_ID] = "employee_id",
    [CM_CALL_UNIT_ID] = "unit_id",
    [CM_CALL_CHARGE_DKK] = "charge_dkk",
    [CM_CALL_END_UTC] = "end_utc",
};

static const cm_dataset_def datasets[] = {
    {CM_DS_CALLS, "calls", CM_CALL__COUNT, call_cols},
};

const cm_dataset_def *cm_dataset_get(cm_dataset id)
{
    for (size_t i = 0; i < sizeof datasets / sizeof *datasets; i++)
        if (datasets[i].id == id)
            return &datasets[i];
    return NULL;
}
