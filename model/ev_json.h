/* ev_json.h - strict, schema-checked JSON loading and C-locale JSON writing on top of cJSON.
 *
 * Library: ev_formats (model/). Used by every loader of the project (run records, model file,
 * workload profile, experiment spec) so that all of them reject bad input the same way and
 * report it the same way:
 *
 *     FILE:LINE: PATH.FIELD: what is wrong
 *     e.g. "runs.jsonl:12: workload.value_size: must be an integer >= 1, got 0"
 *
 * LINE is left out ("FILE: PATH.FIELD: ...") when the context has line 0 (a whole-document file,
 * where cJSON cannot tell which line a field sits on); syntax errors always carry a line and a
 * column. Nothing here prints or exits; errors go into the caller's ev_error.
 *
 * Rules shared by every loader (docs/formats.md, "Conventions"):
 *  - a JSON `null` counts as an absent field;
 *  - a required string must be present and non-empty;
 *  - numbers must be finite; integers must have no fractional part;
 *  - unknown keys are ERRORS (ev_json_check_keys), except keys starting with "x-", which are
 *    free-form annotations every loader ignores; duplicate keys are errors too;
 *  - the "schema" string must match exactly; the same family with another version number
 *    ("edgevirt.run/2") gets its own message.
 *
 * Error codes: EV_EPARSE (not JSON), EV_ESCHEMA (missing field, wrong type, unknown key, wrong
 * schema), EV_ERANGE (value out of its range, string too long); all map to exit status 2.
 *
 * Ownership: cJSON trees returned by the parse functions are freed with cJSON_Delete(); strings
 * returned by ev_json_print() with free(). Getters never keep pointers into the tree. */
#ifndef EV_JSON_H
#define EV_JSON_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "ev_err.h"

/* Where a value being read comes from; only used to build error messages. */
typedef struct ev_json_ctx {
    const char *file;        /* file name (or "<embedded>"); NULL prints "<input>" */
    int line;                /* 1-based line number; 0 = not known (left out of messages) */
    const char *path_prefix; /* dotted path of the object being read ("workload",
                                "platforms[2].cost"); NULL or "" at the top level */
} ev_json_ctx;

/* ---------------------------------------------------------------- parsing */

/* Parse a whole JSON document (a .json file) whose top level must be an object.
 * IN  text (NUL-terminated), file (for messages).
 * OUT *out: the tree (caller frees with cJSON_Delete), NULL on failure.
 * RETURNS EV_OK, EV_EPARSE ("FILE: line L, column C: not valid JSON near '...'" at the first
 * byte cJSON could not accept, or "... (input ends too early)", or "FILE[:LINE]: text after the
 * JSON value"), EV_ESCHEMA ("FILE[:LINE]: top level must be a JSON object"). */
int ev_json_parse_doc(cJSON **out, const char *text, const char *file, ev_error *err);

/* Same for a piece of text of `len` bytes (need not be NUL-terminated), e.g. one JSONL line.
 * ctx->line is the line the text starts on: syntax-error lines are counted from it.
 * RETURNS as ev_json_parse_doc. */
int ev_json_parse_text(cJSON **out, const char *text, size_t len, const ev_json_ctx *ctx,
                       ev_error *err);

/* 1 if `text` (len bytes) looks cut off: it ends inside a string or with an object/array still
 * open (a record whose write was interrupted), 0 otherwise. Pure; does not validate. */
int ev_json_is_cut_off(const char *text, size_t len);

/* ---------------------------------------------------------------- schema and keys */

/* The "schema" string of a top-level object, or NULL when absent or not a string.
 * The pointer belongs to the tree. */
const char *ev_json_schema_of(const cJSON *root);

/* Check root["schema"] == expected (e.g. "edgevirt.run/1").
 * Messages: "schema: missing (expected \"edgevirt.run/1\")",
 *           "schema: unsupported version \"edgevirt.run/2\" (this build reads \"edgevirt.run/1\")",
 *           "schema: unknown schema \"foo\" (expected \"edgevirt.run/1\")".
 * RETURNS EV_OK or EV_ESCHEMA. */
int ev_json_check_schema(const cJSON *root, const char *expected, const ev_json_ctx *ctx,
                         ev_error *err);

/* Reject keys of `obj` that are not in `known` (NULL-terminated list) and do not start with
 * "x-", and duplicate keys. Message: "workload.valu_size: unknown field" or
 * "workload.op: duplicate field". RETURNS EV_OK or EV_ESCHEMA. */
int ev_json_check_keys(const cJSON *obj, const char *const known[], const ev_json_ctx *ctx,
                       ev_error *err);

/* ---------------------------------------------------------------- typed getters
 * Common contract: look up `field` in object `obj` (case-sensitive).
 *  - absent (or null) and required = 0: RETURNS EV_OK and leaves *out untouched;
 *  - absent and required = 1: EV_ESCHEMA "PATH.field: missing (required)";
 *  - wrong JSON type: EV_ESCHEMA "PATH.field: must be a number, got a string";
 *  - out of range: EV_ERANGE "PATH.field: must be an integer >= 1, got 0" (the bounds shown
 *    are the ones given; -INFINITY/INFINITY or INT64_MIN/INT64_MAX mean unbounded).
 * Use ev_json_has() to learn whether an optional field was there. */

