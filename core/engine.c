/* Turning a parsed pipeline into runnable instances: plugin, kind, options,
 * zone and plugin state per step. Every problem is reported before any data
 * is read. */
#include "engine.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static char *kind_list(const cm_plugin *p)
{
    char *s = cm_xstrdup("");
    for (const cm_kind *k = p->kinds; k->name; k++) {
        char *n = cm_asprintf("%s%s%s", s, s[0] ? ", " : "", k->name);
        free(s);
        s = n;
    }
    return s;
}

static char *plugin_list(const cm_registry *r)
{
    char *s = cm_xstrdup("");
    for (size_t i = 0; i < r->nplugins; i++) {
        char *n = cm_asprintf("%s%s%s", s, s[0] ? ", " : "", r->plugins[i].desc->name);
        free(s);
        s = n;
    }
    return s;
}

static int resolve(cm_engine *e, cm_instance *in, cm_diag *diag)
{
    const cm_pl_step *st = in->step;
    const char *file = e->pl->file;
    int rc = 0;
    char err[512];
    const char *zone = st->timezone ? st->timezone : "Europe/Copenhagen";
    in->tz = cm_tz_load(zone, err, sizeof err);
    if (!in->tz) {
        cm_diag_addf_at(diag, file, st->line, "timezone: %s", err);
        rc = -1;
    }
    in->plugin = cm_registry_find(e->reg, st->plugin);
    if (!in->plugin) {
        const cm_refused_plugin *f = cm_registry_find_refused(e->reg, st->plugin);
        if (f) {
            cm_diag_addf_at(diag, file, st->line, "plugin '%s' was refused: %s: %s", st->plugin,
                            f->path, f->reason);
        } else {
            char *list = plugin_list(e->reg);
            cm_diag_addf_at(diag, file, st->line, "unknown plugin '%s'; available: %s",
                            st->plugin, list[0] ? list : "(none found on the plugin path)");
            free(list);
        }
        return -1;
    }
    in->kind = cm_plugin_find_kind(in->plugin->desc, st->kind);
    if (!in->kind) {
        char *list = kind_list(in->plugin->desc);
        cm_diag_addf_at(diag, file, st->line, "plugin '%s' has no kind '%s'; its kinds: %s",
                        st->plugin, st->kind, list);
        free(list);
        return -1;
    }
    int want = st->type == CM_STEP_SOURCE ? CM_KIND_SOURCE : CM_KIND_TRANSFORM;
    if ((int)in->kind->type != want) {
        cm_diag_addf_at(diag, file, st->line, "%s/%s is a %s kind and cannot be used as a <%s>",
                        st->plugin, st->kind, cm_kind_type_name(in->kind->type),
                        st->type == CM_STEP_SOURCE ? "source" : "transform");
        return -1;
    }
    char *what = cm_asprintf("%s/%s", st->plugin, st->kind);
    rc |= cm_options_build(in->kind->options, in->kind->config_size, st, file, what,
                              &in->config, diag);
    free(what);
    return rc;
}

int cm_engine_prepare(cm_engine *e, cm_diag *diag)
{
    size_t before = diag->n;
    e->ninst = e->pl->nsteps;
    e->inst = cm_xcalloc(e->ninst, sizeof *e->inst);
    for (size_t i = 0; i < e->ninst; i++) {
        e->inst[i].eng = e;
        e->inst[i].step = &e->pl->steps[i];
        resolve(e, &e->inst[i], diag);
    }
    if (diag->n != before)
        return -1;
    for (size_t i = 0; i < e->ninst; i++) {
        cm_instance *in = &e->inst[i];
        if (in->kind->init(&cm_host_api, in, in->config.data, &in->state) != CM_OK) {
            cm_diag_addf_at(diag, e->pl->file, in->step->line,
                            "%s/%s could not start with these options (see the messages above)",
                            in->step->plugin, in->step->kind);
            continue;
        }
        in->initialised = 1;
    }
    return diag->n == before ? 0 : -1;
}

void cm_engine_release(cm_engine *e)
{
    for (size_t i = 0; i < e->ninst; i++) {
        cm_instance *in = &e->inst[i];
        if (in->initialised && in->kind->destroy)
            in->kind->destroy(in->state);
        cm_config_free(&in->config);
        cm_tz_free(in->tz);
    }
    free(e->inst);
    e->inst = NULL;
    e->ninst = 0;
}
