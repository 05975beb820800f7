/* relay_main.c - edgevirt-relay: the userspace relay CLI (see ev_relay.h, docs/testbed.md). */
#include "ev_relay.h"
#include "ev_version.h"
#include <cjson/cJSON.h>
#include "ev_testbed_parse.h"

#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile sig_atomic_t g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: edgevirt-relay --listen [ADDR:]PORT --connect ADDR:PORT [options]\n"
        "\n"
        "A userspace TCP relay in front of a server (Redis): the analogue of a virtio device\n"
        "backend in a VMM's userspace. Each readiness event does one read(2) into a user buffer\n"
        "or one write(2) out of it; TCP_NODELAY is set on both legs.\n"
        "\n"
        "Options:\n"
        "  -l, --listen [ADDR:]PORT   numeric IPv4 address and port to listen on (default\n"
        "                             address 0.0.0.0; port 0 picks a free port)\n"
        "  -c, --connect ADDR:PORT    backend address (numeric IPv4) and port\n"
        "  -b, --buffer BYTES         buffer per direction per connection (default 65536)\n"
        "      --backlog N            listen backlog (default 4096)\n"
        "      --max-conns N          connections served at once (default 1024)\n"
        "      --no-nodelay           leave Nagle's algorithm on (for experiments only)\n"
        "      --stats                print the counters as JSON on stderr when stopping\n"
        "  -h, --help                 this text\n"
        "  -V, --version              version and library versions\n"
        "\n"
        "Stops on SIGTERM or SIGINT. Exit status: 0 stopped by a signal, 1 runtime failure,\n"
        "2 usage error.\n");
}

/* "[ADDR:]PORT" -> host, port. */
static int split_hostport(char *host, size_t hlen, long *port, const char *s, int need_host,
                          ev_error *err)
{
    const char *colon = strrchr(s, ':');
    const char *ps = colon ? colon + 1 : s;
    if (colon) {
        size_t n = (size_t)(colon - s);
        if (n == 0 || n >= hlen)
            return ev_error_set(err, EV_EINVAL, "'%s': bad address", s);
        memcpy(host, s, n);
        host[n] = '\0';
    } else if (need_host) {
        return ev_error_set(err, EV_EINVAL, "'%s': expected ADDR:PORT", s);
    }
    return ev_testbed_parse_int(port, ps, 0, 65535, "port", err);
}

static void print_version(const char *tool)
{
    char buf[512];
    const ev_libver libs[] = { EV_LIBVER_CJSON };
    fputs(ev_version_text(buf, sizeof buf, tool, libs, sizeof libs / sizeof libs[0]), stdout);
}

int main(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))) {
        print_version("edgevirt-relay");
        return 0;
    }
    static const struct option longopts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "connect", required_argument, NULL, 'c' },
        { "buffer", required_argument, NULL, 'b' },
        { "backlog", required_argument, NULL, 1 },
        { "max-conns", required_argument, NULL, 2 },
        { "no-nodelay", no_argument, NULL, 3 },
        { "stats", no_argument, NULL, 4 },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    ev_relay_options o = EV_RELAY_OPTIONS_INIT;
    char lhost[64] = "0.0.0.0", chost[64] = "";
    long lport = -1, cport = -1, v;
    int c, rc, want_stats = 0;
    ev_error err = EV_ERROR_INIT;
    ev_relay *r = NULL;
    struct sigaction sa;

    setlocale(LC_ALL, "C");
    while ((c = getopt_long(argc, argv, "l:c:b:h", longopts, NULL)) != -1) {
        rc = EV_OK;
        switch (c) {
        case 'l': rc = split_hostport(lhost, sizeof lhost, &lport, optarg, 0, &err); break;
        case 'c': rc = split_hostport(chost, sizeof chost, &cport, optarg, 1, &err); break;
        case 'b':
            rc = ev_testbed_parse_int(&v, optarg, 1024, 16L << 20, "--buffer", &err);
            o.buffer_size = (size_t)v;
            break;
        case 1:
            rc = ev_testbed_parse_int(&v, optarg, 1, 1 << 20, "--backlog", &err);
            o.backlog = (int)v;
            break;
        case 2:
            rc = ev_testbed_parse_int(&v, optarg, 1, 65536, "--max-conns", &err);
            o.max_conns = (int)v;
            break;
        case 3: o.nodelay = 0; break;
        case 4: want_stats = 1; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (rc != EV_OK) {
            fprintf(stderr, "edgevirt-relay: %s\n", err.msg);
            return 2;
        }
    }
    if (optind < argc || lport < 0 || cport < 0) {
        fprintf(stderr, "edgevirt-relay: %s\n", optind < argc ? "unexpected argument" :
                "--listen and --connect are required");
        usage(stderr);
        return 2;
    }
    o.listen_host = lhost;
    o.listen_port = (int)lport;
    o.connect_host = chost;
    o.connect_port = (int)cport;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    rc = ev_relay_new(&r, &o, &err);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-relay: %s\n", err.msg);
        return ev_exit_code(rc);
    }
    fprintf(stderr, "edgevirt-relay: listening on %s:%d, relaying to %s:%d (buffer %zu B)\n",
            lhost, ev_relay_port(r), chost, (int)cport, o.buffer_size);
    rc = ev_relay_run(r, &g_stop, &err);
    if (want_stats) {
        ev_relay_stats st;
        ev_relay_get_stats(r, &st);
        fprintf(stderr, "{\"accepted\":%llu,\"refused\":%llu,\"closed\":%llu,\"bytes_up\":%llu,"
                "\"bytes_down\":%llu,\"reads\":%llu,\"writes\":%llu,\"partial_writes\":%llu}\n",
                (unsigned long long)st.accepted, (unsigned long long)st.refused,
                (unsigned long long)st.closed, (unsigned long long)st.bytes_up,
                (unsigned long long)st.bytes_down, (unsigned long long)st.reads,
                (unsigned long long)st.writes, (unsigned long long)st.partial_writes);
    }
    ev_relay_free(r);
    if (rc != EV_OK) {
        fprintf(stderr, "edgevirt-relay: %s\n", err.msg);
        return ev_exit_code(rc);
    }
    return 0;
}
