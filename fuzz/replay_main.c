/* replay_main.c - run a fuzz harness's LLVMFuzzerTestOneInput over files, without libFuzzer.
 *
 * Usage: fuzz_replay_<target> PATH...   (a PATH is a file, or a folder walked recursively;
 * files named README* and hidden files are skipped). Prints "replayed N inputs from M paths"
 * and exits 0; exits 1 when a path is missing or nothing was replayed (a test must assert
 * something). A bug in the code under test aborts (sanitizer report or EV_FUZZ_ASSERT).
 * Built with the default compiler by tests/harden.cmake, so every build replays the seed
 * corpora and the regression inputs (fuzz/regressions/<target>/). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long replayed;
static int verbose;

static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0, n;
    if (!f) {
        perror(path);
        return -1;
    }
    for (;;) {
        if (len == cap) {
            uint8_t *nb;
            cap = cap ? cap * 2 : 4096;
            nb = realloc(buf, cap);
            if (!nb) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(buf);
                fclose(f);
                return -1;
            }
            buf = nb;
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        perror(path);
        free(buf);
        fclose(f);
        return -1;
    }
    fclose(f);
    if (verbose)
        fprintf(stderr, "replay %s (%zu bytes)\n", path, len);
    /* an exact-size heap copy, so ASan sees reads past the end as libFuzzer would */
    {
        uint8_t *exact = malloc(len ? len : 1);
        if (!exact) {
            free(buf);
            return -1;
        }
        if (len)
            memcpy(exact, buf, len);
        free(buf);
        LLVMFuzzerTestOneInput(exact, len);
        free(exact);
    }
    replayed++;
    return 0;
}

static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        struct dirent **names;
        int n = scandir(path, &names, NULL, alphasort), i, rc = 0;
        if (n < 0) {
            perror(path);
            return -1;
        }
        for (i = 0; i < n; i++) {
            const char *nm = names[i]->d_name;
            if (nm[0] != '.' && strncmp(nm, "README", 6) != 0 && rc == 0) {
                char *sub;
                if (asprintf(&sub, "%s/%s", path, nm) < 0) {
                    rc = -1;
                } else {
                    rc = replay_path(sub);
                    free(sub);
                }
            }
            free(names[i]);
        }
        free(names);
        return rc;
    }
    return replay_file(path);
}

int main(int argc, char **argv)
{
    int i, first = 1;
    if (argc > 1 && strcmp(argv[1], "-v") == 0) {
        verbose = 1;
        first = 2;
    }
    if (argc <= first) {
        fprintf(stderr, "usage: %s [-v] FILE-OR-FOLDER...\n", argv[0]);
        return 2;
    }
    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (i = first; i < argc; i++)
        if (replay_path(argv[i]) != 0)
            return 1;
    printf("replayed %ld inputs from %d paths\n", replayed, argc - first);
    return replayed > 0 ? 0 : 1;
}
