/*
 * test_client.c - unit tests of the client's argument parsing, REQUEST encoding and reply decoding, and of
 * the client against a fake runtime on a pty: WINCH frames on SIGWINCH, the terminal restored however it ends.
 */
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "client.h"
#include "plan.h"
#include "protocol.h"

static int failures, checks;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		checks++;                                                               \
		if (!(cond)) {                                                          \
			failures++;                                                     \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, \
				__func__, #cond);                                       \
		}                                                                       \
	} while (0)

static uint8_t buf[LXJ_MAX_MESSAGE + 64];

static void test_parse_args(void)
{
	struct client_options o;
	char err[128];
	char *run[] = { "client", "lxc-ls", "-f", NULL };
	CHECK(client_parse_args(3, run, &o, err, sizeof(err)) == 0);
	CHECK(o.action == CLIENT_RUN && o.fallback == NULL && o.argc == 2);
	CHECK(strcmp(o.argv[0], "lxc-ls") == 0 && strcmp(o.argv[1], "-f") == 0);

	char *fb[] = { "client", "--fallback", "/opt/lxj/bin/lxj", "--", "--odd", "x", NULL };
	CHECK(client_parse_args(6, fb, &o, err, sizeof(err)) == 0);
	CHECK(strcmp(o.fallback, "/opt/lxj/bin/lxj") == 0 && o.argc == 2 && strcmp(o.argv[0], "--odd") == 0);

	char *sd[] = { "client", "--shutdown", NULL };
	CHECK(client_parse_args(2, sd, &o, err, sizeof(err)) == 0 && o.action == CLIENT_SHUTDOWN && o.argc == 0);
	char *ping[] = { "client", "--ping", NULL };
	CHECK(client_parse_args(2, ping, &o, err, sizeof(err)) == 0 && o.action == CLIENT_PING);

	char *none[] = { "client", NULL };
	CHECK(client_parse_args(1, none, &o, err, sizeof(err)) < 0 && strstr(err, "no command"));
	char *dangling[] = { "client", "--fallback", NULL };
	CHECK(client_parse_args(2, dangling, &o, err, sizeof(err)) < 0 && strstr(err, "--fallback"));
	char *unknown[] = { "client", "--bogus", "x", NULL };
	CHECK(client_parse_args(3, unknown, &o, err, sizeof(err)) < 0 && strstr(err, "--bogus"));
	char *extra[] = { "client", "--shutdown", "now", NULL };
	CHECK(client_parse_args(3, extra, &o, err, sizeof(err)) < 0);
}

/* Reads the attributes of an encoded REQUEST back. */
struct decoded {
	uint32_t version, tty, width;
	int argc;
	const char *argv[16];
	const char *cwd;
	int unterminated;
};

static int decode(const uint8_t *b, size_t n, struct decoded *d)
{
	memset(d, 0, sizeof(*d));
	size_t off = 0;
	struct tlv f, a;
	if (tlv_next(b, n, &off, &f) != 1 || off != n || f.type != LXJ_MSG_REQUEST || f.flags != 0)
		return -1;
	size_t aoff = 0;
	while (tlv_next(f.payload, f.len, &aoff, &a) == 1) {
		if (a.type == LXJ_REQ_ARG || a.type == LXJ_REQ_CWD) {
			if (a.len == 0 || a.payload[a.len - 1] != '\0')
				d->unterminated = 1;
			if (a.type == LXJ_REQ_CWD)
				d->cwd = (const char *)a.payload;
			else if (d->argc < 16)
				d->argv[d->argc++] = (const char *)a.payload;
		} else if (a.len == 4) {
			uint32_t v;
			memcpy(&v, a.payload, 4);
			if (a.type == LXJ_REQ_VERSION)
				d->version = v;
			else if (a.type == LXJ_REQ_TTY)
				d->tty = v;
			else if (a.type == LXJ_REQ_WIDTH)
				d->width = v;
		}
	}
	return aoff == f.len ? 0 : -1;
}

