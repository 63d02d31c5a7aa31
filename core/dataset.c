#include "dataset.h"

#include <stddef.h>
#include <string.h>

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
    [CM_CALL_WRAP_S] = "wrap_s",
    [CM_CALL_IVR_CHOICE] = "ivr_choice",
    [CM_CALL_SHORT_ABANDON] = "short_abandon",
    [CM_CALL_AGENT] = "agent",
};

static const char *const cost_cols[CM_COST__COUNT] = {
    [CM_COST_SUPPLIER_CVR] = "supplier_cvr",
    [CM_COST_INVOICE_ID] = "invoice_id",
    [CM_COST_INVOICE_DATE] = "invoice_date",
    [CM_COST_PERIOD_START] = "period_start",
    [CM_COST_PERIOD_END] = "period_end",
    [CM_COST_BUYER_EAN] = "buyer_ean",
    [CM_COST_ACCOUNTING_COST] = "accounting_cost",
    [CM_COST_UNIT_ID] = "unit_id",
    [CM_COST_CATEGORY] = "category",
    [CM_COST_DESCRIPTION] = "description",
    [CM_COST_NUMBER] = "number",
    [CM_COST_QUANTITY] = "quantity",
    [CM_COST_AMOUNT_DKK] = "amount_dkk",
    [CM_COST_VAT_DKK] = "vat_dkk",
    [CM_COST_CURRENCY] = "currency",
    [CM_COST_LINE_ID] = "line_id",
};

static const char *const invoice_cols[CM_INV__COUNT] = {
    [CM_INV_INVOICE_ID] = "invoice_id",
    [CM_INV_DOCUMENT_TYPE] = "document_type",
    [CM_INV_CUSTOMIZATION_ID] = "customization_id",
    [CM_INV_ISSUE_DATE] = "issue_date",
    [CM_INV_PERIOD_START] = "period_start",
    [CM_INV_PERIOD_END] = "period_end",
    [CM_INV_SUPPLIER_CVR] = "supplier_cvr",
    [CM_INV_SUPPLIER_NAME] = "supplier_name",
    [CM_INV_SUPPLIER_ADDRESS] = "supplier_address",
    [CM_INV_BUYER_EAN] = "buyer_ean",
    [CM_INV_BUYER_NAME] = "buyer_name",
    [CM_INV_LINE_EXTENSION_DKK] = "line_extension_dkk",
    [CM_INV_TAX_DKK] = "tax_dkk",
    [CM_INV_PAYABLE_DKK] = "payable_dkk",
    [CM_INV_CURRENCY] = "currency",
    [CM_INV_LINES] = "lines",
};

static const char *const org_cols[CM_ORG__COUNT] = {
    [CM_ORG_UNIT_ID] = "unit_id",       [CM_ORG_NAME] = "name",
    [CM_ORG_PARENT_ID] = "parent_id",   [CM_ORG_EAN] = "ean",
    [CM_ORG_TYPE] = "type",             [CM_ORG_VALID_FROM] = "valid_from",
    [CM_ORG_VALID_TO] = "valid_to",
};

static const char *const employee_cols[CM_EMP__COUNT] = {
    [CM_EMP_EMPLOYEE_ID] = "employee_id", [CM_EMP_UNIT_ID] = "unit_id",
    [CM_EMP_NAME] = "name",               [CM_EMP_TITLE] = "title",
    [CM_EMP_VALID_FROM] = "valid_from",   [CM_EMP_VALID_TO] = "valid_to",
};

static const char *const assignment_cols[CM_NA__COUNT] = {
    [CM_NA_NUMBER] = "number",         [CM_NA_EMPLOYEE_ID] = "employee_id",
    [CM_NA_UNIT_ID] = "unit_id",       [CM_NA_KIND] = "kind",
    [CM_NA_VALID_FROM] = "valid_from", [CM_NA_VALID_TO] = "valid_to",
};

static const cm_dataset_def datasets[] = {
    {CM_DS_CALLS, "calls", CM_CALL__COUNT, call_cols},
    {CM_DS_COSTS, "costs", CM_COST__COUNT, cost_cols},
    {CM_DS_INVOICES, "invoices", CM_INV__COUNT, invoice_cols},
    {CM_DS_ORG_UNITS, "org_units", CM_ORG__COUNT, org_cols},
    {CM_DS_EMPLOYEES, "employees", CM_EMP__COUNT, employee_cols},
    {CM_DS_NUMBER_ASSIGNMENTS, "number_assignments", CM_NA__COUNT, assignment_cols},
};

const cm_dataset_def *cm_dataset_by_table(const char *table)
{
    for (size_t i = 0; i < sizeof datasets / sizeof *datasets; i++)
        if (strcmp(datasets[i].table, table) == 0)
            return &datasets[i];
    return NULL;
}

const cm_dataset_def *cm_dataset_get(cm_dataset id)
{
    for (size_t i = 0; i < sizeof datasets / sizeof *datasets; i++)
        if (datasets[i].id == id)
            return &datasets[i];
    return NULL;
}
