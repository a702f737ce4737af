/*
 * test_notify.c - unit test of the monitor's seccomp notification proxy (notify.c), as any user: the table logic,
 * then a real listener (a child with no_new_privs and a filter that notifies getpgid) whose notifications go to a
 * proxy played here. The proxy holds the first call, and only then does the child make the second, which is
 * answered while the first is held (a single-threaded loop as the monitor's); the first is answered afterwards,
 * and never answers the third, which fails with ENOSYS at the (shortened) deadline. Exits 0 when all checks pass.
 */
#include "launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <linux/filter.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int checks, failures;

#define CHECK(cond)                                                                  \
	do {                                                                         \
		checks++;                                                            \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			failures++;                                                  \
		}                                                                    \
	} while (0)

static void test_table(void)
{
	struct notify_pending p[3];
	for (int i = 0; i < 3; i++)
		p[i] = (struct notify_pending){ .listener = -1, .conn = -1 };
	CHECK(notify_free_slot(p, 3) == 0);
	CHECK(notify_next_timeout(p, 3, 1000) == -1);
	p[0] = (struct notify_pending){ .listener = 3, .conn = 5, .id = 1, .deadline = 1500 };
	p[1] = (struct notify_pending){ .listener = 3, .conn = 6, .id = 2, .deadline = 1200 };
	CHECK(notify_free_slot(p, 3) == 2);
	CHECK(notify_next_timeout(p, 3, 1000) == 200); /* the earliest deadline */
	CHECK(notify_next_timeout(p, 3, 1200) == 0);
	CHECK(notify_next_timeout(p, 3, 9000) == 0); /* passed: answer at once */
	p[2] = (struct notify_pending){ .listener = 4, .conn = 7, .id = 3, .deadline = 5000 };
	CHECK(notify_free_slot(p, 3) == -1);
	p[1].conn = -1;
	CHECK(notify_free_slot(p, 3) == 1);
	CHECK(notify_next_timeout(p, 3, 1000) == 500);
}

/* A filter that notifies getpgid and allows everything else. */
static long load_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getpgid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(f) / sizeof(f[0]), .filter = f };
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
}

