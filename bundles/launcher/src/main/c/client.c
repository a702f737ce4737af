/*
 * client.c - "lxj-launcher client": hands a command line and this process's fds 0-2 to the runtime
 * daemon over its control socket (SCM_RIGHTS), waits for the command's exit status and exits with it.
 * Nothing is relayed: the command writes to our terminal or pipes itself. SIGINT, SIGTERM and SIGHUP
 * close the connection, which the runtime takes as an interrupt of the command; SIGWINCH sends a WINCH
 * frame, so a command that follows the window size (lxc-console, lxc-attach) resizes its pty. The terminal
 * settings of fds 0-2 are saved before the request and put back however the client ends, so a command that
 * left the terminal raw never leaves it broken.
 */
#include "client.h"
#include "plan.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

int client_parse_args(int argc, char **argv, struct client_options *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->action = CLIENT_RUN;
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		} else if (strcmp(a, "--fallback") == 0) {
			if (i + 1 >= argc) {
				snprintf(err, errlen, "--fallback needs a program");
				return -1;
			}
			out->fallback = argv[++i];
		} else if (strcmp(a, "--shutdown") == 0) {
			out->action = CLIENT_SHUTDOWN;
		} else if (strcmp(a, "--ping") == 0) {
			out->action = CLIENT_PING;
		} else if (a[0] == '-') {
			snprintf(err, errlen, "unknown option \"%s\"", a);
			return -1;
		} else {
			break;
		}
	}
	out->argc = argc - i;
	out->argv = argv + i;
	if (out->action == CLIENT_RUN && out->argc == 0) {
		snprintf(err, errlen, "no command given");
		return -1;
	}
	if (out->action != CLIENT_RUN && out->argc != 0) {
		snprintf(err, errlen, "%s takes no command", out->action == CLIENT_PING ? "--ping" : "--shutdown");
		return -1;
	}
	return 0;
}

static size_t put_str(uint8_t *buf, size_t cap, size_t off, uint16_t type, const char *s)
{
	size_t len = strlen(s) + 1;
	if (off == 0 || len > UINT32_MAX)
		return 0;
	return tlv_put(buf, cap, off, type, 0, s, (uint32_t)len);
}

static size_t put_u32(uint8_t *buf, size_t cap, size_t off, uint16_t type, uint32_t v)
{
	return off == 0 ? 0 : tlv_put(buf, cap, off, type, 0, &v, 4);
}

size_t client_encode_request(uint8_t *buf, size_t cap, const struct client_request *r)
{
	if (r->argc < 1 || r->argc > LXJ_MAX_REQUEST_ARGS || cap < LXJ_TLV_HEADER_SIZE)
		return 0;
	/* the attributes first, after room for the frame header */
	size_t off = LXJ_TLV_HEADER_SIZE;
	off = put_u32(buf, cap, off, LXJ_REQ_VERSION, LXJ_PROTOCOL_VERSION);
	for (int i = 0; i < r->argc; i++)
		off = put_str(buf, cap, off, LXJ_REQ_ARG, r->argv[i]);
	if (r->cwd)
		off = put_str(buf, cap, off, LXJ_REQ_CWD, r->cwd);
	off = put_u32(buf, cap, off, LXJ_REQ_TTY, r->tty);
	off = put_u32(buf, cap, off, LXJ_REQ_WIDTH, r->width);
	if (off == 0 || off > LXJ_MAX_MESSAGE)
		return 0;
	uint16_t type = LXJ_MSG_REQUEST, flags = 0;
	uint32_t len = (uint32_t)(off - LXJ_TLV_HEADER_SIZE);
	memcpy(buf, &type, 2);
	memcpy(buf + 2, &flags, 2);
	memcpy(buf + 4, &len, 4);
	return off;
}

