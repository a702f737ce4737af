/*
 * console.c - the console and ttys of a container, held by its monitor (docs/launcher-protocol.md, "Console").
 *
 * Before the clone the monitor opens one pty for the console and one per tty from the host's /dev/ptmx, takes
 * each slave by TIOCGPTPEER (never by its /dev/pts path) and makes a detached bind of it (open_tree): init lives
 * in a new mount namespace where the host's devpts mount cannot be cloned any more, but a detached mount can be
 * moved in. From the clone on the console master is always read (output nobody reads never blocks the container)
 * into the ring buffer, the log file and every viewer; a tty master is read only while its one viewer is there.
 */
#include "console.h"
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <termios.h>
#include <unistd.h>

#define PAGE 4096

struct pty {
	int master, slave, tree; /* tree: the detached bind of the slave, moved into the rootfs by init */
	int viewer;              /* ttys: the index of the one viewer, -1 for none */
};

struct viewer {
	int fd;
	int tty; /* 0 console, N ttyN */
	size_t len;
	uint8_t *in; /* VIEWER_IN bytes while connected: a monitor without viewers keeps no buffers */
};

#define VIEWER_IN (3 + CONSOLE_MAX_FRAME)

static struct {
	int active;          /* the plan has a console attribute */
	int has_console;     /* mode PTY: ptys[0] is the console */
	uint32_t ttys;
	struct pty *ptys;    /* [0] console (when has_console), [1..ttys] ttyN */
	uint8_t *ring;
	size_t ring_size, ring_head, ring_fill;
	int ring_private;    /* BUFFER_SIZE 0: the ring only replays to "replay" viewers, console-buffer shows none */
	int logfd, logdir;
	char logname[NAME_MAX + 1], rotname[NAME_MAX + 3];
	uint64_t log_size, log_written;
	int log_rotate;
	struct viewer viewers[CONSOLE_MAX_VIEWERS];
	struct pollfd *map_pf; /* what console_pollfds filled, for console_events */
} con = { .logfd = -1, .logdir = -1 };

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static int fail_errno(char *err, size_t errlen, int e, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, errno_name(e));
	errno = e;
	return -1;
}

