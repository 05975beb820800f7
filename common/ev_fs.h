/* ev_fs.h - durable file output: nothing measured is ever lost.
 *  - results files are appended one line at a time, flushed and fsync'ed per record;
 *  - every other output is written to a temporary file in the same folder and renamed. */
#ifndef EV_FS_H
#define EV_FS_H

#include <stddef.h>
#include "ev_err.h"

/* Append `len` bytes (normally one JSONL record ending in '\n') to `path`, creating it
 * (mode 0644) if needed; write(2) loops, then fsync(2). If the file's last byte is not '\n'
 * (a truncated last line left by a crash), a '\n' is written first so the new record starts
 * on its own line. A file it creates also has its folder fsync'ed. RETURNS EV_OK or EV_EIO
 * with detail in err. */
int ev_fs_append_durable(const char *path, const char *buf, size_t len, ev_error *err);

/* Write `len` bytes to `path` atomically: PATH.tmp.XXXXXX in the same folder, fsync,
 * rename over path, fsync the folder. RETURNS EV_OK or EV_EIO. */
int ev_fs_write_atomic(const char *path, const char *buf, size_t len, ev_error *err);

/* Read a whole file into a NUL-terminated malloc'ed buffer (*out, caller frees with free()).
 * *len_out (may be NULL) gets the length. Also used for /proc and /sys files (read to EOF,
 * their size is not known in advance). Reads at most EV_FS_READ_MAX bytes: a longer input (or
 * a device that never ends, /dev/zero, /dev/full) is refused with EV_ERANGE.
 * RETURNS EV_OK, EV_ENOENT (missing, or a /proc/PID file of a process that has gone: ESRCH),
 * EV_EINVAL (path is a directory), EV_ERANGE, EV_ENOMEM or EV_EIO. */
#define EV_FS_READ_MAX (256 * 1024 * 1024)
int ev_fs_read_all(char **out, size_t *len_out, const char *path, ev_error *err);

/* mkdir -p. RETURNS EV_OK or EV_EIO. */
int ev_fs_mkdirs(const char *path, ev_error *err);

/* Find an executable as execvp(3) would: `name` with a '/' is taken as it is, otherwise each
 * folder of $PATH (default "/usr/local/bin:/usr/bin:/bin") is tried. On success the path
 * found is copied to out[n] (when out is not NULL). RETURNS 1 found and executable, 0 not. */
int ev_fs_find_exec(const char *name, char *out, size_t n);

/* The folder of the running executable (/proc/self/exe), into out[n]. RETURNS 1, or 0 when
 * it cannot be read. */
int ev_fs_self_dir(char *out, size_t n);

#endif