int client_decode_reply(const uint8_t *buf, size_t len, int *status, char *msg, size_t msglen)
{
	size_t off = 0;
	struct tlv frame, a;
	if (tlv_next(buf, len, &off, &frame) != 1 || off != len)
		return -1;
	int have_status = 0, have_msg = 0;
	size_t aoff = 0;
	int r;
	while ((r = tlv_next(frame.payload, frame.len, &aoff, &a)) == 1) {
		if (a.type == LXJ_REPLY_STATUS && frame.type == LXJ_MSG_STATUS) {
			uint32_t v;
			if (a.len != 4)
				return -1;
			memcpy(&v, a.payload, 4);
			*status = (int)v;
			have_status = 1;
		} else if (a.type == LXJ_ERR_MESSAGE && frame.type == LXJ_MSG_ERROR) {
			if (a.len == 0 || a.payload[a.len - 1] != '\0')
				return -1;
			snprintf(msg, msglen, "%s", (const char *)a.payload);
			have_msg = 1;
		} else if (!(a.flags & LXJ_FLAG_OPTIONAL) && frame.type == LXJ_MSG_STATUS) {
			return -1;
		}
	}
	if (r < 0)
		return -1;
	if (frame.type == LXJ_MSG_STATUS && have_status)
		return 0;
	if (frame.type == LXJ_MSG_ERROR && have_msg)
		return 1;
	return -1;
}

size_t client_encode_winch(uint8_t *buf, size_t cap)
{
	return tlv_put(buf, cap, 0, LXJ_MSG_WINCH, 0, NULL, 0);
}

int client_save_terminals(struct client_terminals *t, const int *fds, int n)
{
	int saved = 0;
	memset(t, 0, sizeof(*t));
	for (int i = 0; i < n && i < 3; i++) {
		if (isatty(fds[i]) && tcgetattr(fds[i], &t->tio[i]) == 0) {
			t->saved[i] = 1;
			saved++;
		}
	}
	return saved;
}

/*
 * Only settings that changed are written, and SIGTTOU is blocked meanwhile: a client in a background job
 * whose command left the terminal alone never touches it (nor stops on SIGTTOU).
 */
