/* ev_json.c - strict JSON loading helpers (see ev_json.h). */
#include "ev_json.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EV_JSON_MAX_EXACT 9007199254740992.0 /* 2^53 */

/* "FILE[:LINE]: " + "PATH.field: " into buf. */
static void ev_json__where(char *buf, size_t len, const ev_json_ctx *ctx, const char *field)
{
    const char *file = (ctx && ctx->file) ? ctx->file : "<input>";
    const char *pre = (ctx && ctx->path_prefix) ? ctx->path_prefix : "";
    int n;
    if (ctx && ctx->line > 0)
        n = snprintf(buf, len, "%s:%d: ", file, ctx->line);
    else
        n = snprintf(buf, len, "%s: ", file);
    if (n < 0 || (size_t)n >= len)
        return;
    if (field && *pre)
        snprintf(buf + n, len - (size_t)n, "%s.%s: ", pre, field);
    else if (field)
        snprintf(buf + n, len - (size_t)n, "%s: ", field);
    else if (*pre)
        snprintf(buf + n, len - (size_t)n, "%s: ", pre);
}

int ev_json_fail(ev_error *err, int code, const ev_json_ctx *ctx, const char *field,
                 const char *fmt, ...)
{
    char where[EV_ERRSTR_LEN], what[EV_ERRSTR_LEN];
    va_list ap;
    if (!err)
        return code;
    ev_json__where(where, sizeof where, ctx, field);
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return ev_error_set(err, code, "%.200s%.300s", where, what);
}

/* ---------------------------------------------------------------- parsing */

int ev_json_parse_text(cJSON **out, const char *text, size_t len, const ev_json_ctx *ctx,
                       ev_error *err)
{
    const char *end = NULL;
    cJSON *root;

    *out = NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        /* cJSON also reports the position through return_parse_end, which is ours and so
         * safe from other threads; its global cJSON_GetErrorPtr() is only the fallback, read
         * right away before any other cJSON call can overwrite it. */
        const char *e = end ? end : cJSON_GetErrorPtr();
        size_t off, i, col = 1;
        int line = (ctx && ctx->line > 0) ? ctx->line : 1;
        char near[24];
        ev_json_ctx c = ctx ? *ctx : (ev_json_ctx){ NULL, 0, NULL };
        off = (e && e >= text && e <= text + len) ? (size_t)(e - text) : 0;
        for (i = 0; i < off; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        for (i = 0; i + 1 < sizeof near && off + i < len && text[off + i] != '\n'
                    && text[off + i] != '\0'; i++)
            near[i] = (text[off + i] >= 32 && text[off + i] < 127) ? text[off + i] : '?';
        near[i] = '\0';
        c.line = 0;
        c.path_prefix = NULL;
        if (len == 0 || off >= len || i == 0)
            return ev_json_fail(err, EV_EPARSE, &c, NULL,
                                "line %d, column %zu: not valid JSON (input ends too early)",
                                line, col);
        return ev_json_fail(err, EV_EPARSE, &c, NULL,
                            "line %d, column %zu: not valid JSON near '%s'", line, col, near);
    }
    /* Only whitespace may follow the value. */
    if (end) {
        const char *p = end;
        while (p < text + len && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        if (p < text + len && *p != '\0') {
            ev_json_ctx c = ctx ? *ctx : (ev_json_ctx){ NULL, 0, NULL };
            c.path_prefix = NULL;
            cJSON_Delete(root);
            return ev_json_fail(err, EV_EPARSE, &c, NULL, "text after the JSON value");
        }
    }
    if (!cJSON_IsObject(root)) {
        ev_json_ctx c = ctx ? *ctx : (ev_json_ctx){ NULL, 0, NULL };
        c.path_prefix = NULL;
        cJSON_Delete(root);
        return ev_json_fail(err, EV_ESCHEMA, &c, NULL, "top level must be a JSON object");
    }
    *out = root;
    return EV_OK;
}

int ev_json_parse_doc(cJSON **out, const char *text, const char *file, ev_error *err)
{
    ev_json_ctx c = { file, 0, NULL };
    return ev_json_parse_text(out, text, strlen(text), &c, err);
}

int ev_json_is_cut_off(const char *text, size_t len)
{
    int depth = 0, in_str = 0, esc = 0, any = 0;
    size_t i;
    for (i = 0; i < len; i++) {
        char ch = text[i];
        if (in_str) {
            if (esc)
                esc = 0;
            else if (ch == '\\')
                esc = 1;
            else if (ch == '"')
                in_str = 0;
            continue;
        }
        if (ch == '"')
            in_str = 1;
        else if (ch == '{' || ch == '[') {
            depth++;
            any = 1;
        } else if (ch == '}' || ch == ']')
            depth--;
    }
    return any && (in_str || depth > 0);
}

/* ---------------------------------------------------------------- schema and keys */

const char *ev_json_schema_of(const cJSON *root)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "schema");
    return cJSON_IsString(s) ? s->valuestring : NULL;
}