static void test_encode_round_trip(void)
{
	char *args[] = { "lxc-info", "-n", "no such \"box\";*", "", "$HOME", NULL };
	struct client_request r = { .argc = 5, .argv = args, .cwd = "/tmp/a b", .tty = LXJ_TTY_IN | LXJ_TTY_OUT,
				    .width = 132 };
	size_t n = client_encode_request(buf, sizeof(buf), &r);
	CHECK(n > LXJ_TLV_HEADER_SIZE);
	struct decoded d;
	CHECK(decode(buf, n, &d) == 0);
	CHECK(d.version == LXJ_PROTOCOL_VERSION);
	CHECK(d.argc == 5);
	for (int i = 0; i < 5 && i < d.argc; i++)
		CHECK(strcmp(d.argv[i], args[i]) == 0);
	CHECK(d.cwd && strcmp(d.cwd, "/tmp/a b") == 0);
	CHECK(d.tty == (LXJ_TTY_IN | LXJ_TTY_OUT) && d.width == 132);
	CHECK(!d.unterminated);

	r.cwd = NULL;
	n = client_encode_request(buf, sizeof(buf), &r);
	CHECK(decode(buf, n, &d) == 0 && d.cwd == NULL && d.argc == 5);
}

static void test_encode_limits(void)
{
	char *args[] = { "lxc-ls", NULL };
	struct client_request r = { .argc = 0, .argv = args };
	CHECK(client_encode_request(buf, sizeof(buf), &r) == 0);   /* no command */
	r.argc = 1;
	size_t n = client_encode_request(buf, sizeof(buf), &r);
	CHECK(n > 0);
	CHECK(client_encode_request(buf, n - 1, &r) == 0);          /* one byte short */
	CHECK(client_encode_request(buf, n, &r) == n);
	CHECK(client_encode_request(buf, 4, &r) == 0);

	/* more than the frame limit, even with room in the buffer */
	static char big[LXJ_MAX_MESSAGE];
	memset(big, 'x', sizeof(big) - 1);
	char *bigargs[] = { "lxc-ls", big, NULL };
	struct client_request b = { .argc = 2, .argv = bigargs };
	CHECK(client_encode_request(buf, sizeof(buf), &b) == 0);

	/* too many arguments */
	int many = LXJ_MAX_REQUEST_ARGS + 1;
	char **margs = calloc((size_t)many, sizeof(char *));
	for (int i = 0; i < many; i++)
		margs[i] = "a";
	struct client_request m = { .argc = many, .argv = margs };
	CHECK(client_encode_request(buf, sizeof(buf), &m) == 0);
	m.argc = LXJ_MAX_REQUEST_ARGS;
	CHECK(client_encode_request(buf, sizeof(buf), &m) > 0);
	free(margs);
}

static size_t reply(uint16_t type, uint16_t atype, const void *p, uint32_t len)
{
	uint8_t attrs[256];
	size_t a = len == UINT32_MAX ? 0 : tlv_put(attrs, sizeof(attrs), 0, atype, 0, p, len);
	return tlv_put(buf, sizeof(buf), 0, type, 0, attrs, (uint32_t)a);
}

static void test_decode_reply(void)
{
	int status = -1;
	char msg[32] = "";
	uint32_t v = 42;
	size_t n = reply(LXJ_MSG_STATUS, LXJ_REPLY_STATUS, &v, 4);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == 0 && status == 42);
	CHECK(client_decode_reply(buf, n - 1, &status, msg, sizeof(msg)) == -1);     /* truncated */
	CHECK(client_decode_reply(buf, n + 1, &status, msg, sizeof(msg)) == -1);     /* trailing byte */

	n = reply(LXJ_MSG_STATUS, LXJ_REPLY_STATUS, &v, 2);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == -1);         /* short status */
	n = reply(LXJ_MSG_STATUS, 0, NULL, UINT32_MAX);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == -1);         /* no status */
	n = reply(LXJ_MSG_STATUS, 99, &v, 4);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == -1);         /* unknown, not optional */

	const char text[] = "Permission denied: uid 1000 may not use the runtime";
	n = reply(LXJ_MSG_ERROR, LXJ_ERR_MESSAGE, text, sizeof(text));
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == 1);
	CHECK(strncmp(msg, text, sizeof(msg) - 1) == 0 && strlen(msg) == sizeof(msg) - 1);  /* cut to fit */
	n = reply(LXJ_MSG_ERROR, LXJ_ERR_MESSAGE, text, sizeof(text) - 1);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == -1);         /* not NUL-terminated */
	n = reply(LXJ_MSG_PLAN, LXJ_REPLY_STATUS, &v, 4);
	CHECK(client_decode_reply(buf, n, &status, msg, sizeof(msg)) == -1);         /* wrong message */
}

