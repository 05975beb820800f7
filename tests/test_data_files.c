/* test_data_files.c - every data file in the repository loads.
 * Usage: test_data_files DATA_DIR   (tests/formats.cmake passes ${EV_DATA_DIR})
 *  - every *.jsonl is loaded as run records, strictly (a bad line fails with the loader's message);
 *  - every *.json must carry a "schema" listed in the dispatch table below, and its loader must
 *    accept it. Other files (README.md, scripts) are not checked.
 * Passes with "0 files" when the folder is empty or absent. */
#include "ev_json.h"
#include "ev_xval.h"
#include "ev_record.h"
#include "ev_fs.h"
#include "ev_test.h"
#include "ev_model.h"
#include "ev_fit.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>

typedef int (*ev_loader_fn)(const char *path, const char *text, ev_error *err);

/* A .json file that holds one run record (pretty-printed is fine). */
static int load_run_json(const char *path, const char *text, ev_error *err)
{
    cJSON *root = NULL;
    char *line;
    ev_record r;
    int rc = ev_json_parse_doc(&root, text, path, err);
    if (rc != EV_OK)
        return rc;
    line = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    if (!line)
        return ev_error_set(err, EV_ENOMEM, "%s: out of memory", path);
    rc = ev_record_parse(&r, line, path, 0, err);
    cJSON_free(line);
    return rc;
}

/* A model file (edgevirt.model/1), loaded strictly by libedgevirt-model. */
static int load_model_json(const char *path, const char *text, ev_error *err)
{
    ev_model *m = NULL;
    int rc = ev_model_parse(&m, text, path, err);
    ev_model_free(m);
    return rc;
}
#ifdef EV_HAVE_PROFILE
#include "ev_profile.h"
/* A workload profile (advisor); a histogram file it names is read relative to it. */
static int load_profile(const char *path, const char *text, ev_error *err)
{
    ev_profile p;
    (void)text;
    return ev_profile_load(&p, path, err);
}
#endif

#ifdef EV_HAVE_SPEC
#include "ev_spec.h"
/* An experiment spec (edgevirt.spec/1), loaded by the runner's loader (driver settings too). */
static int load_spec_json(const char *path, const char *text, ev_error *err)
{
    ev_spec *s = NULL;
    int rc = ev_spec_parse(&s, text, path, err);
    ev_spec_free(s);
    return rc;
}
#endif

/* A platform inputs file (edgevirt.inputs/1, `edgevirt-model fit --inputs`), loaded strictly. */
static int load_inputs_json(const char *path, const char *text, ev_error *err)
{
    ev_fit_inputs *in = NULL;
    int rc = ev_fit_inputs_new(&in, err);
    if (rc == EV_OK)
        rc = ev_fit_inputs_parse(in, text, path, err);
    ev_fit_inputs_free(in);
    return rc;
}

/* `edgevirt-model crossval --json` output (model/ev_xval.h). */
static int load_crossval_json(const char *path, const char *text, ev_error *err)
{
    return ev_xval_check_json(text, path, err);
}

/* scripts/build-unikraft.sh's build record (data/unikraft-tcg/build-info.json): every source
 * tree names its repository, reference and a full 40-hex commit. */
static int load_unikraft_build(const char *path, const char *text, ev_error *err)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *src, *t;
    int n = 0, rc = EV_OK;
    if (!root)
        return ev_error_set(err, EV_EPARSE, "%s: not JSON", path);
    src = cJSON_GetObjectItemCaseSensitive(root, "sources");
    if (!cJSON_IsArray(src) || cJSON_GetArraySize(src) != 7)
        rc = ev_error_set(err, EV_ESCHEMA, "%s: sources: expected the 7 trees", path);
    if (rc != EV_OK)
        src = NULL;
    cJSON_ArrayForEach(t, src) {
        const cJSON *c = cJSON_GetObjectItemCaseSensitive(t, "commit");
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(t, "repository");
        const cJSON *f = cJSON_GetObjectItemCaseSensitive(t, "ref");
        size_t k;
        n++;
        if (!cJSON_IsString(c) || strlen(c->valuestring) != 40 || !cJSON_IsString(r) ||
            !strchr(r->valuestring, '/') || !cJSON_IsString(f) || !f->valuestring[0]) {
            rc = ev_error_set(err, EV_ESCHEMA, "%s: sources[%d]: repository, ref and a 40-hex "
                              "commit are required", path, n - 1);
            break;
        }
        for (k = 0; k < 40; k++)
            if (!strchr("0123456789abcdef", c->valuestring[k]))
                rc = ev_error_set(err, EV_ESCHEMA, "%s: sources[%d].commit: not hex", path, n - 1);
    }
    cJSON_Delete(root);
    return rc;
}

