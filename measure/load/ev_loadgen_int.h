/* ev_loadgen_int.h - what the engine's two files share (not part of the API, see ev_loadgen.h):
 * ev_loadgen.c sets a test up (connections, prefill) and runs it; ev_loadgen_io.c is the
 * per-thread event loop (requests written as RESP, replies scanned in place). */
#ifndef EV_LOADGEN_INT_H
#define EV_LOADGEN_INT_H

#include "ev_loadgen.h"
#include "ev_hist.h"

#include <hiredis/hiredis.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>

#define KEY_SIZE 16u
#define RBUF_SIZE (256u * 1024u)
#define OP_GET 0
#define OP_SET 1
/* ---- per test state ---- */
struct worker;

typedef struct client {
    redisContext *ctx;
    int fd;
    /* the reply scanner (scan_replies): a header line being collected, or the bytes of a bulk
     * body still to skip (body + CRLF) */
    char hdr[64];
    uint32_t hlen;
    uint64_t skip;
    char *obuf;
    size_t olen, ooff, ocap;
    uint64_t *ts;          /* ring of send stamps (batch start or scheduled time) */
    unsigned char *op;
    uint32_t qcap, qhead, qn;
    int pollout;
    size_t tmpl_len;       /* >0: obuf[0..tmpl_len) holds a full batch that can be re-sent */
    uint32_t tmpl_n;
    struct worker *w;
} client;

typedef struct run {
    const ev_load_options *o;
    int kind;                      /* EV_LOAD_T_SET / GET / MIX */
    uint64_t t_warm, t_start, t_end, t_limit, timeout_ns;
    uint64_t quota_total;
    atomic_int abort;
    volatile sig_atomic_t *stop;
    const char *value;             /* maxsize bytes of 'x' */
    double size_cum[EV_LOAD_MAX_SIZES];
    double size_tot;
    int fixed_batches;             /* every request of a test is the same bytes (one key, one size) */
} run;

typedef struct worker {
    run *r;
    int id;
    pthread_t th;
    int epfd, tfd;
    client *c;
    uint32_t nc;
    uint64_t quota, issued;
    int issue_done;
    uint32_t active;               /* clients with requests in flight */
    ev_hist *h, *hop[2];
    uint64_t rng;
    atomic_uint_fast64_t done;
    atomic_int finished;
    uint64_t errors[EV_LOAD_NERR];
    uint64_t misses, opcount[2];
    int status;
    char errmsg[256];
    uint64_t t_last, last_progress;
    int no_trunc;                  /* recv(MSG_TRUNC) refused once: read bodies instead */
    double interval_ns;
    uint64_t k, rr;
    uint64_t mixpos;
    char *rbuf;
    char first_error[128];         /* first error reply seen by this thread */
} worker;


/* Shared between ev_loadgen.c and ev_loadgen_io.c. */
uint32_t ev_lg__draw_size(const run *r, uint64_t *rng);
uint32_t ev_lg__max_size(const ev_load_options *o);
void ev_lg__key_of(char *out, uint64_t k);
int ev_lg__scan_replies(worker *w, client *c, const char *buf, size_t n, uint64_t now);
void *ev_lg__worker_main(void *arg);

#endif
