#include "ev_err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ev_strerror(int err)
{
    switch (err) {
    case EV_OK: return "success";
    case EV_EUSAGE: return "usage error";
    case EV_EINVAL: return "invalid argument";
    case EV_EPARSE: return "malformed input";
    case EV_ESCHEMA: return "schema violation";
    case EV_ERANGE: return "value out of range";
    case EV_ENOENT: return "not found";
    case EV_EBUSY: return "in use by another process";
    case EV_ESYS: return "system call failed";
    case EV_ENOMEM: return "out of memory";
    case EV_EIO: return "I/O error";
    case EV_ETIMEOUT: return "timed out";
    case EV_ECHILD: return "child process failed";
    case EV_EINTR: return "interrupted";
    case EV_ECONNECT: return "cannot connect";
    case EV_EPROTO: return "protocol error";
    case EV_EAPI: return "API error";
    case EV_ECLOSED: return "connection closed by peer";
    case EV_EMODEL: return "numerical routine failed";
    case EV_ENOTIDENT: return "parameter not identifiable from the data";
    default: return "unknown error";
    }
}

int ev_exit_code(int err)
{
    if (err == EV_OK)
        return 0;
    if (err <= -1 && err >= -99)
        return 2;
    return 1;
}

int ev_error_set(ev_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return code;
}

int ev_error_sys(ev_error *err, int code, int errnum, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        size_t n;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(errnum));
    }
    return code;
}

void ev_error_prefix(ev_error *err, const char *fmt, ...)
{
    char pre[EV_ERRSTR_LEN], old[EV_ERRSTR_LEN];
    va_list ap;
    if (!err)
        return;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    {
        /* truncation is acceptable here: the message is for humans */
        size_t n = strlen(pre);
        if (n > sizeof err->msg - 3)
            n = sizeof err->msg - 3;
        memcpy(err->msg, pre, n);
        err->msg[n] = ':';
        err->msg[n + 1] = ' ';
        n += 2;
        memcpy(err->msg + n, old, sizeof err->msg - n - 1);
        err->msg[sizeof err->msg - 1] = '\0';
    }
}