static void test_winch_frame(void)
{
	uint8_t f[LXJ_TLV_HEADER_SIZE];
	CHECK(client_encode_winch(f, sizeof(f)) == LXJ_TLV_HEADER_SIZE);
	size_t off = 0;
	struct tlv t;
	CHECK(tlv_next(f, sizeof(f), &off, &t) == 1 && t.type == LXJ_MSG_WINCH && t.len == 0 && t.flags == 0);
	CHECK(client_encode_winch(f, sizeof(f) - 1) == 0);
}

static int canonical(int fd)
{
	struct termios t;
	return tcgetattr(fd, &t) == 0 && (t.c_lflag & ICANON) && (t.c_lflag & ECHO);
}

static void make_raw(int fd)
{
	struct termios t;
	if (tcgetattr(fd, &t) == 0) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
}

static void test_save_restore(void)
{
	int master, slave;
	CHECK(openpty(&master, &slave, NULL, NULL, NULL) == 0);
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int fds[3] = { slave, devnull, slave };
	struct client_terminals t;
	CHECK(client_save_terminals(&t, fds, 3) == 2);
	CHECK(t.saved[0] && !t.saved[1] && t.saved[2]);
	CHECK(canonical(slave));
	make_raw(slave);
	CHECK(!canonical(slave));
	client_restore_terminals(&t, fds, 3);
	CHECK(canonical(slave));
	client_restore_terminals(&t, fds, 3);                        /* unchanged: nothing to do */
	CHECK(canonical(slave));
	close(devnull);
	close(slave);
	close(master);
}

/* A fake runtime: a listening socket at a temporary path, the client forked with fds 0-2 on a pty slave. */
struct fake {
	char dir[48], path[96];
	int listener, master, slave, conn;
	pid_t child;
};

static int fake_start(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "/tmp/lxj-client-test-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/control.sock", f->dir);
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", f->path);
	f->listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (f->listener < 0 || bind(f->listener, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(f->listener, 1) < 0)
		return -1;
	if (openpty(&f->master, &f->slave, NULL, NULL, NULL) < 0)
		return -1;
	fflush(NULL);
	f->child = fork();
	if (f->child < 0)
		return -1;
	if (f->child == 0) {
		for (int i = 0; i < 3; i++)
			dup2(f->slave, i);
		setenv("LXJ_CONTROL_SOCKET", f->path, 1);
		char *argv[] = { "client", "lxc-console", "-n", "c", NULL };
		_exit(client_main(4, argv));
	}
	f->conn = accept4(f->listener, NULL, NULL, SOCK_CLOEXEC);
	if (f->conn < 0)
		return -1;
	/* the request, with the client's three fds */
	union {
		char b[CMSG_SPACE(3 * sizeof(int))];
		struct cmsghdr align;
	} control;
	struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.b,
			    .msg_controllen = sizeof(control.b) };
	ssize_t n = recvmsg(f->conn, &m, MSG_CMSG_CLOEXEC);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (n <= 0 || !c || c->cmsg_type != SCM_RIGHTS)
		return -1;
	int got[3];
	memcpy(got, CMSG_DATA(c), sizeof(got));
	for (int i = 0; i < 3; i++)
		close(got[i]);
	struct decoded d;
	int ok = decode(buf, (size_t)n, &d) == 0 && d.argc == 3 && (d.tty & LXJ_TTY_IN);
	return ok ? 0 : -1;
}

/* Waits for the client; returns its wait status. */
static int fake_finish(struct fake *f)
{
	int st = -1;
	if (f->conn >= 0)
		close(f->conn);                                      /* a client still waiting sees a hang-up */
	while (f->child > 0 && waitpid(f->child, &st, 0) < 0 && errno == EINTR)
		;
	close(f->listener);
	close(f->slave);
	close(f->master);
	unlink(f->path);
	rmdir(f->dir);
	return st;
}