void client_restore_terminals(const struct client_terminals *t, const int *fds, int n)
{
	sigset_t ttou, old;
	sigemptyset(&ttou);
	sigaddset(&ttou, SIGTTOU);
	sigprocmask(SIG_BLOCK, &ttou, &old);
	for (int i = 0; i < n && i < 3; i++) {
		struct termios now;
		if (!t->saved[i] || (tcgetattr(fds[i], &now) == 0 && memcmp(&now, &t->tio[i], sizeof(now)) == 0))
			continue;
		while (tcsetattr(fds[i], TCSANOW, &t->tio[i]) < 0 && errno == EINTR)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static volatile sig_atomic_t got_signal;
static volatile sig_atomic_t got_winch;
static const int std_fds[3] = { 0, 1, 2 };

static void on_signal(int sig)
{
	got_signal = sig;
}

static void on_winch(int sig)
{
	(void)sig;
	got_winch = 1;
}

static void send_winch(int fd)
{
	uint8_t frame[LXJ_TLV_HEADER_SIZE];
	size_t n = client_encode_winch(frame, sizeof(frame));
	/* the runtime may be gone already: that shows as a hang-up when we wait for the answer */
	if (n > 0 && send(fd, frame, n, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 && errno != EAGAIN && errno != EPIPE &&
	    errno != ECONNRESET)
		fprintf(stderr, "lxj: Failed to send the window size change to the runtime: %s\n", strerror(errno));
}

/* fds 0-2 go to the runtime: a closed one is replaced by /dev/null first, before any other fd exists. */
static int ensure_std_fds(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		int n = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
		if (n < 0)
			return -1;
		if (n != fd) {
			close(n);
			errno = EBADF;
			return -1;
		}
	}
	return 0;
}

static int connect_socket(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(addr.sun_path, path);
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* No runtime to talk to: run the fallback (a runtime of our own) or report EX_TEMPFAIL. */
static int no_daemon(const struct client_options *o)
{
	if (o->action != CLIENT_RUN || !o->fallback)
		return LXJ_EXIT_NO_DAEMON;
	char **args = calloc((size_t)o->argc + 2, sizeof(char *));
	if (!args)
		return LXJ_EXIT_INTERNAL;
	args[0] = (char *)o->fallback;
	memcpy(args + 1, o->argv, (size_t)o->argc * sizeof(char *));
	setenv("LXJ_NO_DAEMON", "1", 1);
	execv(o->fallback, args);
	fprintf(stderr, "lxj: Failed to run \"%s\": %s\n", o->fallback, strerror(errno));
	return LXJ_EXIT_NOT_FOUND;
}

static int send_request(int fd, const struct client_options *o)
{
	static uint8_t buf[LXJ_MAX_MESSAGE];
	static char cwd[PATH_MAX];
	struct client_request r = { .argc = o->argc, .argv = o->argv };
	r.cwd = getcwd(cwd, sizeof(cwd));
	r.tty = (isatty(0) ? LXJ_TTY_IN : 0) | (isatty(1) ? LXJ_TTY_OUT : 0) | (isatty(2) ? LXJ_TTY_ERR : 0);
	struct winsize ws;
	int term = (r.tty & LXJ_TTY_OUT) ? 1 : (r.tty & LXJ_TTY_ERR) ? 2 : -1;
	if (term >= 0 && ioctl(term, TIOCGWINSZ, &ws) == 0)
		r.width = ws.ws_col;
	size_t len = client_encode_request(buf, sizeof(buf), &r);
	if (len == 0) {
		fprintf(stderr, "lxj: the command line is too long for the runtime (at most %d bytes, %d arguments)\n",
			LXJ_MAX_MESSAGE, LXJ_MAX_REQUEST_ARGS);
		return -LXJ_EXIT_USAGE;
	}
	int fds[LXJ_REQUEST_FDS] = { 0, 1, 2 };
	union {
		char buf[CMSG_SPACE(sizeof(fds))];
		struct cmsghdr align;
	} control;
	memset(&control, 0, sizeof(control));
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
			      .msg_controllen = sizeof(control.buf) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(c), fds, sizeof(fds));
	ssize_t n;
	do
		n = sendmsg(fd, &msg, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR && !got_signal);
	return n == (ssize_t)len ? 0 : -1;
}

static int send_shutdown(int fd)
{
	uint8_t frame[LXJ_TLV_HEADER_SIZE];
	if (tlv_put(frame, sizeof(frame), 0, LXJ_MSG_SHUTDOWN, 0, NULL, 0) == 0)
		return -1;
	return send(fd, frame, sizeof(frame), MSG_NOSIGNAL) == (ssize_t)sizeof(frame) ? 0 : -1;
}

/*
 * Waits for the answer, sending a WINCH frame for each window size change; a signal closes the connection
 * (the interrupt) and ends us with that signal, the terminals restored first.
 */
static int await_reply(int fd, const struct client_terminals *terms)
{
	static uint8_t buf[LXJ_MAX_MESSAGE];
	sigset_t waitmask;
	sigprocmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGHUP);
	sigdelset(&waitmask, SIGWINCH);
	struct pollfd p = { .fd = fd, .events = POLLIN };
	for (;;) {
		if (got_signal) {
			int sig = got_signal;
			close(fd);
			client_restore_terminals(terms, std_fds, 3);
			signal(sig, SIG_DFL);
			sigset_t s;
			sigemptyset(&s);
			sigaddset(&s, sig);
			sigprocmask(SIG_UNBLOCK, &s, NULL);
			raise(sig);
			return LXJ_EXIT_SIGNAL_BASE + sig;
		}
		if (got_winch) {
			got_winch = 0;
			send_winch(fd);
			continue;
		}
		int r = ppoll(&p, 1, NULL, &waitmask);
		if (r < 0 && errno == EINTR)
			continue;
		/* the command is over or the runtime gone: the terminal is the user's again before we print */
		client_restore_terminals(terms, std_fds, 3);
		if (r < 0) {
			fprintf(stderr, "lxj: Failed to wait for the runtime: %s\n", strerror(errno));
			return 1;
		}
		break;
	}
	ssize_t n;
	do
		n = recv(fd, buf, sizeof(buf), MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n == 0) {
		fprintf(stderr, "lxj: the runtime closed the connection without an exit status\n");
		return 1;
	}
	if (n < 0 || (size_t)n > sizeof(buf)) {
		fprintf(stderr, "lxj: Failed to read the runtime's answer: %s\n", n < 0 ? strerror(errno) : "too long");
		return 1;
	}
	int status = 1;
	char msg[1024];
	switch (client_decode_reply(buf, (size_t)n, &status, msg, sizeof(msg))) {
	case 0:
		return status & 0xff;
	case 1:
		fprintf(stderr, "lxj: %s\n", msg);
		return 1;
	default:
		fprintf(stderr, "lxj: the runtime's answer is malformed\n");
		return 1;
	}
}

int client_main(int argc, char **argv)
{
	struct client_options o;
	char err[256];
	if (client_parse_args(argc, argv, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "lxj-launcher client: %s\n"
				"Usage: lxj-launcher client [--fallback PROGRAM] [--ping | --shutdown | [--] COMMAND [ARG]...]\n",
			err);
		return LXJ_EXIT_USAGE;
	}
	if (ensure_std_fds() < 0) {
		fprintf(stderr, "lxj: Failed to open /dev/null for a closed standard fd: %s\n", strerror(errno));
		return 1;
	}
	const char *path = getenv("LXJ_CONTROL_SOCKET");
	if (!path || !*path)
		path = CLIENT_DEFAULT_SOCKET;
	int fd = connect_socket(path);
	if (fd < 0)
		return no_daemon(&o);
	if (o.action == CLIENT_PING) {
		close(fd);
		return LXJ_EXIT_OK;
	}
	/* From here a signal is an interrupt, delivered only while waiting (ppoll unblocks it). */
	sigset_t block;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGWINCH);
	sigprocmask(SIG_BLOCK, &block, NULL);
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	struct sigaction wa = { .sa_handler = on_winch };
	sigemptyset(&wa.sa_mask);
	sigaction(SIGWINCH, &wa, NULL);
	struct client_terminals terms;
	client_save_terminals(&terms, std_fds, o.action == CLIENT_RUN ? 3 : 0);
	int sent = o.action == CLIENT_SHUTDOWN ? send_shutdown(fd) : send_request(fd, &o);
	if (sent < -1)
		return -sent;
	if (sent < 0) {
		fprintf(stderr, "lxj: Failed to send the command to the runtime at \"%s\": %s\n", path, strerror(errno));
		return 1;
	}
	return await_reply(fd, &terms);
}

