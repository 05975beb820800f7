/* ev_strbuf.h - a growable, printf-appended text buffer (for plans, gnuplot scripts, reports).
 * Start from EV_STRBUF_INIT (or zeroed memory); append with ev_strbuf_printf(); on allocation
 * failure `oom` is set and later appends do nothing, so callers check once at the end.
 * The caller owns `s` (NULL while nothing was appended) and frees it with free(). */
#ifndef EV_STRBUF_H
#define EV_STRBUF_H

#include <stddef.h>

typedef struct ev_strbuf {
    char *s;          /* NUL-terminated text, or NULL before the first append */
    size_t len, cap;  /* bytes used (without the NUL) and allocated */
    int oom;          /* 1 once an allocation failed */
} ev_strbuf;

#define EV_STRBUF_INIT { NULL, 0, 0, 0 }

/* Append printf-formatted text, growing the buffer as needed. */
void ev_strbuf_printf(ev_strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
