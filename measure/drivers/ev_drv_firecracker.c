/* ev_drv_firecracker.c - driver "firecracker": starts `firecracker --api-sock PATH` and
 * configures the microVM over its REST API on that Unix socket with libcurl
 * (machine-config, boot-source, drives/rootfs, network-interfaces/eth0, actions InstanceStart),
 * then pins the VMM and its vCPU threads ("fc_vcpu N"). A 4xx answer's fault_message is put in
 * the error. No Firecracker binary exists on the development machine: the driver is tested
 * against tests/fake_firecracker.c, which checks each request against the real API spec. */
#include "ev_drv_internal.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ev_time.h"

typedef struct fc_priv {
    char bin[PATH_MAX];
    char kernel[PATH_MAX], initrd[PATH_MAX], rootfs[PATH_MAX];
    char boot_args[1024];
    char tap[32], mac[32];
    int rootfs_ro;
    long mem_mib;
    double api_timeout_s;
    char **extra;
    char sock[PATH_MAX];
} fc_priv;

#define FC_NREQ 5
typedef struct fc_req {
    const char *path;
    char *body; /* malloc'ed compact JSON */
} fc_req;

static void fc_free(void *p)
{
    fc_priv *f = p;
    if (!f)
        return;
    ev_drv_strv_free(f->extra);
    free(f);
}

static int fc_parse(ev_driver *d, const cJSON *s, const char *path, ev_error *err)
{
    static const char *const keys[] = {EV_DRV_COMMON_KEYS, "firecracker", "kernel", "initrd",
                                       "rootfs", "rootfs_read_only", "boot_args", "mem_mib", "tap",
                                       "guest_mac", "extra_args", "api_timeout_s", NULL};
    fc_priv *f;
    int rc;
    if ((rc = ev_drv_check_keys(s, path, keys, err)) != EV_OK)
        return rc;
    f = calloc(1, sizeof *f);
    if (!f)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    d->priv = f;
    if (!cJSON_GetObjectItemCaseSensitive(s, "host"))
        return ev_error_set(err, EV_ESCHEMA, "%s.host: required field is missing (the guest's "
                                             "address, where Redis answers)", path);
    if ((rc = ev_drv_get_str(s, path, "firecracker", 0, "firecracker", f->bin, sizeof f->bin,
                             err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "kernel", 1, NULL, f->kernel, sizeof f->kernel, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "initrd", 0, "", f->initrd, sizeof f->initrd, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "rootfs", 1, NULL, f->rootfs, sizeof f->rootfs, err)) !=
            EV_OK ||
        (rc = ev_drv_get_bool(s, path, "rootfs_read_only", 0, &f->rootfs_ro, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "boot_args", 0, "console=ttyS0 reboot=k panic=1 pci=off",
                             f->boot_args, sizeof f->boot_args, err)) != EV_OK ||
        (rc = ev_drv_get_int(s, path, "mem_mib", 0, 256, 16, 1048576, &f->mem_mib, err)) !=
            EV_OK ||
        (rc = ev_drv_get_str(s, path, "tap", 1, NULL, f->tap, sizeof f->tap, err)) != EV_OK ||
        (rc = ev_drv_get_str(s, path, "guest_mac", 0, "", f->mac, sizeof f->mac, err)) != EV_OK ||
        (rc = ev_drv_get_strv(s, path, "extra_args", 0, 0, &f->extra, err)) != EV_OK ||
        (rc = ev_drv_get_num(s, path, "api_timeout_s", 0, 5.0, 0.1, 600, &f->api_timeout_s,
                             err)) != EV_OK)
        return rc;
    snprintf(d->info.platform, sizeof d->info.platform, "firecracker");
    snprintf(d->info.driver_path, sizeof d->info.driver_path, "virtio");
    snprintf(d->info.stack, sizeof d->info.stack, "linux");
    ev_drv_copy(d->info.instance_iface, sizeof d->info.instance_iface, f->tap);
    snprintf(d->info.thread_basis, sizeof d->info.thread_basis, "kvm");
    d->info.offload = 1;
    return EV_OK;
}

static void reqs_free(fc_req *r)
{
    int i;
    for (i = 0; i < FC_NREQ; i++)
        free(r[i].body);
}

static char *print_free(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return s;
}

