/*
 * notify.c - seccomp user notifications: init hands its listener to the monitor (and attached processes theirs,
 * over monitor.sock), which forwards each notification to the lxc.seccomp.notify.proxy socket in LXC's message
 * format and relays the answer. Nothing here blocks: every forwarded notification has its own proxy connection
 * (idle ones are kept for the next), a slot in a fixed table and a deadline, so a proxy that hangs holds only the
 * calls it was given. Whenever the proxy cannot answer (unreachable, a wrong answer, its connection closed, the
 * deadline passed), the syscall fails with ENOSYS, as under LXC.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* LXC's struct seccomp_notify_proxy_msg: followed by seccomp_notif, seccomp_notif_resp and the cookie. */
struct proxy_msg {
	uint64_t reserved;
	int32_t monitor_pid;
	int32_t init_pid;
	struct seccomp_notif_sizes sizes;
	uint64_t cookie_len;
};

_Static_assert(sizeof(struct proxy_msg) == 32, "LXC's proxy message header is 32 bytes");

int notify_send_listener(int sync, int listener)
{
	uint8_t frame[16];
	size_t n = tlv_put(frame, sizeof(frame), 0, LXJ_MSG_SECCOMP_LISTENER, 0, NULL, 0);
	struct iovec iov = { .iov_base = frame, .iov_len = n };
	return send_fds(sync, &iov, 1, &listener, 1, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int notify_init(struct notifier *n, const char *proxy, const char *cookie, int listener, pid_t init)
{
	memset(n, 0, sizeof(*n));
	for (int i = 0; i < NOTIFY_MAX_LISTENERS; i++)
		n->listeners[i] = -1;
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++) {
		n->idle[i] = -1;
		n->pending[i].listener = -1;
		n->pending[i].conn = -1;
	}
	n->listeners[0] = listener;
	n->timeout_ms = NOTIFY_TIMEOUT_MS;
	n->init = init;
	n->monitor = getpid();
	n->addr.sun_family = AF_UNIX;
	size_t len = strlen(proxy);
	memcpy(n->addr.sun_path, proxy, len);
	if (proxy[0] == '@')
		n->addr.sun_path[0] = '\0';
	n->addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (proxy[0] == '@' ? 0 : 1));
	n->cookie = cookie ? strdup(cookie) : NULL;
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &n->sizes) < 0)
		return -1;
	n->req = calloc(1, n->sizes.seccomp_notif);
	n->resp = calloc(1, n->sizes.seccomp_notif_resp);
	if (!n->req || !n->resp || (cookie && !n->cookie)) {
		errno = ENOMEM;
		return -1;
	}
	n->active = 1;
	return 0;
}

int notify_is_listener(int fd)
{
	char path[64], target[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	ssize_t len = readlink(path, target, sizeof(target) - 1);
	if (len < 0)
		return 0;
	target[len] = '\0';
	return strcmp(target, "anon_inode:seccomp notify") == 0;
}

int notify_adopt(struct notifier *n, int listener, const char **why)
{
	if (!n->active) {
		*why = "EINVAL No seccomp notify proxy is configured";
		return -1;
	}
	if (!notify_is_listener(listener)) {
		*why = "EINVAL Not a seccomp listener";
		return -1;
	}
	for (int i = 0; i < NOTIFY_MAX_LISTENERS; i++)
		if (n->listeners[i] < 0) {
			n->listeners[i] = listener;
			return 0;
		}
	*why = "ENOSPC Too many seccomp listeners";
	return -1;
}

/* Answers the notification with the kernel: ENOENT (the caller is gone) needs nothing more either way. */
static void respond(int listener, struct seccomp_notif_resp *resp)
{
	ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp);
}

/* LXC's default answer: the call fails with ENOSYS. */
static void respond_enosys(struct notifier *n, int listener, uint64_t id)
{
	memset(n->resp, 0, n->sizes.seccomp_notif_resp);
	n->resp->id = id;
	n->resp->error = -ENOSYS;
	respond(listener, n->resp);
}

