/* The `callmap` command line. */
#include "commands.h"
#include "options.h"
#include "registry.h"
#include "run.h"
#include "util.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "Usage: callmap [OPTIONS] COMMAND [ARGS]\n"
    "\n"
    "Collects telephony data (CDRs, invoices, HR exports) into one canonical SQLite store.\n"
    "\n"
    "Commands:\n"
    "  run PIPELINE          load what is new in the pipeline's inputs into its store\n"
    "  validate PIPELINE     check the pipeline file, its plugins and options; reads no data\n"
    "  plugins list          list the plugins found on the plugin path (and refused ones)\n"
    "  plugins show NAME     describe a plugin: its kinds and their options\n"
    "  analyze PIPELINE      compute the analysis tables in the pipeline's store\n"
    "  report PIPELINE -o FILE.html   the analysis as one self-contained HTML file\n"
    "  export PIPELINE TABLE -o FILE.csv   a table as CSV (--excel for Danish Excel)\n"
    "  staffing --calls N --interval MIN --aht S --target R --within S\n"
    "                        Erlang C staffing: agents, service level, ASA, occupancy\n"
    "  (each of these takes --help)\n"
    "\n"
    "Options:\n"
    "  --plugin-path DIRS    colon-separated folders searched for plugins first\n"
    "                        (then $CALLMAP_PLUGIN_PATH, then the installed plugins)\n"
    "  --reprocess           run: reload files already loaded, replacing their rows\n"
    "  --source ID           run: only this source (repeatable)\n"
    "  --json                run: print the summary as one JSON object on stdout\n"
    "  --wait SECONDS        run: wait this long for another run on the store (default 0)\n"
    "  -q, --quiet           no progress line or notes, only errors and the summary\n"
    "  -h, --help            this help\n"
    "  -V, --version         print the version\n"
    "\n"
    "Exit status: 0 all files loaded or skipped, 1 some file failed, 2 bad command line\n"
    "or pipeline, 3 the store is busy with another run.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fputs("callmap: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'callmap --help' for more information.\n", stderr);
    return CM_EXIT_USAGE;
}

static int plugins_list(cm_registry *r)
{
    printf("%-16s %-10s %-32s %s\n", "plugin", "version", "kinds", "file");
    for (size_t i = 0; i < r->nplugins; i++) {
        const cm_plugin *p = r->plugins[i].desc;
        char kinds[256] = "";
        for (const cm_kind *k = p->kinds; k->name; k++) {
            if (kinds[0])
                strncat(kinds, ",", sizeof kinds - strlen(kinds) - 1);
            strncat(kinds, k->name, sizeof kinds - strlen(kinds) - 1);
        }
        printf("%-16s %-10s %-32s %s\n", p->name, p->version, kinds, r->plugins[i].path);
    }
    if (r->nplugins == 0) {
        printf("(no plugins found; searched:");
        for (size_t i = 0; i < r->ndirs; i++)
            printf(" %s", r->dirs[i]);
        printf(")\n");
    }
    for (size_t i = 0; i < r->nrefused; i++)
        printf("refused: %s: %s\n", r->refused[i].path, r->refused[i].reason);
    return CM_EXIT_OK;
}

static int plugins_show(cm_registry *r, const char *name)
{
    const cm_loaded_plugin *lp = cm_registry_find(r, name);
    if (!lp) {
        const cm_refused_plugin *f = cm_registry_find_refused(r, name);
        if (f)
            fprintf(stderr, "callmap: plugin '%s' was refused: %s: %s\n", name, f->path, f->reason);
        else
            fprintf(stderr, "callmap: no plugin named '%s' (see 'callmap plugins list')\n", name);
        return CM_EXIT_USAGE;
    }
    const cm_plugin *p = lp->desc;
    printf("%s %s — %s\n", p->name, p->version, p->description);
    printf("  file:    %s\n  license: %s\n  ABI:     %u.%u\n", lp->path, p->license, p->abi_major,
           p->abi_minor);
    for (const cm_kind *k = p->kinds; k->name; k++) {
        printf("\n  kind %s (%s, dataset %s)\n    %s\n", k->name, cm_kind_type_name(k->type),
               cm_dataset_name(k->dataset), k->description);
        printf("  options:\n");
        cm_options_print(stdout, k->options);
    }
    return CM_EXIT_OK;
}

