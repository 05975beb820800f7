/* fuzz_record.c - run records (model/ev_record.c): every line through ev_record_parse, the
 * whole input as a JSONL file through ev_recset_load (strict and tolerant of a cut-off tail).
 * Invariants: a record that parses validates, serialises and parses back equal; a failure is a
 * bad-input code (exit status 2) with a message; tolerant loading keeps at least as many
 * records as strict loading. */
#include <stdlib.h>
#include <string.h>
#include "ev_record.h"
#include "fuzz_util.h"

static void one_line(const char *line, int lineno)
{
    ev_record r, back;
    ev_error err = EV_ERROR_INIT;
    int rc = ev_record_parse(&r, line, "fuzz.jsonl", lineno, &err);
    if (rc != EV_OK) {
        EV_FUZZ_ASSERT(ev_exit_code(rc) == 2 || rc == EV_ENOMEM);
        EV_FUZZ_ASSERT(err.msg[0] != '\0');
        return;
    }
    {
        char *json = NULL;
        ev_error e2 = EV_ERROR_INIT;
        EV_FUZZ_ASSERT(ev_record_to_json(&json, &r) == EV_OK);
        EV_FUZZ_ASSERT(ev_record_parse(&back, json, "roundtrip", 1, &e2) == EV_OK);
        EV_FUZZ_ASSERT(ev_record_equal(&r, &back));
        free(json);
        EV_FUZZ_ASSERT(ev_record_validate(&r, &e2) == EV_OK);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = ev_fuzz_strdup(data, size), *p = text, *nl;
    int lineno = 1;
    const char *path;
    ev_recset strict = {0}, tol = {0};
    ev_error e1 = EV_ERROR_INIT, e2 = EV_ERROR_INIT;
    int rc1, rc2, dropped = -1;

    /* line by line, as the loader splits (embedded NULs end the text here) */
    for (;;) {
        nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        if (*p)
            one_line(p, lineno);
        if (!nl)
            break;
        p = nl + 1;
        lineno++;
    }
    free(text);

    path = ev_fuzz_write_file("runs.jsonl", data, size);
    rc1 = ev_recset_load(&strict, path, 0, NULL, &e1);
    rc2 = ev_recset_load(&tol, path, 1, &dropped, &e2);
    EV_FUZZ_ASSERT(rc1 == EV_OK || e1.msg[0] != '\0');
    EV_FUZZ_ASSERT(rc2 == EV_OK || e2.msg[0] != '\0');
    if (rc1 == EV_OK) {
        EV_FUZZ_ASSERT(rc2 == EV_OK && tol.n == strict.n && dropped == 0);
    }
    if (rc2 == EV_OK)
        EV_FUZZ_ASSERT(dropped >= 0 && tol.n >= strict.n);
    if (strict.n) /* resume lookup over whatever loaded */
        (void)ev_recset_find_point(&strict, strict.recs[strict.n - 1].point);
    ev_recset_free(&strict);
    ev_recset_free(&tol);
    return 0;
}
