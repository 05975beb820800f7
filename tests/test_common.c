#include "ev_err.h"
#include "ev_fs.h"
#include "ev_strbuf.h"
#include "ev_test.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    rmdir(dir);
    return ev_test_done();
}
