/* The store and the output file of `callmap report` and `callmap export`. */
#include "report_cli.h"
#include "report_data.h"
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

sqlite3 *rp_cli_open(const char *cmd, const char *pipeline_file, cm_pipeline **pl, int *rc)
{
    cm_diag diag;
    cm_diag_init(&diag);
    *pl = cm_pipeline_load(pipeline_file, &diag);
    for (size_t i = 0; i < diag.n; i++)
        fprintf(stderr, "%s\n", diag.msgs[i]);
    cm_diag_free(&diag);
    if (!*pl) {
        fprintf(stderr, "callmap %s: %s: the pipeline has problems; nothing was read\n", cmd,
                pipeline_file);
        *rc = 2;
        return NULL;
    }
    char err[1024];
    sqlite3 *db = rp_db_open((*pl)->store_path, err, sizeof err);
    if (!db) {
        fprintf(stderr, "callmap %s: %s\n", cmd, err);
        cm_pipeline_free(*pl);
        *pl = NULL;
        *rc = 1;
    }
    return db;
}

int rp_cli_create(rp_out *o, const char *cmd, const char *path)
{
    memset(o, 0, sizeof *o);
    o->cmd = cmd;
    o->path = path;
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        return 0;
    }
    o->tmp = cm_asprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
        fprintf(stderr, "callmap %s: cannot write %s: %s\n", cmd, path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        free(o->tmp);
        o->tmp = NULL;
        return -1;
    }
    return 0;
}

int rp_cli_finish(rp_out *o, int ok)
{
    if (!o->tmp) {
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fprintf(stderr, "callmap %s: writing to standard output: %s\n", o->cmd, strerror(errno));
            return -1;
        }
        return ok ? 0 : -1;
    }
    int werr = ferror(o->f);
    int cerr = fclose(o->f) != 0;
    int rc = 0;
    if (ok && (werr || cerr)) {
        fprintf(stderr, "callmap %s: cannot write %s: %s\n", o->cmd, o->path, strerror(errno));
        ok = 0;
        rc = -1;
    }
    if (ok) {
        /* mkstemp makes the file private: give it the usual permissions */
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, 0666 & ~mask);
        if (rename(o->tmp, o->path) != 0) {
            fprintf(stderr, "callmap %s: cannot write %s: %s\n", o->cmd, o->path, strerror(errno));
            rc = -1;
            ok = 0;
        }
    }
    if (!ok)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return ok ? rc : -1;
}

int rp_cli_write(const char *cmd, const char *path, const char *data, size_t n)
{
    rp_out o;
    if (rp_cli_create(&o, cmd, path))
        return -1;
    int ok = fwrite(data, 1, n, o.f) == n;
    return rp_cli_finish(&o, ok);
}
