/* ev_test.h - a tiny assertion harness for edgevirt's test programs.
 * Each check prints a line only on failure; ev_test_done() prints the summary
 * "N passed, N failed" (or ", N skipped") and returns the exit status for main().
 * A whole test program that cannot run here returns EV_TEST_SKIP (77, ctest's SKIP_RETURN_CODE)
 * after printing why. */
#ifndef EV_TEST_H
#define EV_TEST_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#define EV_TEST_SKIP 77

static int ev_test_pass_, ev_test_fail_, ev_test_skip_;

#define EV_CHECK(cond) do { \
    if (cond) ev_test_pass_++; \
    else { ev_test_fail_++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define EV_CHECK_MSG(cond, ...) do { \
    if (cond) ev_test_pass_++; \
    else { ev_test_fail_++; fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
           fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#define EV_CHECK_NEAR(a, b, tol) do { \
    double ev_a_ = (double)(a), ev_b_ = (double)(b); \
    if (fabs(ev_a_ - ev_b_) <= (tol)) ev_test_pass_++; \
    else { ev_test_fail_++; fprintf(stderr, "%s:%d: %s = %.10g, expected %s = %.10g (tol %g)\n", \
           __FILE__, __LINE__, #a, ev_a_, #b, ev_b_, (double)(tol)); } \
} while (0)

#define EV_CHECK_STR(a, b) do { \
    const char *ev_sa_ = (a), *ev_sb_ = (b); \
    if (ev_sa_ && ev_sb_ && strcmp(ev_sa_, ev_sb_) == 0) ev_test_pass_++; \
    else { ev_test_fail_++; fprintf(stderr, "%s:%d: %s = \"%s\", expected \"%s\"\n", \
           __FILE__, __LINE__, #a, ev_sa_ ? ev_sa_ : "(null)", ev_sb_ ? ev_sb_ : "(null)"); } \
} while (0)

#define EV_SKIP(...) do { ev_test_skip_++; printf("skipped: "); printf(__VA_ARGS__); printf("\n"); } while (0)

static inline int ev_test_done(void)
{
    if (ev_test_skip_)
        printf("%d passed, %d failed, %d skipped\n", ev_test_pass_, ev_test_fail_, ev_test_skip_);
    else
        printf("%d passed, %d failed\n", ev_test_pass_, ev_test_fail_);
    return ev_test_fail_ ? 1 : 0;
}

#endif