static int proxy_connect(struct notifier *n)
{
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	/* A unix connect either queues at once or fails (EAGAIN: the proxy's backlog is full): it never waits. */
	if (connect(fd, (struct sockaddr *)&n->addr, n->addr_len) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* An idle connection to the proxy, else a fresh one; -1 when the proxy cannot be reached. */
static int proxy_take(struct notifier *n, int *fresh)
{
	for (int i = NOTIFY_MAX_PENDING - 1; i >= 0; i--)
		if (n->idle[i] >= 0) {
			int fd = n->idle[i];
			n->idle[i] = -1;
			*fresh = 0;
			return fd;
		}
	*fresh = 1;
	return proxy_connect(n);
}

/* A connection whose answer came back whole carries the next notification (LXC keeps one connection). */
static void proxy_give_back(struct notifier *n, int fd)
{
	for (int i = 0; i < NOTIFY_IDLE_KEEP; i++)
		if (n->idle[i] < 0) {
			n->idle[i] = fd;
			return;
		}
	close(fd);
}

/* LXC's three descriptors: the task's /proc/<pid> directory, its memory, and the listener (for ADDFD) */
static ssize_t proxy_send(int conn, struct iovec *iov, size_t iovlen, const int fds[3])
{
	return send_fds(conn, iov, iovlen, fds, 3, MSG_NOSIGNAL | MSG_DONTWAIT);
}

/* Sends the notification in n->req to the proxy; returns the connection that carries it, or -1. */
static int forward(struct notifier *n, int listener)
{
	struct seccomp_notif *req = n->req;
	struct seccomp_notif_resp *resp = n->resp;
	uint64_t id = req->id;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", req->pid);
	int fds[3] = { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), -1, listener };
	snprintf(path, sizeof(path), "/proc/%d/mem", req->pid);
	fds[1] = open(path, O_RDWR | O_CLOEXEC);
	int conn = -1;
	/* the pid may have been reused between the receive and the opens: the id check settles it */
	if (fds[0] < 0 || fds[1] < 0 || ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		goto out;
	struct proxy_msg msg = { .monitor_pid = n->monitor, .init_pid = n->init, .sizes = n->sizes,
				 .cookie_len = n->cookie ? strlen(n->cookie) : 0 };
	memset(resp, 0, n->sizes.seccomp_notif_resp);
	resp->id = id;
	struct iovec iov[4] = { { &msg, sizeof(msg) }, { req, n->sizes.seccomp_notif },
				{ resp, n->sizes.seccomp_notif_resp }, { n->cookie, msg.cookie_len } };
	size_t full = sizeof(msg) + n->sizes.seccomp_notif + n->sizes.seccomp_notif_resp + msg.cookie_len;
	int fresh;
	conn = proxy_take(n, &fresh);
	if (conn >= 0 && proxy_send(conn, iov, n->cookie ? 4 : 3, fds) == (ssize_t)full)
		goto out;
	if (conn >= 0)
		close(conn);
	conn = -1;
	/* a kept connection may be stale (the proxy restarted): once more on a fresh one, as LXC reconnects once */
	if (!fresh) {
		conn = proxy_connect(n);
		if (conn >= 0 && proxy_send(conn, iov, n->cookie ? 4 : 3, fds) != (ssize_t)full) {
			close(conn);
			conn = -1;
		}
	}
out:
	for (int i = 0; i < 2; i++) /* not the listener: the monitor keeps it */
		if (fds[i] >= 0)
			close(fds[i]);
	return conn;
}

int notify_free_slot(const struct notify_pending *pending, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (pending[i].conn < 0)
			return (int)i;
	return -1;
}

int notify_next_timeout(const struct notify_pending *pending, size_t n, int64_t now)
{
	int64_t first = -1;
	for (size_t i = 0; i < n; i++)
		if (pending[i].conn >= 0 && (first < 0 || pending[i].deadline < first))
			first = pending[i].deadline;
	if (first < 0)
		return -1;
	if (first <= now)
		return 0;
	return first - now > 0x7fffffff ? 0x7fffffff : (int)(first - now);
}

static void pending_clear(struct notify_pending *p)
{
	p->conn = -1;
	p->listener = -1;
	p->id = 0;
	p->deadline = 0;
}

/* The listener is readable: receives one notification and forwards it; answers ENOSYS when it cannot. */
static void listener_readable(struct notifier *n, int listener)
{
	int slot = notify_free_slot(n->pending, NOTIFY_MAX_PENDING);
	if (slot < 0)
		return; /* not polled for POLLIN while the table is full; the notification waits in the kernel */
	memset(n->req, 0, n->sizes.seccomp_notif);
	if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, n->req) < 0)
		return; /* the caller died or was interrupted: nothing to answer */
	uint64_t id = n->req->id;
	int conn = forward(n, listener);
	if (conn < 0) {
		respond_enosys(n, listener, id);
		return;
	}
	n->pending[slot] = (struct notify_pending){ .listener = listener, .conn = conn, .id = id,
						    .deadline = now_ms() + n->timeout_ms };
}