static int send_fd(int sock, int fd)
{
	char byte = 'L', ctl[CMSG_SPACE(sizeof(int))];
	memset(ctl, 0, sizeof(ctl));
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

/* Receives one message; *nfds gets how many fds came with it (closed here). */
static ssize_t recv_msg(int sock, void *buf, size_t len, int *nfds, int *fd_out)
{
	char ctl[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	ssize_t r = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
	*nfds = 0;
	if (fd_out)
		*fd_out = -1;
	for (struct cmsghdr *c = r >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c))
		for (size_t i = 0; i < (c->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
			if (fd_out && *fd_out < 0)
				*fd_out = fd;
			else
				close(fd);
			(*nfds)++;
		}
	return r;
}

/* The filtered child: forks a caller per argument; each reports "<arg> <errno>" on the result pipe. */
static void caller(int res, long arg)
{
	pid_t g = fork();
	if (g != 0)
		return;
	long r = syscall(SYS_getpgid, arg);
	char line[32];
	int len = snprintf(line, sizeof(line), "%ld %d\n", arg, r < 0 ? errno : 0);
	_exit(write(res, line, (size_t)len) == len ? 0 : 1);
}

static __attribute__((noreturn)) void child(int sock, int res)
{
	long listener = load_filter();
	if (listener < 0) {
		char e = 'E';
		_exit(write(sock, &e, 1) == 1 ? 3 : 4);
	}
	if (send_fd(sock, (int)listener) < 0)
		_exit(5);
	close((int)listener);
	char go;
	caller(res, 1001);
	if (read(sock, &go, 1) != 1) /* the proxy holds 1001 now */
		_exit(6);
	caller(res, 1002);
	while (wait(NULL) > 0)
		;
	if (read(sock, &go, 1) != 1) /* the parent shortens the deadline first */
		_exit(6);
	caller(res, 1003);
	while (wait(NULL) > 0)
		;
	_exit(0);
}

struct proxy {
	int listen, conns[8];
	int held_conn; /* the connection of the held call 1001, its message */
	uint8_t held[512];
	ssize_t held_len;
	int conn_1003, closed_1003, told;
	int seen, cookie_ok, fds_ok, accepted;
};

static void proxy_reply(int conn, const uint8_t *msg, int err)
{
	const struct seccomp_notif_sizes *s = (const void *)(msg + 16);
	uint8_t out[512];
	size_t resp = 32 + s->seccomp_notif;
	memcpy(out, msg, resp);
	struct seccomp_notif_resp r = { .id = ((const struct seccomp_notif *)(msg + 32))->id, .error = -err };
	memset(out + resp, 0, s->seccomp_notif_resp);
	memcpy(out + resp, &r, sizeof(r));
	CHECK(send(conn, out, resp + s->seccomp_notif_resp, MSG_NOSIGNAL) == (ssize_t)(resp + s->seccomp_notif_resp));
}

static void proxy_read(struct proxy *px, int k)
{
	uint8_t msg[512];
	int nfds;
	ssize_t r = recv_msg(px->conns[k], msg, sizeof(msg), &nfds, NULL);
	if (r < 0 && errno == EAGAIN)
		return;
	if (r <= 0) {
		if (px->conns[k] == px->conn_1003)
			px->closed_1003 = 1;
		close(px->conns[k]);
		px->conns[k] = -1;
		return;
	}
	const struct seccomp_notif_sizes *s = (const void *)(msg + 16);
	uint64_t cookie_len;
	memcpy(&cookie_len, msg + 24, sizeof(cookie_len));
	size_t base = 32 + s->seccomp_notif + s->seccomp_notif_resp;
	px->seen++;
	px->cookie_ok += r == (ssize_t)(base + 6) && cookie_len == 6 && memcmp(msg + base, "c00kie", 6) == 0;
	px->fds_ok += nfds == 3; /* /proc/<pid>, its mem and the listener, as LXC */
	const struct seccomp_notif *n = (const void *)(msg + 32);
	if (n->data.args[0] == 1001) {
		px->held_conn = px->conns[k];
		memcpy(px->held, msg, (size_t)r);
		px->held_len = r;
	} else if (n->data.args[0] == 1002) {
		proxy_reply(px->conns[k], msg, EROFS);
	} else if (n->data.args[0] == 1003) {
		px->conn_1003 = px->conns[k]; /* never answered */
	}
}

static int64_t ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void test_proxy(void)
{
	char dir[] = "/tmp/lxj-notify-test-XXXXXX";
	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	char path[108];
	snprintf(path, sizeof(path), "%s/proxy.sock", dir);
	struct proxy px = { .held_conn = -1, .conn_1003 = -1 };
	for (int i = 0; i < 8; i++)
		px.conns[i] = -1;
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	px.listen = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	CHECK(px.listen >= 0 && bind(px.listen, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(px.listen, 8) == 0);
	int sv[2], res[2];
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 && pipe2(res, O_CLOEXEC) == 0);
	pid_t c = fork();
	if (c == 0) {
		close(sv[0]);
		close(res[0]);
		child(sv[1], res[1]);
	}
	close(sv[1]);
	close(res[1]);
	char b;
	int nfds, listener;
	ssize_t r = recv_msg(sv[0], &b, 1, &nfds, &listener);
	if (r == 1 && b == 'E') {
		printf("notify_test: proxy flow skipped: this kernel refuses a filter with a listener\n");
		goto out;
	}
	CHECK(r == 1 && listener >= 0);
	if (listener < 0)
		goto out;
	CHECK(notify_is_listener(listener));
	CHECK(!notify_is_listener(sv[0]));
	struct notifier n;
	const char *why = NULL;
	memset(&n, 0, sizeof(n));
	CHECK(notify_adopt(&n, sv[0], &why) < 0 && why && strstr(why, "EINVAL No seccomp notify proxy"));
	CHECK(notify_init(&n, path, "c00kie", listener, getpid()) == 0);
	CHECK(notify_adopt(&n, sv[0], &why) < 0 && strcmp(why, "EINVAL Not a seccomp listener") == 0);
	int results[3] = { -1, -1, -1 }, order_ok = 0, dropped = 0;
	struct pollfd pf[256];
	char lines[128];
	size_t llen = 0;
	int64_t guard = ms() + 20000;
	while (ms() < guard && !dropped) {
		size_t k = notify_pollfds(&n, pf);
		size_t nn = k;
		pf[k++] = (struct pollfd){ .fd = px.listen, .events = POLLIN };
		for (int i = 0; i < 8; i++)
			pf[k++] = (struct pollfd){ .fd = px.conns[i], .events = POLLIN };
		pf[k++] = (struct pollfd){ .fd = res[0], .events = POLLIN };
		int t = notify_timeout(&n);
		if (poll(pf, k, t < 0 || t > 500 ? 500 : t) < 0)
			break;
		notify_events(&n, pf, nn);
		if (pf[nn].revents & POLLIN) {
			int conn = accept4(px.listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			for (int i = 0; conn >= 0 && i < 8; i++)
				if (px.conns[i] < 0) {
					px.conns[i] = conn;
					px.accepted++;
					conn = -1;
				}
			if (conn >= 0)
				close(conn);
		}
		for (int i = 0; i < 8; i++)
			if (px.conns[i] >= 0 && pf[nn + 1 + i].fd == px.conns[i] && pf[nn + 1 + i].revents)
				proxy_read(&px, i);
		if (px.held_len > 0 && !px.told) {
			px.told = 1; /* the child makes the second call only now */
			CHECK(write(sv[0], "a", 1) == 1);
		}
		if (pf[nn + 9].revents & POLLIN) {
			ssize_t got = read(res[0], lines + llen, sizeof(lines) - 1 - llen);
			if (got > 0)
				llen += (size_t)got;
			lines[llen] = '\0';
			char *nl;
			while ((nl = strchr(lines, '\n'))) {
				long arg = 0;
				int err = -1;
				if (sscanf(lines, "%ld %d", &arg, &err) == 2 && arg >= 1001 && arg <= 1003)
					results[arg - 1001] = err;
				if (arg == 1002 && results[0] < 0 && px.held_len > 0) {
					order_ok = 1; /* 1002 was answered while 1001 is still held */
					proxy_reply(px.held_conn, px.held, EACCES);
				}
				memmove(lines, nl + 1, strlen(nl + 1) + 1);
				llen = strlen(lines);
			}
			if (results[0] >= 0 && results[1] >= 0 && n.timeout_ms != 200) {
				n.timeout_ms = 200; /* the next call, 1003, is never answered: ENOSYS at this deadline */
				CHECK(write(sv[0], "g", 1) == 1);
			}
		}
		dropped = results[2] >= 0 && n.listeners[0] < 0; /* every task under the filter exited */
	}
	CHECK(order_ok);
	CHECK(results[0] == EACCES);
	CHECK(results[1] == EROFS);
	CHECK(results[2] == ENOSYS);
	CHECK(px.seen == 3 && px.cookie_ok == 3 && px.fds_ok == 3);
	CHECK(px.accepted >= 2); /* the second call went on a new connection while the first was held */
	CHECK(px.closed_1003);   /* the deadline closed the late call's connection */
	CHECK(dropped);
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++) {
		if (n.pending[i].conn >= 0)
			close(n.pending[i].conn);
		if (n.idle[i] >= 0)
			close(n.idle[i]);
	}
	for (int i = 0; i < NOTIFY_MAX_LISTENERS; i++)
		if (n.listeners[i] >= 0)
			close(n.listeners[i]);
	free(n.req);
	free(n.resp);
	free(n.cookie);
out:
	for (int i = 0; i < 8; i++)
		if (px.conns[i] >= 0)
			close(px.conns[i]);
	kill(c, SIGKILL);
	waitpid(c, NULL, 0);
	close(px.listen);
	close(sv[0]);
	close(res[0]);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	test_table();
	test_proxy();
	printf("notify_test: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
