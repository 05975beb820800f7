/* ev_err.h - error codes and error detail shared by every edgevirt module.
 *
 * Conventions (docs/style in ../shared/reference/style.md):
 *  - functions return int: EV_OK (0) or a negative ev_err value;
 *  - the detail goes into a caller-owned ev_error (never a global), set by ev_error_set();
 *  - libraries never print or exit: only a tool's main() reports and picks the exit code,
 *    with ev_exit_code(): 2 for usage/bad-input errors, 1 for runtime errors. */
#ifndef EV_ERR_H
#define EV_ERR_H

#include <stddef.h>

typedef enum ev_err {
    EV_OK = 0,
    /* usage and bad input: -1 .. -99 (exit status 2) */
    EV_EUSAGE = -1,    /* bad command line */
    EV_EINVAL = -2,    /* invalid argument or value */
    EV_EPARSE = -3,    /* malformed input (JSON syntax, number) */
    EV_ESCHEMA = -4,   /* well-formed input that breaks its schema */
    EV_ERANGE = -5,    /* value out of its allowed range */
    EV_ENOENT = -6,    /* a named input (file, platform) does not exist */
    EV_EBUSY = -7,     /* another process is writing that file (it holds the lock) */
    /* system: -100 .. -199 (exit status 1) */
    EV_ESYS = -100,    /* a system call failed; detail carries errno text */
    EV_ENOMEM = -101,
    EV_EIO = -102,     /* read/write failure */
    EV_ETIMEOUT = -103,
    EV_ECHILD = -104,  /* a child process failed or died */
    EV_EINTR = -105,   /* interrupted by a signal (SIGINT/SIGTERM) */
    /* remote peers: -200 .. -299 (exit status 1) */
    EV_ECONNECT = -200, /* connection refused / unreachable */
    EV_EPROTO = -201,   /* protocol error from the peer */
    EV_EAPI = -202,     /* an API answered with an error (e.g. Firecracker 4xx) */
    EV_ECLOSED = -203,  /* the peer closed the connection */
    /* model and numerics: -300 .. -399 (exit status 1) */
    EV_EMODEL = -300,   /* a GSL routine failed */
    EV_ENOTIDENT = -301 /* the data cannot identify a parameter */
} ev_err;

/* Static text for an ev_err value; never NULL. */
const char *ev_strerror(int err);

/* 2 for usage/bad-input codes (-1..-99), 1 for other failures, 0 for EV_OK. */
int ev_exit_code(int err);

/* Error detail, owned by the caller (usually on the stack). */
#define EV_ERRSTR_LEN 512
typedef struct ev_error {
    int code;                    /* an ev_err value, EV_OK when nothing failed */
    char msg[EV_ERRSTR_LEN];     /* "file:line: field: what is wrong" style text */
} ev_error;

#define EV_ERROR_INIT { EV_OK, "" }

/* Set code and a printf-formatted message; returns code so callers can
 * `return ev_error_set(err, EV_EINVAL, "...")`. err may be NULL. */
int ev_error_set(ev_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, appending ": <strerror(errnum)>" to the message. */
int ev_error_sys(ev_error *err, int code, int errnum, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Prefix an existing message (e.g. with a file name): "prefix: old message". */
void ev_error_prefix(ev_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