/* the boot sequence, in the order Firecracker's getting-started guide uses */
static int fc_requests(const ev_driver *d, fc_req *r)
{
    const fc_priv *f = d->priv;
    cJSON *o;
    int i;
    memset(r, 0, FC_NREQ * sizeof *r);

    r[0].path = "/machine-config";
    o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "vcpu_count", 1);
    cJSON_AddNumberToObject(o, "mem_size_mib", (double)f->mem_mib);
    r[0].body = print_free(o);

    r[1].path = "/boot-source";
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "kernel_image_path", f->kernel);
    cJSON_AddStringToObject(o, "boot_args", f->boot_args);
    if (f->initrd[0])
        cJSON_AddStringToObject(o, "initrd_path", f->initrd);
    r[1].body = print_free(o);

    r[2].path = "/drives/rootfs";
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "drive_id", "rootfs");
    cJSON_AddStringToObject(o, "path_on_host", f->rootfs);
    cJSON_AddBoolToObject(o, "is_root_device", 1);
    cJSON_AddBoolToObject(o, "is_read_only", f->rootfs_ro);
    r[2].body = print_free(o);

    r[3].path = "/network-interfaces/eth0";
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "iface_id", "eth0");
    cJSON_AddStringToObject(o, "host_dev_name", f->tap);
    if (f->mac[0])
        cJSON_AddStringToObject(o, "guest_mac", f->mac);
    r[3].body = print_free(o);

    r[4].path = "/actions";
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "action_type", "InstanceStart");
    r[4].body = print_free(o);

    for (i = 0; i < FC_NREQ; i++)
        if (!r[i].body) {
            reqs_free(r);
            return EV_ENOMEM;
        }
    return EV_OK;
}

static void fc_argv(const ev_driver *d, const char *sock, ev_drv_argv *a)
{
    const fc_priv *f = d->priv;
    ev_drv_argv_add(a, f->bin);
    ev_drv_argv_add(a, "--api-sock");
    ev_drv_argv_add(a, sock);
    ev_drv_argv_addv(a, f->extra);
}

static void fc_plan(const ev_driver *d, ev_drv_buf *b)
{
    ev_drv_argv a = {0};
    fc_req r[FC_NREQ];
    int i;
    fc_argv(d, "<workdir>/firecracker.sock", &a);
    ev_drv_plan_spawn(b, d, a.v, d->n_pin > 0);
    ev_drv_argv_free(&a);
    ev_drv_buf_printf(b, "wait for API socket <workdir>/firecracker.sock\n");
    if (fc_requests(d, r) != EV_OK) {
        b->oom = 1;
        return;
    }
    for (i = 0; i < FC_NREQ; i++)
        ev_drv_buf_printf(b, "PUT %s %s (unix socket <workdir>/firecracker.sock)\n", r[i].path,
                          r[i].body);
    reqs_free(r);
}

static void fc_plan_after_ready(const ev_driver *d, ev_drv_buf *b)
{
    if (d->n_pin)
        ev_drv_buf_printf(b, "after PONG: pin threads named \"fc_vcpu N\" to the same CPUs\n");
}

static size_t collect(char *p, size_t sz, size_t n, void *ud)
{
    ev_drv_buf *b = ud;
    ev_drv_buf_printf(b, "%.*s", (int)(sz * n), p);
    return sz * n;
}

int ev_drv_fc_api_error(ev_error *err, const char *what, long code, const char *body)
{
    cJSON *j = body ? cJSON_Parse(body) : NULL;
    const cJSON *fm = cJSON_GetObjectItemCaseSensitive(j, "fault_message");
    int rc = ev_error_set(err, EV_EAPI, "firecracker API: %s answered %ld: %s", what, code,
                          cJSON_IsString(fm) ? fm->valuestring
                          : body            ? body
                                            : "(no body)");
    cJSON_Delete(j);
    return rc;
}

/* one PUT; RETURNS EV_OK on 2xx */
static int fc_put(ev_driver *d, const fc_req *r, ev_error *err)
{
    fc_priv *f = d->priv;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    ev_drv_buf resp = {0};
    char url[256], cerr[CURL_ERROR_SIZE] = "";
    CURLcode cc;
    long code = 0;
    int rc = EV_OK;
    if (!c)
        return ev_error_set(err, EV_ENOMEM, "curl_easy_init failed");
    snprintf(url, sizeof url, "http://localhost%s", r->path);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Accept: application/json");
    curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, f->sock);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, cerr);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(f->api_timeout_s * 1000));
    cc = curl_easy_perform(c);
    if (cc != CURLE_OK) {
        char when[128];
        double until = ev_time_now_s() + 1.0;
        snprintf(when, sizeof when, "during PUT %s", r->path);
        /* a dropped connection usually means the VMM died: give it a moment to be reaped */
        while (ev_drv_alive(d) && ev_time_now_s() < until)
            ev_time_sleep_s(0.02, NULL);
        if (!d->running)
            rc = ev_drv_died(d, when, err);
        else
            rc = ev_error_set(err, cc == CURLE_OPERATION_TIMEDOUT ? EV_ETIMEOUT : EV_ECONNECT,
                              "firecracker API: PUT %s: %s", r->path,
                              cerr[0] ? cerr : curl_easy_strerror(cc));
    } else {
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
        if (code < 200 || code >= 300) {
            char what[160];
            snprintf(what, sizeof what, "PUT %s", r->path);
            rc = ev_drv_fc_api_error(err, what, code, resp.s);
        }
    }
    free(resp.s);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return rc;
}

