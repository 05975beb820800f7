#include "ev_time.h"

#include <errno.h>
#include <stdio.h>
#include <time.h>

uint64_t ev_time_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

double ev_time_now_s(void)
{
    return (double)ev_time_now_ns() / 1e9;
}

void ev_time_iso8601(char *buf, size_t len)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void ev_time_sleep_s(double s, volatile int *stop)
{
    struct timespec req, rem;
    if (s <= 0)
        return;
    req.tv_sec = (time_t)s;
    req.tv_nsec = (long)((s - (double)req.tv_sec) * 1e9);
    while (nanosleep(&req, &rem) < 0 && errno == EINTR) {
        if (stop && *stop)
            return;
        req = rem;
    }
}
