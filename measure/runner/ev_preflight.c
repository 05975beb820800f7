/* ev_preflight.c - what must hold before a run's first point (ev_runner.h,
 * ev_runner_preflight): the load generator, every platform's needs, the sampled interfaces.
 * A missing tool, kernel or interface would otherwise fail every point, one by one. */
#include "ev_runner.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ev_driver.h"
#include "ev_fs.h"

const char *ev_runner_load_bin(const ev_spec *s, const ev_runner_options *o)
{
    if (o && o->load_bin && *o->load_bin)
        return o->load_bin;
    if (s->load_given)
        return s->load_bin;
    if (o && o->load_default && *o->load_default)
        return o->load_default;
    return s->load_bin; /* "edgevirt-load" */
}

/* does the client run on another host (ssh prefix)? */
static int remote_client(const ev_spec *s)
{
    const char *p = s->client_prefix[0], *base;
    if (!p)
        return 0;
    base = strrchr(p, '/');
    base = base ? base + 1 : p;
    return strcmp(base, "ssh") == 0;
}

int ev_runner_preflight(const ev_spec *s, const ev_runner_options *o, ev_error *err)
{
    const char *load = ev_runner_load_bin(s, o);
    size_t i;
    int rc;

    if (s->client_prefix[0] && !ev_fs_find_exec(s->client_prefix[0], NULL, 0))
        return ev_error_set(err, EV_ENOENT, "%s: client.prefix[0]: \"%s\" is not found on PATH "
                            "(or is not executable)", s->file, s->client_prefix[0]);
    if (!remote_client(s) && !ev_fs_find_exec(load, NULL, 0)) {
        if (o && o->load_bin && *o->load_bin)
            return ev_error_set(err, EV_ENOENT, "--load: \"%s\" is not an executable file",
                                load);
        if (s->load_given)
            return ev_error_set(err, EV_ENOENT, "%s: client.load: \"%s\" is not %s", s->file,
                                load, strchr(load, '/') ? "an executable file"
                                                        : "found on PATH");
        return ev_error_set(err, EV_ENOENT, "cannot find the load generator \"%s\": it is "
                            "neither beside edgevirt-measure nor on PATH; build it (cmake "
                            "--build build), install it (cmake --install build), or pass "
                            "--load PATH", load);
    }
    for (i = 0; i < s->nplatforms; i++) {
        ev_driver *d = NULL;
        if ((rc = ev_driver_new(&d, s->platforms[i].settings, s->platforms[i].path, err)) !=
            EV_OK)
            return rc;
        rc = ev_driver_preflight(d, err);
        ev_driver_free(d);
        if (rc != EV_OK)
            return rc; /* the message names platforms[i].settings.FIELD */
    }
    for (i = 0; i < s->nifaces; i++) {
        char p[64];
        snprintf(p, sizeof p, "/sys/class/net/%s", s->ifaces[i].name);
        if (access(p, F_OK) != 0)
            return ev_error_set(err, EV_ENOENT, "%s: gateway.interfaces[%zu].name: network "
                                "interface \"%s\" does not exist in this network namespace "
                                "(run edgevirt-measure where it exists, e.g. under ip netns "
                                "exec NS, or create it first)", s->file, i,
                                s->ifaces[i].name);
    }
    return EV_OK;
}