/* One pty from the host's /dev/ptmx: a non-blocking master, its peer slave and a detached bind of the slave. */
static int open_pty(struct pty *t, const struct plan_console *c, int is_console, char *err, size_t errlen)
{
	t->master = t->slave = t->tree = -1;
	t->viewer = -1;
	t->master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
	if (t->master < 0)
		return fail_errno(err, errlen, errno, "Failed to open \"/dev/ptmx\"");
	int unlock = 0;
	if (ioctl(t->master, TIOCSPTLCK, &unlock) < 0)
		return fail_errno(err, errlen, errno, "Failed to unlock a pty");
	t->slave = ioctl(t->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (t->slave < 0)
		return fail_errno(err, errlen, errno, "Failed to open the slave of a pty (TIOCGPTPEER)");
	if (c->has_owner && fchown(t->slave, c->uid, c->gid) < 0)
		return fail_errno(err, errlen, errno, "Failed to give a pty slave to the container's root");
	if (is_console && (c->rows || c->cols)) {
		struct winsize ws = { 0 };
		ioctl(t->master, TIOCGWINSZ, &ws);
		if (c->rows)
			ws.ws_row = (unsigned short)c->rows;
		if (c->cols)
			ws.ws_col = (unsigned short)c->cols;
		if (ioctl(t->master, TIOCSWINSZ, &ws) < 0)
			return fail_errno(err, errlen, errno, "Failed to set the console's window size");
	}
	t->tree = open_tree(t->slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	if (t->tree < 0)
		return fail_errno(err, errlen, errno, "Failed to clone a bind of a pty slave");
	return 0;
}

static int open_log(const struct plan_console *c, char *err, size_t errlen)
{
	const char *slash = strrchr(c->log_file, '/');
	char dir[PLAN_MAX_STRING];
	size_t dlen = (size_t)(slash - c->log_file);
	if (strlen(slash + 1) == 0 || strlen(slash + 1) > NAME_MAX - 2) {
		snprintf(err, errlen, "Invalid console log file \"%s\"", c->log_file);
		errno = EINVAL;
		return -1;
	}
	memcpy(dir, c->log_file, dlen ? dlen : 1);
	dir[dlen ? dlen : 1] = '\0';
	snprintf(con.logname, sizeof(con.logname), "%s", slash + 1);
	snprintf(con.rotname, sizeof(con.rotname), "%s.1", slash + 1);
	con.logdir = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (con.logdir >= 0)
		con.logfd = openat(con.logdir, con.logname, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (con.logdir < 0 || con.logfd < 0) {
		int e = errno;
		snprintf(err, errlen, "Failed to open the console log file \"%s\": %s", c->log_file, errno_name(e));
		errno = e;
		return -1;
	}
	struct stat st;
	con.log_written = fstat(con.logfd, &st) == 0 ? (uint64_t)st.st_size : 0;
	/* as LXC: a limit below one page is one page; a log that is not a regular file (a fifo, a tty) has none */
	con.log_size = c->log_size && c->log_size < PAGE ? PAGE : c->log_size;
	if (fstat(con.logfd, &st) == 0 && !S_ISREG(st.st_mode))
		con.log_size = 0;
	con.log_rotate = c->log_rotate;
	return 0;
}

int console_open(const struct plan *p, char *err, size_t errlen)
{
	for (int i = 0; i < CONSOLE_MAX_VIEWERS; i++)
		con.viewers[i].fd = -1;
	if (!p->has_console)
		return 0;
	const struct plan_console *c = &p->console;
	con.active = 1;
	con.has_console = c->mode == LXJ_CONSOLE_MODE_PTY;
	con.ttys = c->ttys;
	con.ptys = calloc(c->ttys + 1, sizeof(*con.ptys));
	if (!con.ptys)
		return fail_errno(err, errlen, ENOMEM, "Failed to allocate the console");
	for (uint32_t i = 0; i <= c->ttys; i++)
		con.ptys[i] = (struct pty){ -1, -1, -1, -1 };
	for (uint32_t i = con.has_console ? 0 : 1; i <= c->ttys; i++) {
		char what[960];
		if (open_pty(&con.ptys[i], c, i == 0, what, sizeof(what)) < 0) {
			int e = errno;
			if (i == 0)
				snprintf(err, errlen, "%s for the console", what);
			else
				snprintf(err, errlen, "%s for tty%u", what, i);
			errno = e;
			return -1;
		}
	}
	if (con.has_console) {
		/* without a configured buffer a small one still lets a foreground viewer see output from the first byte */
		con.ring_private = c->buffer_size == 0;
		con.ring_size = c->buffer_size == 0 ? CONSOLE_REPLAY_DEFAULT : c->buffer_size < PAGE ? PAGE : c->buffer_size;
		con.ring = malloc(con.ring_size);
		if (!con.ring)
			return fail_errno(err, errlen, ENOMEM, "Failed to allocate the console ring buffer");
	}
	if (con.has_console && c->log_file && open_log(c, err, errlen) < 0)
		return -1;
	return 0;
}

void console_after_clone(void)
{
	if (!con.active)
		return;
	for (uint32_t i = 0; i <= con.ttys; i++)
		close_fd(&con.ptys[i].tree);
}

int console_has_log(void)
{
	return con.logfd >= 0;
}

/* ---- init side ---- */

static int is_pty_slave(const struct stat *st)
{
	return S_ISCHR(st->st_mode) && major(st->st_rdev) >= 136 && major(st->st_rdev) <= 143;
}

/* Replaces a symlink at base (inside pfd) with an empty file; keeps a file or node that is there. */
static int make_target(int pfd, const char *base)
{
	struct stat st;
	if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISLNK(st.st_mode))
			return 0;
		if (unlinkat(pfd, base, 0) < 0)
			return -1;
	} else if (errno != ENOENT) {
		return -1;
	}
	int fd = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0620);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* Verifies the slave and its detached bind, then moves the bind onto path (resolved inside the rootfs). */
static int bind_slave(int rootfd, const struct pty *t, const char *path, char *err, size_t errlen)
{
	struct stat ss, ts;
	if (fstat(t->slave, &ss) < 0 || fstat(t->tree, &ts) < 0)
		return fail_errno(err, errlen, errno, "Failed to inspect a pty slave");
	if (!is_pty_slave(&ss) || !is_pty_slave(&ts) || ss.st_rdev != ts.st_rdev) {
		snprintf(err, errlen, "Refusing to bind %u:%u onto \"%s\": not the pty slave the monitor opened",
			 major(ts.st_rdev), minor(ts.st_rdev), path);
		errno = EPERM;
		return -1;
	}
	char base[NAME_MAX + 1];
	int pfd = open_parent_in_root(rootfd, path, base, sizeof(base));
	if (pfd < 0) {
		int e = errno;
		snprintf(err, errlen, "Failed to resolve the directory of \"%s\": %s", path, errno_name(e));
		errno = e;
		return -1;
	}
	int tfd = -1;
	if (make_target(pfd, base) == 0)
		tfd = openat(pfd, base, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	int e = errno;
	close(pfd);
	if (tfd < 0) {
		snprintf(err, errlen, "Failed to create \"%s\": %s", path, errno_name(e));
		errno = e;
		return -1;
	}
	int r = move_mount(t->tree, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	e = errno;
	close(tfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to mount \"/dev/pts/%u\" on \"%s\": %s", minor(ss.st_rdev), path, errno_name(e));
		errno = e;
		return -1;
	}
	return 0;
}

/* /dev/<name> becomes a symlink to <dir>/<name>; whatever file, node or link is there goes. */
static int link_into_dir(int rootfd, const char *dir, const char *name, char *err, size_t errlen)
{
	char path[64 + NAME_MAX], target[NAME_MAX + 32];
	snprintf(path, sizeof(path), "/dev/%s", name);
	snprintf(target, sizeof(target), "%s/%s", dir, name);
	char base[NAME_MAX + 1];
	int pfd = open_parent_in_root(rootfd, path, base, sizeof(base));
	int r = -1;
	if (pfd >= 0) {
		struct stat st;
		r = 0;
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0)
			r = unlinkat(pfd, base, 0);
		else if (errno != ENOENT)
			r = -1;
		if (r == 0)
			r = symlinkat(target, pfd, base);
	}
	int e = errno;
	if (pfd >= 0)
		close(pfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to create symlink \"%s\" -> \"%s\": %s", path, target, errno_name(e));
		errno = e;
	}
	return r;
}

