#include "ev_strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void ev_strbuf_printf(ev_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (b->oom)
        return;
    for (;;) {
        size_t room = b->cap - b->len;
        va_start(ap, fmt);
        n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if (b->s && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        {
            size_t cap = b->cap ? b->cap * 2 : 256;
            char *p;
            while (cap < b->len + (size_t)n + 1)
                cap *= 2;
            p = realloc(b->s, cap);
            if (!p) {
                b->oom = 1;
                return;
            }
            b->s = p;
            b->cap = cap;
        }
    }
}
