/*
 * notify.c - seccomp user notifications: init hands its listener to the monitor, which forwards each
 * notification to the lxc.seccomp.notify.proxy socket in LXC's message format and relays the answer.
 * Whenever the proxy cannot answer, the syscall fails with ENOSYS, as under LXC.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
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
	char ctl[CMSG_SPACE(sizeof(int))];
	memset(ctl, 0, sizeof(ctl));
	struct iovec iov = { .iov_base = frame, .iov_len = n };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &listener, sizeof(int));
	ssize_t w;
	do
		w = sendmsg(sync, &mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)n ? 0 : -1;
}

int notify_init(struct notifier *n, const char *proxy, const char *cookie, int listener, pid_t init)
{
	memset(n, 0, sizeof(*n));
	n->listener = listener;
	n->proxy_fd = -1;
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
	return 0;
}

static int proxy_connect(struct notifier *n)
{
	if (n->proxy_fd >= 0)
		close(n->proxy_fd);
	n->proxy_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (n->proxy_fd < 0)
		return -1;
	/* LXC's 30 second timeouts: a hung proxy costs the caller that long, then ENOSYS */
	struct timeval tv = { .tv_sec = 30 };
	if (connect(n->proxy_fd, (struct sockaddr *)&n->addr, n->addr_len) < 0 ||
	    setsockopt(n->proxy_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
	    setsockopt(n->proxy_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0) {
		close(n->proxy_fd);
		n->proxy_fd = -1;
		return -1;
	}
	return 0;
}

static ssize_t proxy_send(struct notifier *n, struct iovec *iov, size_t iovlen, const int fds[2])
{
	char ctl[CMSG_SPACE(2 * sizeof(int))];
	memset(ctl, 0, sizeof(ctl));
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = iovlen, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(2 * sizeof(int));
	memcpy(CMSG_DATA(c), fds, 2 * sizeof(int));
	ssize_t w;
	do
		w = sendmsg(n->proxy_fd, &mh, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w;
}

/* Forwards the notification in n->req; returns 0 when n->resp holds the proxy's valid answer. */
static int forward(struct notifier *n)
{
	struct seccomp_notif *req = n->req;
	struct seccomp_notif_resp *resp = n->resp;
	uint64_t id = req->id;
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d", req->pid);
	int fds[2] = { open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), -1 };
	snprintf(path, sizeof(path), "/proc/%d/mem", req->pid);
	fds[1] = open(path, O_RDWR | O_CLOEXEC);
	int rc = -1;
	/* the pid may have been reused between the receive and the opens: the id check settles it */
	if (fds[0] < 0 || fds[1] < 0 || ioctl(n->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0)
		goto out;
	struct proxy_msg msg = { .monitor_pid = n->monitor, .init_pid = n->init, .sizes = n->sizes,
				 .cookie_len = n->cookie ? strlen(n->cookie) : 0 };
	memset(resp, 0, n->sizes.seccomp_notif_resp);
	resp->id = id;
	struct iovec iov[4] = { { &msg, sizeof(msg) }, { req, n->sizes.seccomp_notif },
				{ resp, n->sizes.seccomp_notif_resp }, { n->cookie, msg.cookie_len } };
	size_t base = sizeof(msg) + n->sizes.seccomp_notif + n->sizes.seccomp_notif_resp;
	size_t full = base + msg.cookie_len;
	ssize_t w = -1;
	if (n->proxy_fd >= 0 || proxy_connect(n) == 0)
		w = proxy_send(n, iov, n->cookie ? 4 : 3, fds);
	if (w != (ssize_t)full && proxy_connect(n) == 0) /* the proxy may have restarted: once more, as LXC */
		w = proxy_send(n, iov, n->cookie ? 4 : 3, fds);
	if (w != (ssize_t)full)
		goto out;
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
	ssize_t r;
	do
		r = recvmsg(n->proxy_fd, &mh, MSG_TRUNC);
	while (r < 0 && errno == EINTR);
	if (r != (ssize_t)base || msg.reserved != 0 || resp->id != id) {
		/* a reply of the wrong shape leaves the stream out of step: start afresh with the next one */
		close(n->proxy_fd);
		n->proxy_fd = -1;
		goto out;
	}
	rc = 0;
out:
	for (int i = 0; i < 2; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

void notify_event(struct notifier *n)
{
	memset(n->req, 0, n->sizes.seccomp_notif);
	if (ioctl(n->listener, SECCOMP_IOCTL_NOTIF_RECV, n->req) < 0)
		return; /* the caller died or was interrupted: nothing to answer */
	uint64_t id = n->req->id;
	if (forward(n) < 0) {
		memset(n->resp, 0, n->sizes.seccomp_notif_resp);
		n->resp->id = id;
		n->resp->error = -ENOSYS;
	}
	/* ENOENT: the caller is gone; nothing else to do either way */
	ioctl(n->listener, SECCOMP_IOCTL_NOTIF_SEND, n->resp);
}