int console_child(const struct plan *p, int rootfd, char *err, size_t errlen)
{
	if (!con.active)
		return 0;
	const char *dir = p->console.tty_dir;
	char path[64 + NAME_MAX], name[32];
	if (dir) {
		snprintf(path, sizeof(path), "/dev/%s", dir);
		int d = mkpath_in_root(rootfd, path, LXJ_CREATE_DIR);
		if (d < 0)
			return fail_errno(err, errlen, errno, "Failed to create the tty directory");
		close(d);
	}
	for (uint32_t i = con.has_console ? 0 : 1; i <= con.ttys; i++) {
		if (i == 0)
			snprintf(name, sizeof(name), "console");
		else
			snprintf(name, sizeof(name), "tty%u", i);
		if (dir)
			snprintf(path, sizeof(path), "/dev/%s/%s", dir, name);
		else
			snprintf(path, sizeof(path), "/dev/%s", name);
		if (bind_slave(rootfd, &con.ptys[i], path, err, errlen) < 0 ||
		    (dir && link_into_dir(rootfd, dir, name, err, errlen) < 0))
			return -1;
	}
	int in = -1;
	if (con.has_console) {
		in = con.ptys[0].slave;
		if (setsid() < 0 || ioctl(in, TIOCSCTTY, 0) < 0)
			return fail_errno(err, errlen, errno, "Failed to make the console the controlling terminal");
	} else {
		in = open_verified_devnull();
		if (in < 0)
			return fail_errno(err, errlen, errno, "Failed to open a verified /dev/null (char 1:3) for stdio");
	}
	if (dup2(in, 0) < 0 || dup2(in, 1) < 0 || dup2(in, 2) < 0)
		return fail_errno(err, errlen, errno, "Failed to make the console init's stdio");
	if (!con.has_console)
		close(in);
	/* init keeps nothing of the console but its stdio */
	for (uint32_t i = 0; i <= con.ttys; i++) {
		close_fd(&con.ptys[i].master);
		close_fd(&con.ptys[i].slave);
		close_fd(&con.ptys[i].tree);
	}
	close_fd(&con.logfd);
	close_fd(&con.logdir);
	return 0;
}

