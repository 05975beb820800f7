/* fuzz_json.c - the strict JSON layer every loader uses (model/ev_json.c): parse a document and
 * a length-delimited text (not NUL-terminated: reads past `size` are caught by ASan), the
 * cut-off detector, every typed getter on every key, key/schema checks, printing; and the exact
 * number formatter (ev_json_format_num must round-trip any finite double). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "ev_json.h"
#include "fuzz_util.h"

static const char *const known[] = {"schema", "a", "b", "value_size", "op", NULL};
static const char *const names[] = {"ok", "failed", "GET", "SET", NULL};

static void walk(const cJSON *obj, const ev_json_ctx *ctx, int depth)
{
    const cJSON *it;
    ev_error err = EV_ERROR_INIT;
    (void)ev_json_check_keys(obj, known, ctx, &err);
    (void)ev_json_check_schema(obj, "edgevirt.run/1", ctx, &err);
    (void)ev_json_schema_of(obj);
    cJSON_ArrayForEach(it, obj) {
        const char *k = it->string;
        double d;
        int64_t i;
        int b, e;
        char s[16];
        double arr[4];
        const cJSON *sub = NULL;
        if (!k)
            continue;
        (void)ev_json_has(obj, k);
        (void)ev_json_get_num(obj, k, &d, -INFINITY, INFINITY, 1, ctx, &err);
        (void)ev_json_get_num(obj, k, &d, 1, 100, 0, ctx, &err);
        (void)ev_json_get_int(obj, k, &i, INT64_MIN, INT64_MAX, 1, ctx, &err);
        (void)ev_json_get_int(obj, k, &i, 0, 65535, 0, ctx, &err);
        (void)ev_json_get_str(obj, k, s, sizeof s, 1, ctx, &err);
        (void)ev_json_get_bool(obj, k, &b, 1, ctx, &err);
        (void)ev_json_get_enum(obj, k, names, &e, 1, ctx, &err);
        (void)ev_json_get_num_array(obj, k, arr, 4, 1, ctx, &err);
        (void)ev_json_get_array(obj, k, &sub, 1, ctx, &err);
        if (ev_json_get_obj(obj, k, &sub, 1, ctx, &err) == EV_OK && sub && depth < 8) {
            ev_json_ctx child;
            char buf[64];
            ev_json_ctx_sub(&child, ctx, k, buf, sizeof buf);
            walk(sub, &child, depth + 1);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ev_fuzz_strdup(data, size);
    cJSON *root = NULL;
    ev_error err = EV_ERROR_INIT;
    ev_json_ctx ctx = {"fuzz.json", 3, "top"};
    int rc;

    (void)ev_json_is_cut_off((const char *)data, size);
    rc = ev_json_parse_doc(&root, text, "fuzz.json", &err);
    EV_FUZZ_ASSERT(rc == EV_OK ? root != NULL : (root == NULL && err.msg[0] != '\0'));
    if (root) {
        char *out = NULL;
        walk(root, &ctx, 0);
        EV_FUZZ_ASSERT(ev_json_print(&out, root, 0) == EV_OK);
        free(out);
        EV_FUZZ_ASSERT(ev_json_print(&out, root, 1) == EV_OK);
        free(out);
        cJSON_Delete(root);
        root = NULL;
    }
    /* the same bytes as a length-delimited piece (no NUL at data[size]) */
    rc = ev_json_parse_text(&root, (const char *)data, size, &ctx, &err);
    if (rc == EV_OK)
        cJSON_Delete(root);
    free(text);

    /* number formatting: any finite double round-trips exactly */
    if (size >= sizeof(double)) {
        double v, back;
        char buf[64];
        memcpy(&v, data, sizeof v);
        if (isfinite(v)) {
            EV_FUZZ_ASSERT(ev_json_format_num(buf, sizeof buf, v) == EV_OK);
            back = strtod(buf, NULL);
            EV_FUZZ_ASSERT(back == v);
        } else {
            EV_FUZZ_ASSERT(ev_json_format_num(buf, sizeof buf, v) == EV_EINVAL);
        }
    }
    return 0;
}