int ev_json_check_schema(const cJSON *root, const char *expected, const ev_json_ctx *ctx,
                         ev_error *err)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(root, "schema");
    const char *slash = strrchr(expected, '/');
    size_t fam = slash ? (size_t)(slash - expected) + 1 : strlen(expected);
    ev_json_ctx c = ctx ? *ctx : (ev_json_ctx){ NULL, 0, NULL };
    c.path_prefix = NULL;
    if (!s || cJSON_IsNull(s))
        return ev_json_fail(err, EV_ESCHEMA, &c, "schema", "missing (expected \"%s\")", expected);
    if (!cJSON_IsString(s))
        return ev_json_fail(err, EV_ESCHEMA, &c, "schema", "must be a string (expected \"%s\")",
                            expected);
    if (strcmp(s->valuestring, expected) == 0)
        return EV_OK;
    if (strncmp(s->valuestring, expected, fam) == 0)
        return ev_json_fail(err, EV_ESCHEMA, &c, "schema",
                            "unsupported version \"%.60s\" (this build reads \"%s\")",
                            s->valuestring, expected);
    return ev_json_fail(err, EV_ESCHEMA, &c, "schema", "unknown schema \"%.60s\" (expected \"%s\")",
                        s->valuestring, expected);
}

int ev_json_check_keys(const cJSON *obj, const char *const known[], const ev_json_ctx *ctx,
                       ev_error *err)
{
    const cJSON *it, *prev;
    for (it = obj ? obj->child : NULL; it; it = it->next) {
        size_t k;
        int found = 0;
        if (!it->string)
            continue;
        for (prev = obj->child; prev != it; prev = prev->next)
            if (prev->string && strcmp(prev->string, it->string) == 0)
                return ev_json_fail(err, EV_ESCHEMA, ctx, it->string, "duplicate field");
        if (strncmp(it->string, "x-", 2) == 0)
            continue;
        for (k = 0; known[k]; k++)
            if (strcmp(known[k], it->string) == 0) {
                found = 1;
                break;
            }
        if (!found)
            return ev_json_fail(err, EV_ESCHEMA, ctx, it->string, "unknown field");
    }
    return EV_OK;
}

/* ---------------------------------------------------------------- getters */

static const char *ev_json__type(const cJSON *v)
{
    if (cJSON_IsString(v)) return "a string";
    if (cJSON_IsNumber(v)) return "a number";
    if (cJSON_IsBool(v)) return "a boolean";
    if (cJSON_IsArray(v)) return "an array";
    if (cJSON_IsObject(v)) return "an object";
    return "something else";
}

/* The item, or NULL when absent/null (after the required check). rc gets the error code. */
static const cJSON *ev_json__lookup(const cJSON *obj, const char *field, int required,
                                    const ev_json_ctx *ctx, ev_error *err, int *rc)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, field) : NULL;
    *rc = EV_OK;
    if (!v || cJSON_IsNull(v)) {
        if (required)
            *rc = ev_json_fail(err, EV_ESCHEMA, ctx, field, "missing (required)");
        return NULL;
    }
    return v;
}

int ev_json_has(const cJSON *obj, const char *field)
{
    const cJSON *v = obj ? cJSON_GetObjectItemCaseSensitive(obj, field) : NULL;
    return v && !cJSON_IsNull(v);
}

static int ev_json__range_fail(ev_error *err, const ev_json_ctx *ctx, const char *field,
                               const char *kind, double v, double min, double max)
{
    int lo = isfinite(min), hi = isfinite(max);
    if (lo && hi)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "must be %s in [%.15g, %.15g], got %.15g",
                            kind, min, max, v);
    if (lo)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "must be %s >= %.15g, got %.15g", kind,
                            min, v);
    return ev_json_fail(err, EV_ERANGE, ctx, field, "must be %s <= %.15g, got %.15g", kind, max,
                        v);
}

