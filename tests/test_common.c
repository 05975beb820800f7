#include "ev_err.h"
#include "ev_fs.h"
#include "ev_spawn.h"
#include "ev_strbuf.h"
#include "ev_test.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* common/ev_spawn: the one fork/exec helper (issue 15) */
static void test_spawn(const char *dir)
{
    ev_spawn_options o = EV_SPAWN_OPTIONS_INIT;
    ev_spawn_child c;
    ev_error err = EV_ERROR_INIT;
    char buf[256], log[300];
    ssize_t n;
    int st, cpu0 = 0;
    char *echo[] = { "sh", "-c", "pwd; echo oops >&2; ps -o pgid= -p $$", NULL };
    char *missing[] = { "/nonexistent/ev-no-such-tool", NULL };
    char *empty[] = { NULL };
    char *out[] = { "echo", "to the log", NULL };
    char *bad_ns[] = { "true", NULL };

    /* pipes, working directory, own process group */
    o.out = EV_SPAWN_PIPE;
    o.err = EV_SPAWN_PIPE;
    o.cwd = "/";
    o.pdeathsig = SIGKILL;
    o.cpus = &cpu0;
    o.ncpus = 1;
    EV_CHECK_MSG(ev_spawn(&c, echo, &o, &err) == EV_OK, "%s", err.msg);
    EV_CHECK(c.pid > 0 && c.out_fd >= 0 && c.err_fd >= 0);
    {
        size_t got = 0;
        while (got + 1 < sizeof buf && (n = read(c.out_fd, buf + got, sizeof buf - 1 - got)) > 0)
            got += (size_t)n;
        buf[got] = '\0';
    }
    EV_CHECK_MSG(strncmp(buf, "/\n", 2) == 0, "%s", buf);
    EV_CHECK_MSG(atoi(buf + 2) == (int)c.pid, "pgid line \"%s\" vs pid %d", buf + 2, (int)c.pid);
    n = read(c.err_fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = '\0';
    EV_CHECK_STR(buf, "oops\n");
    close(c.out_fd);
    close(c.err_fd);
    EV_CHECK(waitpid(c.pid, &st, 0) == c.pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* a missing binary is refused at once, nothing left running */
    EV_CHECK(ev_spawn(&c, missing, NULL, &err) == EV_ENOENT);
    EV_CHECK_MSG(strstr(err.msg, "ev-no-such-tool: binary not found") != NULL, "%s", err.msg);
    EV_CHECK(c.pid == 0 && c.out_fd == -1 && c.err_fd == -1);
    EV_CHECK(ev_spawn(&c, empty, NULL, &err) == EV_EINVAL);

    /* stdout and stderr appended to a log */
    snprintf(log, sizeof log, "%s/spawn.log", dir);
    o = (ev_spawn_options)EV_SPAWN_OPTIONS_INIT;
    o.out = EV_SPAWN_FILE;
    o.err = EV_SPAWN_STDOUT;
    o.log_path = log;
    EV_CHECK(ev_spawn(&c, out, &o, &err) == EV_OK);
    EV_CHECK(waitpid(c.pid, &st, 0) == c.pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    {
        FILE *f = fopen(log, "r");
        EV_CHECK(f && fgets(buf, sizeof buf, f) && strcmp(buf, "to the log\n") == 0);
        if (f)
            fclose(f);
    }
    unlink(log);
    /* a namespace that does not exist: the step is named */
    o = (ev_spawn_options)EV_SPAWN_OPTIONS_INIT;
    o.netns_path = "/nonexistent/netns";
    EV_CHECK(ev_spawn(&c, bad_ns, &o, &err) == EV_ESYS);
    EV_CHECK_MSG(strstr(err.msg, "cannot enter network namespace /nonexistent/netns") != NULL,
                 "%s", err.msg);
}

int main(void)
{
    char dir[] = "/tmp/ev_test_common.XXXXXX";
    char path[256], *buf = NULL;
    size_t len = 0;
    ev_error err = EV_ERROR_INIT;
    FILE *f;

    EV_CHECK(ev_exit_code(EV_OK) == 0);
    EV_CHECK(ev_exit_code(EV_ESCHEMA) == 2);
    EV_CHECK(ev_exit_code(EV_EIO) == 1);
    EV_CHECK(ev_exit_code(EV_EMODEL) == 1);
    EV_CHECK_STR(ev_strerror(EV_ETIMEOUT), "timed out");
    EV_CHECK(ev_error_set(&err, EV_EINVAL, "f.json:%d: %s: bad", 3, "size") == EV_EINVAL);
    EV_CHECK_STR(err.msg, "f.json:3: size: bad");
    ev_error_prefix(&err, "loading %s", "x");
    EV_CHECK_STR(err.msg, "loading x: f.json:3: size: bad");

    {
        /* the shared text buffer grows past its first allocation and keeps every byte */
        ev_strbuf sb = EV_STRBUF_INIT;
        int i;
        ev_strbuf_printf(&sb, "%s", "");
        EV_CHECK(sb.s != NULL && sb.len == 0 && sb.s[0] == '\0');
        for (i = 0; i < 100; i++)
            ev_strbuf_printf(&sb, "%04d,", i);
        EV_CHECK(!sb.oom && sb.len == 500 && strlen(sb.s) == 500);
        EV_CHECK(strncmp(sb.s, "0000,0001,", 10) == 0 && strcmp(sb.s + 495, "0099,") == 0);
        free(sb.s);
    }
    EV_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/r.jsonl", dir);
    /* a truncated last line is closed before the next record is appended */
    f = fopen(path, "w");
    fputs("{\"a\":1}\n{\"trunc", f);
    fclose(f);
    EV_CHECK(ev_fs_append_durable(path, "{\"b\":2}\n", 8, &err) == EV_OK);
    EV_CHECK(ev_fs_read_all(&buf, &len, path, &err) == EV_OK);
    EV_CHECK_STR(buf, "{\"a\":1}\n{\"trunc\n{\"b\":2}\n");
    free(buf);
    snprintf(path, sizeof path, "%s/out.json", dir);
    EV_CHECK(ev_fs_write_atomic(path, "{}\n", 3, &err) == EV_OK);
    EV_CHECK(ev_fs_read_all(&buf, &len, path, &err) == EV_OK && len == 3);
    free(buf);
    unlink(path);
    snprintf(path, sizeof path, "%s/r.jsonl", dir);
    unlink(path);
    EV_CHECK(ev_fs_read_all(&buf, &len, "/nonexistent/x", &err) == EV_ENOENT);
    /* a folder where a file is expected is bad input (exit 2) and the message says why */
    EV_CHECK(ev_fs_read_all(&buf, &len, dir, &err) == EV_EINVAL);
    EV_CHECK(strstr(err.msg, "Is a directory") != NULL);
    EV_CHECK(ev_exit_code(err.code) == 2);
    /* append creates a missing file (and fsyncs its folder) */
    snprintf(path, sizeof path, "%s/new.jsonl", dir);
    EV_CHECK(ev_fs_append_durable(path, "{}\n", 3, &err) == EV_OK);
    EV_CHECK(ev_fs_read_all(&buf, &len, path, &err) == EV_OK && len == 3);
    free(buf);
    unlink(path);
    /* a relative path (folder ".") works for both writers */
    EV_CHECK(ev_fs_write_atomic("ev_test_common_rel.json", "{}\n", 3, &err) == EV_OK);
    unlink("ev_test_common_rel.json");
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    EV_CHECK(ev_fs_mkdirs(path, &err) == EV_OK);
    rmdir(path);
    snprintf(path, sizeof path, "%s/a/b", dir); rmdir(path);
    snprintf(path, sizeof path, "%s/a", dir); rmdir(path);
    {
        char sdir[] = "/tmp/ev_test_spawn.XXXXXX";
        EV_CHECK(mkdtemp(sdir) != NULL);
        test_spawn(sdir);
        rmdir(sdir);
    }
    return ev_test_done();
}
