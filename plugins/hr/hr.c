/* The hr plugin's descriptor: three HR exports and the attribution. */
#include "hr.h"

static const cm_kind hr_kinds[] = {
    {
        .name = "org-units",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_ORG_UNITS,
        .description = "organisation units as CSV with a header: unit_id;name;parent_id;ean;"
                       "type;valid_from;valid_to (each file the complete current list)",
        .options = hr_org_options,
        .config_size = sizeof(hr_config),
        .init = hr_org_init,
        .read = hr_org_read,
        .destroy = hr_source_destroy,
        .flags = CM_KIND_SNAPSHOT,
    },
    {
        .name = "employees",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_EMPLOYEES,
        .description = "employees as CSV with a header: employee_id;unit_id;name;title;"
                       "valid_from;valid_to (each file the complete current list)",
        .options = hr_employee_options,
        .config_size = sizeof(hr_config),
        .init = hr_employee_init,
        .read = hr_employee_read,
        .destroy = hr_source_destroy,
        .flags = CM_KIND_SNAPSHOT,
    },
    {
        .name = "numbers",
        .type = CM_KIND_SOURCE,
        .dataset = CM_DS_NUMBER_ASSIGNMENTS,
        .description = "who has which phone number, as CSV with a header: number;employee_id;"
                       "unit_id;kind;valid_from;valid_to (each file the complete current list)",
        .options = hr_number_options,
        .config_size = sizeof(hr_config),
        .init = hr_number_init,
        .read = hr_number_read,
        .destroy = hr_source_destroy,
        .flags = CM_KIND_SNAPSHOT,
    },
    {
        .name = "attribute",
        .type = CM_KIND_TRANSFORM,
        .dataset = CM_DS_CALLS,
        .description = "at the end of a run: every call to the employee and unit that had its "
                       "local number that day, every cost line to a unit (by buyer EAN or number)",
        .options = NULL,
        .config_size = 0,
        .init = hr_attr_init,
        .destroy = hr_attr_destroy,
        .finish = hr_attr_finish,
    },
    {0},
};

CM_PLUGIN_DEFINE(.name = "hr", .version = "1.0.0",
                 .description = "HR exports (units, employees, number assignments) and the "
                                "attribution of calls and costs to them",
                 .license = "MIT", .kinds = hr_kinds);