/* 1 when the API socket accepts connections. The socket file appears at bind(2), before the
 * VMM calls listen(2): a PUT sent in between is refused, so the file alone is not enough. */
static int fc_sock_listening(const char *path)
{
    struct sockaddr_un sa;
    int fd, ok;
    if (strlen(path) >= sizeof sa.sun_path)
        return 0;
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return 0;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, path, strlen(path) + 1);
    ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    return ok;
}

static int fc_start(ev_driver *d, ev_error *err)
{
    fc_priv *f = d->priv;
    ev_drv_argv a = {0};
    fc_req r[FC_NREQ];
    char *vargv[] = {f->bin, "--version", NULL};
    double end;
    int rc, i;

    snprintf(f->sock, sizeof f->sock, "%s/firecracker.sock", d->dir);
    unlink(f->sock); /* firecracker refuses an existing socket path */
    fc_argv(d, f->sock, &a);
    if (a.oom) {
        ev_drv_argv_free(&a);
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    }
    rc = ev_drv_spawn_main(d, a.v, err);
    ev_drv_argv_free(&a);
    if (rc != EV_OK)
        return rc;
    d->running = 1;

    end = ev_time_now_s() + f->api_timeout_s;
    for (;;) {
        struct stat st;
        if (stat(f->sock, &st) == 0 && S_ISSOCK(st.st_mode) && fc_sock_listening(f->sock))
            break;
        if (!ev_drv_alive(d))
            return ev_drv_died(d, "before its API socket appeared", err);
        if (ev_time_now_s() >= end)
            return ev_error_set(err, EV_ETIMEOUT, "firecracker: API socket %s did not appear "
                                                  "(or accept connections) within %.3g s",
                                f->sock, f->api_timeout_s);
        ev_time_sleep_s(0.01, NULL);
    }
    if (fc_requests(d, r) != EV_OK)
        return ev_error_set(err, EV_ENOMEM, "out of memory");
    for (i = 0; i < FC_NREQ && rc == EV_OK; i++)
        rc = fc_put(d, &r[i], err);
    reqs_free(r);
    if (rc != EV_OK)
        return rc;
    ev_drv_probe_version(d, vargv);
    return EV_OK;
}

static int fc_after_ready(ev_driver *d, ev_error *err)
{
    /* the VMM was pinned before exec, so its threads inherited the mask; pin the vCPU
     * threads explicitly anyway, as Firecracker's jailer docs advise */
    return ev_drv_pin_threads(d, "fc_vcpu", err);
}

static int fc_pids(ev_driver *d, ev_driver_pids *out, ev_error *err)
{
    (void)err;
    out->n_vcpu = ev_drv_find_threads(d->pid, "fc_vcpu", out->vcpu, EV_DRIVER_MAX_TIDS);
    return EV_OK;
}

static int fc_preflight(const ev_driver *d, ev_error *err)
{
    const fc_priv *f = d->priv;
    int rc;
    if ((rc = ev_drv_need_exec(d, "firecracker", f->bin, err)) != EV_OK ||
        (rc = ev_drv_need_file(d, "kernel", f->kernel, err)) != EV_OK ||
        (f->initrd[0] && (rc = ev_drv_need_file(d, "initrd", f->initrd, err)) != EV_OK) ||
        (f->rootfs[0] && (rc = ev_drv_need_file(d, "rootfs", f->rootfs, err)) != EV_OK))
        return rc;
    return ev_drv_need_iface(d, "tap", f->tap, err);
}

const ev_drv_ops ev_drv_firecracker_ops = {
    .preflight = fc_preflight,
    .name = "firecracker",
    .parse = fc_parse,
    .plan = fc_plan,
    .plan_after_ready = fc_plan_after_ready,
    .start = fc_start,
    .after_ready = fc_after_ready,
    .pids = fc_pids,
    .free_priv = fc_free,
};