/* ---- monitor side, from the clone on ---- */

static void ring_put(const uint8_t *b, size_t n)
{
	if (!con.ring)
		return;
	if (n >= con.ring_size) {
		b += n - con.ring_size;
		n = con.ring_size;
	}
	size_t first = con.ring_size - con.ring_head < n ? con.ring_size - con.ring_head : n;
	memcpy(con.ring + con.ring_head, b, first);
	memcpy(con.ring, b + first, n - first);
	con.ring_head = (con.ring_head + n) % con.ring_size;
	con.ring_fill = con.ring_fill + n > con.ring_size ? con.ring_size : con.ring_fill + n;
}

/* A full log is rotated to <log>.1 or truncated, then written on (LXC's lxc.console.size and .rotate). */
static void log_full(void)
{
	if (con.log_rotate) {
		if (renameat(con.logdir, con.logname, con.logdir, con.rotname) == 0) {
			int fd = openat(con.logdir, con.logname, O_WRONLY | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
					0600);
			if (fd >= 0) {
				close(con.logfd);
				con.logfd = fd;
			}
		}
	} else if (ftruncate(con.logfd, 0) < 0) {
		return;
	}
	con.log_written = 0;
}

/*
 * As LXC: a log without rotation is filled up to its size, the rest of that chunk is dropped, and the next
 * chunk finds it full and truncates it; with rotation the chunk is split across the rotated and the new file.
 */
static void log_put(const uint8_t *b, size_t n)
{
	if (con.logfd >= 0 && con.log_size && con.log_written >= con.log_size && !con.log_rotate)
		log_full();
	while (con.logfd >= 0 && n > 0) {
		size_t chunk = n;
		if (con.log_size) {
			if (con.log_written >= con.log_size) {
				if (!con.log_rotate)
					return;
				log_full();
			}
			if (chunk > con.log_size - con.log_written)
				chunk = (size_t)(con.log_size - con.log_written);
		}
		ssize_t w = write(con.logfd, b, chunk);
		if (w <= 0)
			return; /* a full disk loses log output, never the container's progress */
		con.log_written += (uint64_t)w;
		b += w;
		n -= (size_t)w;
	}
}

static void viewer_close(int i)
{
	struct viewer *v = &con.viewers[i];
	if (v->fd < 0)
		return;
	close(v->fd);
	v->fd = -1;
	free(v->in);
	v->in = NULL;
	if (v->tty > 0 && con.ptys[v->tty].viewer == i)
		con.ptys[v->tty].viewer = -1;
}

