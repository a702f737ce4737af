/* util.c - frames and error reports on the control and sync sockets. */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int send_frame(int fd, uint16_t type, const void *payload, uint32_t len)
{
	static uint8_t buf[LXJ_MAX_MESSAGE];
	size_t n = tlv_put(buf, sizeof(buf), 0, type, 0, payload, len);
	if (n == 0) {
		errno = EMSGSIZE;
		return -1;
	}
	ssize_t w;
	do
		w = send(fd, buf, n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w == (ssize_t)n ? 0 : -1;
}

/* Sends iov with nfds (1..4) descriptors as SCM_RIGHTS in one sendmsg, again on EINTR; returns what sendmsg did. */
ssize_t send_fds(int sock, struct iovec *iov, size_t iovlen, const int *fds, size_t nfds, int flags)
{
	union {
		char buf[CMSG_SPACE(4 * sizeof(int))];
		struct cmsghdr align;
	} ctl;
	if (nfds == 0 || nfds > 4) {
		errno = EINVAL;
		return -1;
	}
	memset(&ctl, 0, sizeof(ctl));
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = iovlen, .msg_control = ctl.buf,
			     .msg_controllen = CMSG_SPACE(nfds * sizeof(int)) };
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
	memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	ssize_t w;
	do
		w = sendmsg(sock, &mh, flags);
	while (w < 0 && errno == EINTR);
	return w;
}

ssize_t recv_frame_fd(int fd, uint8_t *buf, size_t cap, uint16_t *type, int *passed)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (passed) {
		*passed = -1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
	}
	ssize_t n;
	*type = 0;
	do
		n = recvmsg(fd, &mh, MSG_TRUNC | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (passed && n >= 0)
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int)))
				memcpy(passed, CMSG_DATA(c), sizeof(int));
	if (n <= 0)
		return n;
	size_t off = 0;
	struct tlv t;
	if ((size_t)n > cap) {
		errno = EMSGSIZE;
		n = -1;
	} else if (tlv_next(buf, (size_t)n, &off, &t) != 1 || off != (size_t)n) {
		errno = EBADMSG;
		n = -1;
	}
	if (n < 0) {
		if (passed && *passed >= 0) {
			int e = errno;
			close(*passed);
			*passed = -1;
			errno = e;
		}
		return -1;
	}
	*type = t.type;
	memmove(buf, t.payload, t.len);
	return (ssize_t)t.len;
}

ssize_t recv_frame(int fd, uint8_t *buf, size_t cap, uint16_t *type)
{
	return recv_frame_fd(fd, buf, cap, type, NULL);
}

void send_error(int fd, int step, int err, const char *fmt, ...)
{
	int saved = errno;
	uint8_t buf[1200];
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	uint32_t s = (uint32_t)step, e = (uint32_t)err;
	size_t off = tlv_put(buf, sizeof(buf), 0, LXJ_ERR_STEP, 0, &s, 4);
	off = tlv_put(buf, sizeof(buf), off, LXJ_ERR_ERRNO, 0, &e, 4);
	off = tlv_put(buf, sizeof(buf), off, LXJ_ERR_MESSAGE, 0, msg, (uint32_t)strlen(msg) + 1);
	if (off == 0 || send_frame(fd, LXJ_MSG_ERROR, buf, (uint32_t)off) < 0)
		fprintf(stderr, "lxj-launcher: %s\n", msg);
	errno = saved;
}

const char *errno_name(int err)
{
	static char num[16];
	const char *n = strerrorname_np(err);
	if (n)
		return n;
	snprintf(num, sizeof(num), "errno %d", err);
	return num;
}
