/* util.c - frames and error reports on the control and sync sockets. */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

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

ssize_t recv_frame(int fd, uint8_t *buf, size_t cap, uint16_t *type)
{
	ssize_t n;
	*type = 0;
	do
		n = recv(fd, buf, cap, MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n;
	if ((size_t)n > cap) {
		errno = EMSGSIZE;
		return -1;
	}
	size_t off = 0;
	struct tlv t;
	if (tlv_next(buf, (size_t)n, &off, &t) != 1 || off != (size_t)n) {
		errno = EBADMSG;
		return -1;
	}
	*type = t.type;
	memmove(buf, t.payload, t.len);
	return (ssize_t)t.len;
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
