/* ev_time.h - clocks. Monotonic for intervals, realtime for timestamps in records. */
#ifndef EV_TIME_H
#define EV_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Monotonic time in nanoseconds (CLOCK_MONOTONIC). */
uint64_t ev_time_now_ns(void);
/* Monotonic time in seconds as a double. */
double ev_time_now_s(void);
/* Current UTC time as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ" into buf (>= 21 bytes). */
void ev_time_iso8601(char *buf, size_t len);
/* Sleep for `s` seconds (restarts on EINTR unless *stop becomes non-zero; stop may be NULL). */
void ev_time_sleep_s(double s, volatile int *stop);

#endif
