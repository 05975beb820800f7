/* test_load_record.c - ev_load_fill_record: a GET result becomes a run record that validates
 * (ev_record_validate) with the workload and latency fields copied; MIX is refused; a failed
 * test gives ok = 0 with its error. */
#include "ev_loadrec.h"
#include "ev_test.h"

int main(void)
{
    ev_load_report rep;
    memset(&rep, 0, sizeof rep);
    snprintf(rep.redis_version, sizeof rep.redis_version, "7.0.15");
    ev_load_result *t = &rep.tests[0];
    snprintf(t->name, sizeof t->name, "GET");
    t->status = EV_OK;
    t->value_size_mean = 16384;
    t->key_size = 16;
    t->clients = 50;
    t->pipeline = 16;
    t->requests = 60000;
    t->duration_s = 1.25;
    t->rps = 48000;
    t->lat = (ev_load_lat){60000, 0.9, 0.1, 0.8, 1.5, 1.7, 2.5, 3.5, 4.0, 0};
    rep.ntests = 1;

    ev_record r;
    ev_record_init(&r);
    snprintf(r.platform, sizeof r.platform, "native");
    r.path = EV_PATH_NATIVE;
    ev_error e = EV_ERROR_INIT;
    EV_CHECK(ev_load_fill_record(&r, &rep, t, &e) == EV_OK);
    EV_CHECK(r.op == EV_OP_GET && r.value_size == 16384 && r.key_size == 16 && r.clients == 50 && r.pipeline == 16);
    EV_CHECK(r.requests == 60000 && r.duration_s == 1.25 && r.rps == 48000);
    EV_CHECK(r.lat_avg_ms == 0.9 && r.lat_p50_ms == 0.8 && r.lat_p90_ms == 1.5 && r.lat_p99_ms == 2.5);
    EV_CHECK(r.lat_p999_ms == 3.5 && r.lat_max_ms == 4.0 && r.ok == 1);
    EV_CHECK_STR(r.redis_version, "7.0.15");
    int vrc = ev_record_validate(&r, &e);
    EV_CHECK_MSG(vrc == EV_OK, "%s", e.msg);

    t->status = EV_ECLOSED;
    snprintf(t->error, sizeof t->error, "connection closed: read from server: Connection reset by peer");
    EV_CHECK(ev_load_fill_record(&r, &rep, t, &e) == EV_OK);
    EV_CHECK(r.ok == 0 && strstr(r.error, "closed") != NULL);

    snprintf(t->name, sizeof t->name, "MIX");
    EV_CHECK(ev_load_fill_record(&r, &rep, t, &e) == EV_EINVAL);
    return ev_test_done();
}