/* 1 if obj has `field` with a non-null value, else 0. */
int ev_json_has(const cJSON *obj, const char *field);

/* A finite number in [min, max]. */
int ev_json_get_num(const cJSON *obj, const char *field, double *out, double min, double max,
                    int required, const ev_json_ctx *ctx, ev_error *err);

/* An integral number in [min, max] (|value| <= 2^53 so it is exact). */
int ev_json_get_int(const cJSON *obj, const char *field, int64_t *out, int64_t min,
                    int64_t max, int required, const ev_json_ctx *ctx, ev_error *err);

/* A string copied into buf (len bytes incl. NUL). Longer than len-1 bytes: EV_ERANGE
 * "PATH.field: longer than N bytes". Required means present AND non-empty. */
int ev_json_get_str(const cJSON *obj, const char *field, char *buf, size_t len, int required,
                    const ev_json_ctx *ctx, ev_error *err);

/* true/false into *out as 1/0. */
int ev_json_get_bool(const cJSON *obj, const char *field, int *out, int required,
                     const ev_json_ctx *ctx, ev_error *err);

/* A string that must be one of `names` (NULL-terminated, exact match); *out = its index.
 * Message: "status: must be one of \"ok\", \"failed\"; got \"done\"". */
int ev_json_get_enum(const cJSON *obj, const char *field, const char *const names[], int *out,
                     int required, const ev_json_ctx *ctx, ev_error *err);

/* A nested object / an array: *out points into the tree (NULL when absent and optional). */
int ev_json_get_obj(const cJSON *obj, const char *field, const cJSON **out, int required,
                    const ev_json_ctx *ctx, ev_error *err);
int ev_json_get_array(const cJSON *obj, const char *field, const cJSON **out, int required,
                      const ev_json_ctx *ctx, ev_error *err);

/* An array of exactly n finite numbers copied to out[0..n-1], e.g. a flattened covariance
 * matrix. Messages: "PATH.cov: must have 16 numbers, got 15",
 * "PATH.cov[3]: must be a number, got a string". Absent and optional: out untouched. */
int ev_json_get_num_array(const cJSON *obj, const char *field, double *out, size_t n,
                          int required, const ev_json_ctx *ctx, ev_error *err);

/* Context for a nested object: child->path_prefix = "PARENT.name" (or "name" at the top),
 * written into buf (len bytes, truncated if needed); file and line are copied.
 * For array elements pass e.g. "platforms[2]" as name. */
void ev_json_ctx_sub(ev_json_ctx *child, const ev_json_ctx *parent, const char *name, char *buf,
                     size_t len);

/* Set err in the shared format "FILE[:LINE]: PATH.field: <message>" for a loader's own semantic
 * checks (field may be NULL: "FILE[:LINE]: PATH: <message>"). RETURNS code. */
int ev_json_fail(ev_error *err, int code, const ev_json_ctx *ctx, const char *field,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ---------------------------------------------------------------- writing
 * All return EV_OK or EV_ENOMEM (EV_EINVAL for a non-finite number given to ev_json_add_num).
 * Numbers print in the C locale and round-trip EXACTLY: %.15g when that reads back as the same
 * double, else %.17g. (cJSON's own printer is not used for numbers: 1.7.x accepts a 15-digit
 * text that is only within DBL_EPSILON, e.g. it prints 0.1+0.2 as 0.3.) Numbers are therefore
 * stored as raw items: trees built with these helpers are for printing, not for reading back
 * with cJSON_GetNumberValue. Nothing here calls setlocale(). */

/* Format v as above into buf (len >= 32). RETURNS EV_OK, or EV_EINVAL if v is NaN/inf or len
 * is too small. For writers that build text without cJSON (CSV). */
int ev_json_format_num(char *buf, size_t len, double v);

int ev_json_add_num(cJSON *obj, const char *name, double v);
/* Omitted (EV_OK, nothing added) when v < 0 or NaN: the "negative = absent" convention. */
int ev_json_add_opt_num(cJSON *obj, const char *name, double v);
int ev_json_add_str(cJSON *obj, const char *name, const char *s);
/* Omitted when s is NULL or "". */
int ev_json_add_opt_str(cJSON *obj, const char *name, const char *s);
int ev_json_add_bool(cJSON *obj, const char *name, int v);
/* A new empty object added under name; *out points into obj (not separately owned). */
int ev_json_add_obj(cJSON *obj, const char *name, cJSON **out);

/* Serialise a tree: compact on one line (pretty = 0, for JSONL) or indented (pretty = 1),
 * followed by '\n'. *out is malloc'ed, caller frees with free(). RETURNS EV_OK or EV_ENOMEM. */
int ev_json_print(char **out, const cJSON *root, int pretty);

#endif