/* ===================== SCHEMA DISPATCH TABLE =====================
 * One row per file format. The coordinator registers the other loaders here when they land:
 *   { "edgevirt.model/1",   <wrapper around ev_model_parse> },    (model)
 *   { "edgevirt.profile/1", <wrapper around the profile loader> }, (advisor)
 *   { "edgevirt.spec/1",    <wrapper around the spec loader> },    (runner)
 * A .json file whose schema is not in this table fails the test. */
static const struct {
    const char *schema;
    ev_loader_fn load;
} loaders[] = {
    { EV_RECORD_SCHEMA, load_run_json },
    { EV_MODEL_SCHEMA, load_model_json },
#ifdef EV_HAVE_PROFILE
    { EV_PROFILE_SCHEMA, load_profile },
#endif
#ifdef EV_HAVE_SPEC
    { EV_SPEC_SCHEMA, load_spec_json },
#endif
    { EV_XVAL_SCHEMA, load_crossval_json }, /* calib: data/testbed/crossval/crossval.json */
    { EV_FIT_INPUTS_SCHEMA, load_inputs_json }, /* data/testbed/inputs.json */
    { "edgevirt.unikraft-build/1", load_unikraft_build }, /* data/unikraft-tcg/build-info.json */
};
/* ================================================================= */

static int nfiles, nbad;

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

static void check_jsonl(const char *path)
{
    ev_recset set = { 0 };
    ev_error err = EV_ERROR_INIT;
    int rc = ev_recset_load(&set, path, 0, NULL, &err);
    nfiles++;
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc == EV_OK)
        printf("ok   %s: %zu run records\n", path, set.n);
    else
        nbad++;
    ev_recset_free(&set);
}

static void check_json(const char *path)
{
    char *text = NULL;
    cJSON *root = NULL;
    ev_error err = EV_ERROR_INIT;
    const char *schema;
    size_t i;
    int rc;

    nfiles++;
    rc = ev_fs_read_all(&text, NULL, path, &err);
    if (rc == EV_OK)
        rc = ev_json_parse_doc(&root, text, path, &err);
    if (rc == EV_OK) {
        schema = ev_json_schema_of(root);
        rc = ev_error_set(&err, EV_ESCHEMA, "%s: schema: %s%s%s", path,
                          schema ? "no loader for \"" : "missing", schema ? schema : "",
                          schema ? "\"" : "");
        for (i = 0; schema && i < sizeof loaders / sizeof loaders[0]; i++)
            if (strcmp(loaders[i].schema, schema) == 0) {
                err.code = EV_OK;
                err.msg[0] = '\0';
                rc = loaders[i].load(path, text, &err);
                break;
            }
    }
    EV_CHECK_MSG(rc == EV_OK, "%s", err.msg);
    if (rc == EV_OK)
        printf("ok   %s: %s\n", path, ev_json_schema_of(root));
    else
        nbad++;
    cJSON_Delete(root);
    free(text);
}

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0, cap = 0, i;
    if (!d) {
        EV_CHECK_MSG(0, "cannot open %s", dir);
        return;
    }
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    /* sorted, so the output is stable */
    for (i = 1; i < n; i++) {
        size_t j = i;
        while (j > 0 && strcmp(names[j - 1], names[j]) > 0) {
            char *t = names[j]; names[j] = names[j - 1]; names[j - 1] = t; j--;
        }
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            walk(path);
        else if (ends_with(path, ".jsonl"))
            check_jsonl(path);
        else if (ends_with(path, ".json"))
            check_json(path);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    struct stat st;
    if (argc != 2) {
        fprintf(stderr, "usage: test_data_files DATA_DIR\n");
        return 2;
    }
    if (stat(argv[1], &st) != 0 || !S_ISDIR(st.st_mode)) {
        printf("no data folder at %s: 0 files checked\n", argv[1]);
        EV_CHECK(1); /* nothing to check is a pass, said out loud above */
        return ev_test_done();
    }
    walk(argv[1]);
    printf("%d files checked under %s, %d bad\n", nfiles, argv[1], nbad);
    EV_CHECK(nbad == 0);
    return ev_test_done();
}