int ev_json_get_num(const cJSON *obj, const char *field, double *out, double min, double max,
                    int required, const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    double d;
    if (!v)
        return rc;
    if (!cJSON_IsNumber(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be a number, got %s",
                            ev_json__type(v));
    d = v->valuedouble;
    if (!isfinite(d))
        return ev_json_fail(err, EV_ERANGE, ctx, field, "must be a finite number");
    if (d < min || d > max)
        return ev_json__range_fail(err, ctx, field, "a number", d, min, max);
    *out = d;
    return EV_OK;
}

int ev_json_get_int(const cJSON *obj, const char *field, int64_t *out, int64_t min,
                    int64_t max, int required, const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    double d, lo = (min == INT64_MIN) ? -INFINITY : (double)min;
    double hi = (max == INT64_MAX) ? INFINITY : (double)max;
    if (!v)
        return rc;
    if (!cJSON_IsNumber(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be an integer, got %s",
                            ev_json__type(v));
    d = v->valuedouble;
    if (!isfinite(d) || d != floor(d))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be an integer, got %.17g", d);
    if (fabs(d) > EV_JSON_MAX_EXACT)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "integer too large (|value| > 2^53)");
    if (d < lo || d > hi)
        return ev_json__range_fail(err, ctx, field, "an integer", d, lo, hi);
    *out = (int64_t)d;
    return EV_OK;
}

int ev_json_get_str(const cJSON *obj, const char *field, char *buf, size_t len, int required,
                    const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    size_t n;
    if (!v)
        return rc;
    if (!cJSON_IsString(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be a string, got %s",
                            ev_json__type(v));
    n = strlen(v->valuestring);
    if (required && n == 0)
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must not be empty");
    if (n + 1 > len)
        return ev_json_fail(err, EV_ERANGE, ctx, field, "longer than %zu bytes", len ? len - 1 : 0);
    memcpy(buf, v->valuestring, n + 1);
    return EV_OK;
}

int ev_json_get_bool(const cJSON *obj, const char *field, int *out, int required,
                     const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    if (!v)
        return rc;
    if (!cJSON_IsBool(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be true or false, got %s",
                            ev_json__type(v));
    *out = cJSON_IsTrue(v) ? 1 : 0;
    return EV_OK;
}

int ev_json_get_enum(const cJSON *obj, const char *field, const char *const names[], int *out,
                     int required, const ev_json_ctx *ctx, ev_error *err)
{
    int rc, i;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    char list[256];
    size_t n = 0;
    if (!v)
        return rc;
    if (cJSON_IsString(v))
        for (i = 0; names[i]; i++)
            if (strcmp(names[i], v->valuestring) == 0) {
                *out = i;
                return EV_OK;
            }
    list[0] = '\0';
    for (i = 0; names[i] && n < sizeof list; i++) {
        int w = snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        n += (size_t)w;
    }
    if (!cJSON_IsString(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be one of %s; got %s", list,
                            ev_json__type(v));
    return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be one of %s; got \"%.60s\"", list,
                        v->valuestring);
}

int ev_json_get_obj(const cJSON *obj, const char *field, const cJSON **out, int required,
                    const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!cJSON_IsObject(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be an object, got %s",
                            ev_json__type(v));
    *out = v;
    return EV_OK;
}

int ev_json_get_array(const cJSON *obj, const char *field, const cJSON **out, int required,
                      const ev_json_ctx *ctx, ev_error *err)
{
    int rc;
    const cJSON *v = ev_json__lookup(obj, field, required, ctx, err, &rc);
    *out = NULL;
    if (!v)
        return rc;
    if (!cJSON_IsArray(v))
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must be an array, got %s",
                            ev_json__type(v));
    *out = v;
    return EV_OK;
}

int ev_json_get_num_array(const cJSON *obj, const char *field, double *out, size_t n,
                          int required, const ev_json_ctx *ctx, ev_error *err)
{
    const cJSON *a = NULL, *it;
    size_t i = 0, have;
    int rc = ev_json_get_array(obj, field, &a, required, ctx, err);
    if (rc != EV_OK || !a)
        return rc;
    have = (size_t)cJSON_GetArraySize(a);
    if (have != n)
        return ev_json_fail(err, EV_ESCHEMA, ctx, field, "must have %zu numbers, got %zu", n, have);
    for (it = a->child; it; it = it->next, i++) {
        char name[128];
        snprintf(name, sizeof name, "%.100s[%zu]", field, i);
        if (!cJSON_IsNumber(it))
            return ev_json_fail(err, EV_ESCHEMA, ctx, name, "must be a number, got %s",
                                ev_json__type(it));
        if (!isfinite(it->valuedouble))
            return ev_json_fail(err, EV_ERANGE, ctx, name, "must be a finite number");
    }
    for (it = a->child, i = 0; it; it = it->next, i++)
        out[i] = it->valuedouble;
    return EV_OK;
}

void ev_json_ctx_sub(ev_json_ctx *child, const ev_json_ctx *parent, const char *name, char *buf,
                     size_t len)
{
    const char *pre = (parent && parent->path_prefix) ? parent->path_prefix : "";
    if (len) {
        if (*pre)
            snprintf(buf, len, "%s.%s", pre, name);
        else
            snprintf(buf, len, "%s", name);
    }
    child->file = parent ? parent->file : NULL;
    child->line = parent ? parent->line : 0;
    child->path_prefix = len ? buf : NULL;
}

/* ---------------------------------------------------------------- writing */

/* cJSON 1.7 falls back from %1.15g to %1.17g only when the 15-digit text differs by more than
 * DBL_EPSILON relative, so 0.1+0.2 would come back as 0.3. We print the number ourselves: %.15g
 * when that reads back bit-identical, else %.17g (always exact), in the C locale whatever
 * LC_NUMERIC says, and store it as a raw item. */
int ev_json_format_num(char *buf, size_t len, double v)
{
    const char *dp = localeconv()->decimal_point;
    char *p;
    if (!isfinite(v) || len < 32)
        return EV_EINVAL;
    snprintf(buf, len, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, len, "%.17g", v);
    if (dp && dp[0] && (dp[0] != '.' || dp[1])) { /* a non-C LC_NUMERIC: put '.' back */
        p = strstr(buf, dp);
        if (p) {
            size_t dl = strlen(dp);
            *p = '.';
            memmove(p + 1, p + dl, strlen(p + dl) + 1);
        }
    }
    return EV_OK;
}

int ev_json_add_num(cJSON *obj, const char *name, double v)
{
    char buf[64];
    if (ev_json_format_num(buf, sizeof buf, v) != EV_OK)
        return EV_EINVAL;
    return cJSON_AddRawToObject(obj, name, buf) ? EV_OK : EV_ENOMEM;
}

int ev_json_add_opt_num(cJSON *obj, const char *name, double v)
{
    if (isnan(v) || v < 0)
        return EV_OK;
    return ev_json_add_num(obj, name, v);
}

int ev_json_add_str(cJSON *obj, const char *name, const char *s)
{
    return cJSON_AddStringToObject(obj, name, s ? s : "") ? EV_OK : EV_ENOMEM;
}

int ev_json_add_opt_str(cJSON *obj, const char *name, const char *s)
{
    if (!s || !*s)
        return EV_OK;
    return ev_json_add_str(obj, name, s);
}

int ev_json_add_bool(cJSON *obj, const char *name, int v)
{
    return cJSON_AddBoolToObject(obj, name, v ? 1 : 0) ? EV_OK : EV_ENOMEM;
}

int ev_json_add_obj(cJSON *obj, const char *name, cJSON **out)
{
    *out = cJSON_AddObjectToObject(obj, name);
    return *out ? EV_OK : EV_ENOMEM;
}

int ev_json_print(char **out, const cJSON *root, int pretty)
{
    char *s = pretty ? cJSON_Print(root) : cJSON_PrintUnformatted(root);
    size_t n;
    *out = NULL;
    if (!s)
        return EV_ENOMEM;
    n = strlen(s);
    *out = malloc(n + 2);
    if (!*out) {
        cJSON_free(s);
        return EV_ENOMEM;
    }
    memcpy(*out, s, n);
    (*out)[n] = '\n';
    (*out)[n + 1] = '\0';
    cJSON_free(s);
    return EV_OK;
}