int lxj_is_entry_name(const char *argv0)
{
	if (!argv0)
		return 0;
	const char *slash = strrchr(argv0, '/');
	const char *base = slash ? slash + 1 : argv0;
	return strncmp(base, "lxj-launcher", strlen("lxj-launcher")) != 0;
}

int lxj_wants_script(int argc, char *const *argv, const char *no_daemon)
{
	static const char *const own[] = { "", "-c", "-h", "--help", "--version", "--daemon", "daemon", "shutdown" };
	if (argc < 2 || (no_daemon && *no_daemon))
		return 1;
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (strcmp(argv[1], own[i]) == 0)
			return 1;
	return 0;
}

int lxj_script_path(const char *exe, char *out, size_t cap)
{
	const char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	int n = snprintf(out, cap, "%.*s/../libexec/lxj.sh", (int)(slash - exe), exe);
	return n < 0 || (size_t)n >= cap ? -1 : 0;
}

int lxj_main(int argc, char **argv)
{
	static char exe[PATH_MAX], script[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0) {
		fprintf(stderr, "lxj: Failed to read /proc/self/exe to find libexec/lxj.sh: %s\n", strerror(errno));
		return LXJ_EXIT_NOT_FOUND;
	}
	exe[n] = '\0';
	if (lxj_script_path(exe, script, sizeof(script)) < 0) {
		fprintf(stderr, "lxj: \"%s\" has no directory to find libexec/lxj.sh in\n", exe);
		return LXJ_EXIT_NOT_FOUND;
	}
	if (lxj_wants_script(argc, argv, getenv("LXJ_NO_DAEMON"))) {
		argv[0] = script;
		execv(script, argv);
		fprintf(stderr, "lxj: Failed to run \"%s\": %s\n", script, strerror(errno));
		return LXJ_EXIT_NOT_FOUND;
	}
	/* "client --fallback SCRIPT -- ARGS...": argv[1..argc) and the NULL after them */
	char **args = calloc((size_t)argc + 4, sizeof(char *));
	if (!args) {
		fprintf(stderr, "lxj: out of memory\n");
		return LXJ_EXIT_INTERNAL;
	}
	args[0] = "client";
	args[1] = "--fallback";
	args[2] = script;
	args[3] = "--";
	memcpy(args + 4, argv + 1, (size_t)(argc - 1) * sizeof(char *));
	return client_main(argc + 3, args);
}