int main(int argc, char **argv)
{
    /* Commands with options of their own parse their own command line. */
    static const struct {
        const char *name;
        int (*fn)(int argc, char **argv);
    } own[] = {
        {"staffing", cm_cmd_staffing},
        {"report", cm_cmd_report},
        {"export", cm_cmd_export},
        {"analyze", cm_cmd_analyze},
    };
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-')
            continue; /* the command is the first word that is not an option */
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            if (strcmp(argv[i], own[k].name) == 0 && i == 1)
                return own[k].fn(argc - 1, argv + 1);
        break;
    }
    enum { OPT_PLUGIN_PATH = 256, OPT_REPROCESS, OPT_SOURCE, OPT_JSON, OPT_WAIT };
    static const struct option longopts[] = {
        {"plugin-path", required_argument, NULL, OPT_PLUGIN_PATH},
        {"reprocess", no_argument, NULL, OPT_REPROCESS},
        {"source", required_argument, NULL, OPT_SOURCE},
        {"json", no_argument, NULL, OPT_JSON},
        {"wait", required_argument, NULL, OPT_WAIT},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    cm_run_opts o = {0};
    const char **sources = NULL;
    int run_only = 0, c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "qhV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_PLUGIN_PATH: o.plugin_path = optarg; break;
        case OPT_REPROCESS: o.reprocess = 1; run_only = 1; break;
        case OPT_SOURCE:
            sources = cm_xrealloc(sources, (o.nsources + 1) * sizeof *sources);
            sources[o.nsources++] = optarg;
            run_only = 1;
            break;
        case OPT_JSON: o.json = 1; run_only = 1; break;
        case OPT_WAIT: {
            char *end;
            o.wait_s = strtod(optarg, &end);
            if (!*optarg || *end || o.wait_s < 0) {
                free(sources);
                return usage_error("--wait needs a number of seconds, not '%s'", optarg);
            }
            run_only = 1;
            break;
        }
        case 'q': o.quiet = 1; break;
        case 'h': fputs(usage_text, stdout); free(sources); return CM_EXIT_OK;
        case 'V':
            printf("callmap %s (plugin ABI %d.%d)\n", CALLMAP_VERSION, CALLMAP_ABI_MAJOR,
                   CALLMAP_ABI_MINOR);
            free(sources);
            return CM_EXIT_OK;
        default:
            free(sources);
            if (optopt)
                return usage_error("option '-%c' is unknown or needs a value", (char[]){(char)optopt, 0});
            return usage_error("option '%s' is unknown or needs a value", argv[optind - 1]);
        }
    }
    o.sources = sources;
    int nargs = argc - optind;
    char **args = argv + optind;
    int rc;
    if (nargs == 0) {
        rc = usage_error("%s", "no command given");
    } else if (strcmp(args[0], "run") == 0 || strcmp(args[0], "validate") == 0) {
        if (nargs != 2) {
            rc = usage_error("'%s' needs exactly one pipeline file", args[0]);
        } else if (run_only && strcmp(args[0], "validate") == 0) {
            rc = usage_error("%s", "--reprocess, --source, --json and --wait only apply to 'run'");
        } else {
            o.pipeline = args[1];
            rc = strcmp(args[0], "run") == 0 ? cm_cmd_run(&o) : cm_cmd_validate(&o);
        }
    } else if (strcmp(args[0], "plugins") == 0) {
        const char *sub = nargs > 1 ? args[1] : "";
        if (run_only) {
            rc = usage_error("%s", "--reprocess, --source, --json and --wait only apply to 'run'");
        } else if (strcmp(sub, "list") == 0 && nargs == 2) {
            cm_registry *r = cm_registry_open(o.plugin_path);
            rc = plugins_list(r);
            cm_registry_close(r);
        } else if (strcmp(sub, "show") == 0 && nargs == 3) {
            cm_registry *r = cm_registry_open(o.plugin_path);
            rc = plugins_show(r, args[2]);
            cm_registry_close(r);
        } else {
            rc = usage_error("%s", "use 'plugins list' or 'plugins show NAME'");
        }
    } else {
        rc = usage_error("unknown command '%s'", args[0]);
    }
    free(sources);
    return rc;
}