/* Output to one viewer never blocks: what its socket cannot take now is skipped. */
static void viewer_send(int i, const uint8_t *b, size_t n)
{
	ssize_t w = send(con.viewers[i].fd, b, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
		viewer_close(i);
}

/* Reads one chunk of a master; returns the bytes read, 0 when nothing is there. */
static ssize_t read_master(uint32_t tty)
{
	uint8_t buf[16384];
	ssize_t n = read(con.ptys[tty].master, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	if (tty == 0) {
		ring_put(buf, (size_t)n);
		log_put(buf, (size_t)n);
	}
	for (int i = 0; i < CONSOLE_MAX_VIEWERS; i++)
		if (con.viewers[i].fd >= 0 && con.viewers[i].tty == (int)tty)
			viewer_send(i, buf, (size_t)n);
	return n;
}

static void set_size(int master, unsigned rows, unsigned cols)
{
	struct winsize ws = { 0 };
	ioctl(master, TIOCGWINSZ, &ws);
	if (rows)
		ws.ws_row = (unsigned short)rows;
	if (cols)
		ws.ws_col = (unsigned short)cols;
	ioctl(master, TIOCSWINSZ, &ws);
}

/* Consumes whole frames from the viewer's input: keystrokes to the master, resizes as TIOCSWINSZ. */
static void viewer_frames(int i)
{
	struct viewer *v = &con.viewers[i];
	int master = con.ptys[v->tty].master;
	while (v->fd >= 0 && v->len >= 3) {
		size_t len = ((size_t)v->in[1] << 8) | v->in[2];
		if (len > CONSOLE_MAX_FRAME || (v->in[0] != LXJ_CONSOLE_FRAME_INPUT && v->in[0] != LXJ_CONSOLE_FRAME_RESIZE) ||
		    (v->in[0] == LXJ_CONSOLE_FRAME_RESIZE && len != 4)) {
			viewer_close(i); /* not a viewer speaking the protocol */
			return;
		}
		if (v->len < 3 + len)
			return;
		const uint8_t *d = v->in + 3;
		if (v->in[0] == LXJ_CONSOLE_FRAME_INPUT) {
			/* the pty's input queue is full: the keystrokes are lost, the monitor does not wait */
			ssize_t w = write(master, d, len);
			(void)w;
		} else {
			set_size(master, ((unsigned)d[0] << 8) | d[1], ((unsigned)d[2] << 8) | d[3]);
		}
		memmove(v->in, v->in + 3 + len, v->len - 3 - len);
		v->len -= 3 + len;
	}
}

static void viewer_read(int i)
{
	struct viewer *v = &con.viewers[i];
	ssize_t n = recv(v->fd, v->in + v->len, VIEWER_IN - v->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		viewer_close(i);
		return;
	}
	v->len += (size_t)n;
	viewer_frames(i);
}

size_t console_max_pollfds(void)
{
	return con.active ? con.ttys + 1 + CONSOLE_MAX_VIEWERS : 0;
}

size_t console_pollfds(struct pollfd *pf)
{
	if (!con.active)
		return 0;
	size_t n = 0;
	con.map_pf = pf;
	for (uint32_t i = 0; i <= con.ttys; i++) {
		/* the console is always read; a tty only while its viewer is there (else its output waits in the pty) */
		int fd = (i == 0 || con.ptys[i].viewer >= 0) ? con.ptys[i].master : -1;
		pf[n++] = (struct pollfd){ .fd = fd, .events = POLLIN };
	}
	for (int i = 0; i < CONSOLE_MAX_VIEWERS; i++)
		pf[n++] = (struct pollfd){ .fd = con.viewers[i].fd, .events = POLLIN };
	return n;
}

void console_events(const struct pollfd *pf, size_t n)
{
	if (!con.active || n != con.ttys + 1 + CONSOLE_MAX_VIEWERS)
		return;
	for (uint32_t i = 0; i <= con.ttys; i++)
		if (pf[i].fd >= 0 && (pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
			read_master(i);
	for (int i = 0; i < CONSOLE_MAX_VIEWERS; i++) {
		const struct pollfd *q = &pf[con.ttys + 1 + (uint32_t)i];
		if (q->fd >= 0 && q->fd == con.viewers[i].fd && (q->revents & (POLLIN | POLLHUP | POLLERR)))
			viewer_read(i);
	}
}

static void say(int fd, const char *s)
{
	ssize_t w = send(fd, s, strlen(s), MSG_DONTWAIT | MSG_NOSIGNAL);
	(void)w;
}

/* Sends all of b within a few seconds; the diagnostics request may block the monitor that long, no longer. */
static int send_all(int fd, const uint8_t *b, size_t n)
{
	int fl = fcntl(fd, F_GETFL);
	struct timeval tv = { .tv_sec = 5 };
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0)
		return -1;
	while (n > 0) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* The ring's bytes, oldest first; returns 0 or -1 when the peer did not take them. */
static int send_ring(int fd)
{
	if (!con.ring_fill)
		return 0;
	size_t start = con.ring_fill < con.ring_size ? 0 : con.ring_head;
	size_t first = con.ring_size - start < con.ring_fill ? con.ring_size - start : con.ring_fill;
	if (send_all(fd, con.ring + start, first) < 0)
		return -1;
	return send_all(fd, con.ring, con.ring_fill - first);
}

static void send_buffer(int fd)
{
	char head[32];
	snprintf(head, sizeof(head), "OK %zu\n", con.ring_private ? 0 : con.ring_fill);
	if (send_all(fd, (const uint8_t *)head, strlen(head)) == 0 && !con.ring_private)
		send_ring(fd);
	close(fd);
}

int console_request(int fd, const char *line, const uint8_t *extra, size_t extra_len)
{
	if (strcmp(line, "console-buffer") == 0) {
		send_buffer(fd);
		return 1;
	}
	int tty, end = 0, replay = 0;
	unsigned rows, cols;
	if (strncmp(line, "console ", 8) != 0)
		return -1;
	/* "console <tty> <rows> <cols> [replay]": replay sends the ring first (the console only) */
	if (sscanf(line + 8, "%d %u %u%n", &tty, &rows, &cols, &end) != 3 || tty < -1 || rows > 0xFFFF || cols > 0xFFFF ||
	    (line[8 + end] != '\0' && strcmp(line + 8 + end, " replay") != 0)) {
		say(fd, "ERR EINVAL Usage: console <tty> <rows> <cols> [replay]\n");
		return 0;
	}
	replay = line[8 + end] != '\0';
	if (tty == -1) {
		for (uint32_t i = 1; i <= con.ttys && tty == -1; i++)
			if (con.ptys[i].viewer < 0)
				tty = (int)i;
		if (tty == -1) {
			say(fd, "ERR EBUSY tty service denied\n");
			return 0;
		}
	}
	if (!con.active || (uint32_t)tty > con.ttys || con.ptys[tty].master < 0) {
		say(fd, "ERR ENOENT no such tty\n");
		return 0;
	}
	if (tty > 0 && con.ptys[tty].viewer >= 0) {
		say(fd, "ERR EBUSY tty service denied\n");
		return 0;
	}
	int slot = -1;
	for (int i = 0; i < CONSOLE_MAX_VIEWERS && slot < 0; i++)
		if (con.viewers[i].fd < 0)
			slot = i;
	uint8_t *in = slot < 0 || extra_len > VIEWER_IN ? NULL : malloc(VIEWER_IN);
	if (!in) {
		say(fd, "ERR EBUSY tty service denied\n");
		return 0;
	}
	if (rows || cols)
		set_size(con.ptys[tty].master, rows, cols);
	char ok[32];
	snprintf(ok, sizeof(ok), "OK %d\n", tty);
	/* the ring and then the stream: nothing is read from the master in between, so no byte is lost or doubled */
	if (send_all(fd, (const uint8_t *)ok, strlen(ok)) < 0 || (replay && tty == 0 && send_ring(fd) < 0)) {
		free(in);
		close(fd);
		return 1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	struct viewer *v = &con.viewers[slot];
	v->fd = fd;
	v->tty = tty;
	v->in = in;
	v->len = extra_len;
	memcpy(v->in, extra, extra_len);
	if (tty > 0)
		con.ptys[tty].viewer = slot;
	viewer_frames(slot);
	return 1;
}

void console_shutdown(void)
{
	if (!con.active)
		return;
	/* init is gone: what the console still holds goes to the buffer and log (bounded, in case of a writer) */
	if (con.has_console)
		for (int k = 0; k < 4096 && read_master(0) > 0; k++)
			;
	/* no fsync of the log: readers see it at once, and an fsync would delay the exit record */
	for (int i = 0; i < CONSOLE_MAX_VIEWERS; i++)
		viewer_close(i);
}
