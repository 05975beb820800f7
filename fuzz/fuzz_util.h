/* fuzz_util.h - helpers shared by the fuzz harnesses (fuzz/fuzz_*.c).
 *
 * Every harness defines the libFuzzer entry point
 *     int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
 * and is linked either with libFuzzer (clang -fsanitize=fuzzer, EV_FUZZ=ON, scripts/fuzz.sh)
 * or with fuzz/replay_main.c (any compiler), which feeds it every file of the seed corpora and
 * regression folders (ctest harden_replay_<target>). A harness returns 0; a bug shows up as a
 * sanitizer report or as abort() from EV_FUZZ_ASSERT (a broken invariant). */
#ifndef EV_FUZZ_UTIL_H
#define EV_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* abort() with a message on stderr when cond is false: an invariant the harness checks
 * (round trip, bounds). */
#define EV_FUZZ_ASSERT(cond) \
    ((cond) ? (void)0 : ev_fuzz_fail(__FILE__, __LINE__, #cond))
void ev_fuzz_fail(const char *file, int line, const char *what) __attribute__((noreturn));

/* A malloc'ed NUL-terminated copy of data (size bytes); abort() when out of memory. */
char *ev_fuzz_strdup(const uint8_t *data, size_t size);

/* A private folder made once per process with mkdtemp (under $TMPDIR, else /dev/shm when it
 * exists, else /tmp) and removed at exit. Returns its path (static storage). */
const char *ev_fuzz_tmpdir(void);

/* Write size bytes to DIR/name (created or truncated); returns the full path (static buffer,
 * overwritten by the next call) or aborts on an I/O error. Intermediate folders of name
 * ("a/b/c") are created. */
const char *ev_fuzz_write_file(const char *name, const uint8_t *data, size_t size);

#endif