/* The proxy's connection for a pending notification is readable or hung up: its answer, or ENOSYS. */
static void conn_readable(struct notifier *n, struct notify_pending *p, short revents)
{
	struct proxy_msg msg;
	memset(n->resp, 0, n->sizes.seccomp_notif_resp);
	struct iovec iov[3] = { { &msg, sizeof(msg) }, { n->req, n->sizes.seccomp_notif },
				{ n->resp, n->sizes.seccomp_notif_resp } };
	size_t base = sizeof(msg) + n->sizes.seccomp_notif + n->sizes.seccomp_notif_resp;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
	ssize_t r;
	do
		r = recvmsg(p->conn, &mh, MSG_TRUNC | MSG_DONTWAIT);
	while (r < 0 && errno == EINTR);
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && !(revents & (POLLHUP | POLLERR | POLLNVAL)))
		return;
	if (r == (ssize_t)base && msg.reserved == 0 && n->resp->id == p->id) {
		respond(p->listener, n->resp);
		proxy_give_back(n, p->conn);
	} else {
		/* EOF, an error or a reply of the wrong shape: this connection is done; the call gets ENOSYS */
		respond_enosys(n, p->listener, p->id);
		close(p->conn);
	}
	pending_clear(p);
}

size_t notify_max_pollfds(void)
{
	return NOTIFY_MAX_LISTENERS + 2 * NOTIFY_MAX_PENDING;
}

size_t notify_pollfds(const struct notifier *n, struct pollfd *pf)
{
	if (!n->active)
		return 0;
	/* a full table stops receiving: POLLHUP still reports a listener whose tasks are all gone */
	short in = notify_free_slot(n->pending, NOTIFY_MAX_PENDING) >= 0 ? POLLIN : 0;
	size_t k = 0;
	for (int i = 0; i < NOTIFY_MAX_LISTENERS; i++)
		pf[k++] = (struct pollfd){ .fd = n->listeners[i], .events = in };
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++)
		pf[k++] = (struct pollfd){ .fd = n->pending[i].conn, .events = POLLIN };
	/* idle connections: a proxy that closes one is noticed here, not at the next send */
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++)
		pf[k++] = (struct pollfd){ .fd = n->idle[i], .events = 0 };
	return k;
}

int notify_timeout(const struct notifier *n)
{
	return n->active ? notify_next_timeout(n->pending, NOTIFY_MAX_PENDING, now_ms()) : -1;
}

static void drop_listener(struct notifier *n, int i)
{
	int fd = n->listeners[i];
	/* every task under the filter is gone: so are the calls it was waiting for */
	for (int k = 0; k < NOTIFY_MAX_PENDING; k++)
		if (n->pending[k].conn >= 0 && n->pending[k].listener == fd) {
			close(n->pending[k].conn);
			pending_clear(&n->pending[k]);
		}
	close(fd);
	n->listeners[i] = -1;
}

void notify_events(struct notifier *n, const struct pollfd *pf, size_t count)
{
	if (!n->active || count != notify_max_pollfds())
		return;
	const struct pollfd *lp = pf, *cp = pf + NOTIFY_MAX_LISTENERS, *ip = cp + NOTIFY_MAX_PENDING;
	/* answers first: they free slots for the notifications received below */
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++)
		if (n->pending[i].conn >= 0 && cp[i].fd == n->pending[i].conn && cp[i].revents)
			conn_readable(n, &n->pending[i], cp[i].revents);
	int64_t now = now_ms();
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++) {
		struct notify_pending *p = &n->pending[i];
		if (p->conn >= 0 && p->deadline <= now) {
			respond_enosys(n, p->listener, p->id);
			close(p->conn); /* its late answer would be taken for the next notification's */
			pending_clear(p);
		}
	}
	for (int i = 0; i < NOTIFY_MAX_PENDING; i++)
		if (n->idle[i] >= 0 && ip[i].fd == n->idle[i] && (ip[i].revents & (POLLHUP | POLLERR))) {
			close(n->idle[i]);
			n->idle[i] = -1;
		}
	for (int i = 0; i < NOTIFY_MAX_LISTENERS; i++) {
		if (n->listeners[i] < 0 || lp[i].fd != n->listeners[i])
			continue;
		if (lp[i].revents & POLLIN)
			listener_readable(n, n->listeners[i]);
		else if (lp[i].revents & (POLLHUP | POLLERR | POLLNVAL))
			drop_listener(n, i);
	}
}