static void test_client_winch_and_status(void)
{
	struct fake f;
	CHECK(fake_start(&f) == 0);
	/* two window changes, each a WINCH frame */
	for (int i = 0; i < 2; i++) {
		CHECK(kill(f.child, SIGWINCH) == 0);
		ssize_t n = recv(f.conn, buf, sizeof(buf), 0);
		size_t off = 0;
		struct tlv t;
		CHECK(n == LXJ_TLV_HEADER_SIZE && tlv_next(buf, (size_t)n, &off, &t) == 1 && t.type == LXJ_MSG_WINCH);
	}
	uint32_t v = 7;
	size_t n = reply(LXJ_MSG_STATUS, LXJ_REPLY_STATUS, &v, 4);
	CHECK(send(f.conn, buf, n, 0) == (ssize_t)n);
	int st = fake_finish(&f);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
}

static void test_client_restores(int how)
{
	struct fake f;
	CHECK(fake_start(&f) == 0);
	make_raw(f.slave);
	CHECK(!canonical(f.slave));
	if (how == 0) {
		uint32_t v = 3;
		size_t n = reply(LXJ_MSG_STATUS, LXJ_REPLY_STATUS, &v, 4);
		CHECK(send(f.conn, buf, n, 0) == (ssize_t)n);
	} else if (how == 1) {
		close(f.conn);                                       /* the runtime hangs up */
		f.conn = -1;
	} else {
		CHECK(kill(f.child, how) == 0);                      /* SIGINT, SIGTERM, SIGHUP */
	}
	int st = -1;
	while (waitpid(f.child, &st, 0) < 0 && errno == EINTR)
		;
	f.child = -1;
	CHECK(canonical(f.slave));
	if (how == 0)
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 3);
	else if (how == 1)
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	else
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == how);
	fake_finish(&f);
}

static void test_lxj_dispatch(void)
{
	char *none[] = { "lxj", NULL };
	char *ls[] = { "lxj", "lxc-ls", "-f", NULL };
	char *daemon[] = { "lxj", "daemon", NULL };
	char *shutdown[] = { "lxj", "shutdown", NULL };
	char *script[] = { "lxj", "-c", "lxc-ls", NULL };
	char *version[] = { "lxj", "--version", NULL };
	char *help[] = { "lxj", "--help", NULL };
	char *empty[] = { "lxj", "", NULL };
	CHECK(lxj_wants_script(1, none, NULL) == 1);
	CHECK(lxj_wants_script(3, ls, NULL) == 0);
	CHECK(lxj_wants_script(3, ls, "") == 0);
	CHECK(lxj_wants_script(3, ls, "1") == 1);
	CHECK(lxj_wants_script(2, daemon, NULL) == 1);
	CHECK(lxj_wants_script(2, shutdown, NULL) == 1);
	CHECK(lxj_wants_script(3, script, NULL) == 1);
	CHECK(lxj_wants_script(2, version, NULL) == 1);
	CHECK(lxj_wants_script(2, help, NULL) == 1);
	CHECK(lxj_wants_script(2, empty, NULL) == 1);

	CHECK(lxj_is_entry_name("lxj") == 1);
	CHECK(lxj_is_entry_name("/opt/lxj/bin/lxj") == 1);
	CHECK(lxj_is_entry_name("/usr/local/bin/lxj-1.0") == 1);
	CHECK(lxj_is_entry_name("lxj-launcher") == 0);
	CHECK(lxj_is_entry_name("/opt/lxj/libexec/lxj-launcher") == 0);
	CHECK(lxj_is_entry_name("/var/lib/lxj/libexec/lxj-launcher-0123456789abcdef") == 0);
	CHECK(lxj_is_entry_name(NULL) == 0);

	char out[64];
	CHECK(lxj_script_path("/opt/lxj/bin/lxj", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "/opt/lxj/bin/../libexec/lxj.sh") == 0);
	CHECK(lxj_script_path("/lxj", out, sizeof(out)) == 0);
	CHECK(strcmp(out, "/../libexec/lxj.sh") == 0);
	CHECK(lxj_script_path("lxj", out, sizeof(out)) == -1);
	CHECK(lxj_script_path("/a/very/long/directory/name/that/does/not/fit/bin/lxj", out, sizeof(out)) == -1);
}

int main(void)
{
	test_parse_args();
	test_lxj_dispatch();
	test_encode_round_trip();
	test_encode_limits();
	test_decode_reply();
	test_winch_frame();
	test_save_restore();
	test_client_winch_and_status();
	test_client_restores(0);
	test_client_restores(1);
	test_client_restores(SIGINT);
	test_client_restores(SIGTERM);
	test_client_restores(SIGHUP);
	printf("client_test: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
