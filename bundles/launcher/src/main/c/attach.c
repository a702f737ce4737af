/*
 * attach.c - attach mode (lxc-attach): the launcher stays the JVM's child. It checks that the target
 * pid still is the container's init (start time), becomes non-dumpable, opens the container's payload
 * cgroups, joins the requested namespaces through init's pidfd, forks the command (so it is inside the
 * pid namespace) into those cgroups, reports ATTACHED, relays SIGNAL requests and reports EXITED{status}.
 *
 * With ATTACH_PTY (lxc-attach when a std fd of the caller is a terminal) the command gets a new pty of the
 * container's devpts as its controlling terminal and as each std fd the plan names; the launcher keeps the
 * caller's terminal to itself, puts it in raw mode and relays it to the pty master until the command is gone.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/sysmacros.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif
#ifndef DEVPTS_SUPER_MAGIC
#define DEVPTS_SUPER_MAGIC 0x1cd1
#endif

static const struct {
	uint64_t flag;
	const char *name;
} NAMESPACES[] = {
	{ CLONE_NEWUSER, "user" }, { CLONE_NEWNS, "mnt" }, { CLONE_NEWPID, "pid" },       { CLONE_NEWUTS, "uts" },
	{ CLONE_NEWIPC, "ipc" },   { CLONE_NEWNET, "net" }, { CLONE_NEWCGROUP, "cgroup" },
};

static int open_proc(void)
{
	int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	struct statfs sf;
	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

/* Field 22 of /proc/PID/stat; the comm field may hold spaces and parentheses, so parse after the last ')'. */
static int start_time(int procfd, pid_t pid, unsigned long long *out)
{
	char path[32], buf[1024];
	snprintf(path, sizeof(path), "%d/stat", pid);
	int fd = openat(procfd, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	if (!p) {
		errno = EINVAL;
		return -1;
	}
	p++;
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p) {
			errno = EINVAL;
			return -1;
		}
	}
	*out = strtoull(p + 1, NULL, 10);
	return 0;
}

/* Drops the namespaces init shares with us: setns() into one's own user namespace fails. */
static uint64_t differing(int procfd, pid_t pid, uint64_t wanted)
{
	uint64_t out = 0;
	for (size_t i = 0; i < sizeof(NAMESPACES) / sizeof(NAMESPACES[0]); i++) {
		if (!(wanted & NAMESPACES[i].flag))
			continue;
		char a[64], b[64];
		struct stat sa, sb;
		snprintf(a, sizeof(a), "%d/ns/%s", pid, NAMESPACES[i].name);
		snprintf(b, sizeof(b), "%d/ns/%s", getpid(), NAMESPACES[i].name);
		if (fstatat(procfd, a, &sa, 0) == 0 && fstatat(procfd, b, &sb, 0) == 0 && sa.st_ino == sb.st_ino &&
		    sa.st_dev == sb.st_dev)
			continue;
		out |= NAMESPACES[i].flag;
	}
	return out;
}

static int fail(int ctl, int step, int err, const char *fmt, const char *arg)
{
	send_error(ctl, step, err, fmt, arg, errno_name(err));
	return LXJ_EXIT_SETUP;
}

/*
 * The pty of an attach: the caller's fds the launcher relays (in: to the master, out: from it; new open file
 * descriptions when they are terminals, so O_NONBLOCK stays ours), the log, the master and the slave, and the
 * caller terminals' settings to restore.
 */
struct attach_pty {
	int in, out, log, master, slave, term, sigfd;
	int n_raw;
	int raw_fd[2];
	struct termios saved[2];
};

/* A relay copy of the caller's fd: a terminal is reopened through /proc (its own O_NONBLOCK), anything else dup'ed. */
static int caller_copy(int procfd, int fd, int mode)
{
	if (isatty(fd)) {
		char path[32];
		snprintf(path, sizeof(path), "self/fd/%d", fd);
		int r = openat(procfd, path, mode | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
		if (r >= 0 && isatty(r))
			return r;
		if (r >= 0)
			close(r);
	}
	return fcntl(fd, F_DUPFD_CLOEXEC, 3);
}

/* Before joining any namespace: the caller's fds and the log are the host's. */
static int pty_open_caller(const struct plan *p, int procfd, struct attach_pty *t, char *err, size_t errlen)
{
	t->in = t->out = t->log = t->master = t->slave = t->term = t->sigfd = -1;
	t->n_raw = 0;
	int outsrc = (p->apty_fds & LXJ_TTY_OUT) ? 1 : (p->apty_fds & LXJ_TTY_ERR) ? 2 : 0;
	if ((p->apty_fds & LXJ_TTY_IN) && (t->in = caller_copy(procfd, 0, O_RDONLY)) < 0) {
		snprintf(err, errlen, "Failed to keep the caller's stdin for the pty: %s", errno_name(errno));
		return -1;
	}
	if ((t->out = caller_copy(procfd, outsrc, O_WRONLY)) < 0) {
		snprintf(err, errlen, "Failed to keep the caller's fd %d for the pty: %s", outsrc, errno_name(errno));
		return -1;
	}
	if (p->apty_log) {
		t->log = open(p->apty_log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
		if (t->log < 0) {
			snprintf(err, errlen, "Failed to open the pty log \"%s\": %s", p->apty_log, errno_name(errno));
			return -1;
		}
	}
	t->term = t->in >= 0 && isatty(t->in) ? t->in : isatty(t->out) ? t->out : -1;
	return 0;
}

/* The devpts ptmx of the (joined) mount namespace: /dev/pts/ptmx on a devpts, else /dev/ptmx as char 5:2. */
static int open_ptmx(char *err, size_t errlen)
{
	struct statfs sf;
	struct stat st;
	int fd = open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW);
	if (fd >= 0 && fstatfs(fd, &sf) == 0 && sf.f_type == DEVPTS_SUPER_MAGIC)
		return fd;
	if (fd >= 0)
		close(fd);
	fd = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "Failed to open \"/dev/pts/ptmx\" or \"/dev/ptmx\" in the container: %s", errno_name(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2) {
		close(fd);
		errno = ENODEV;
		snprintf(err, errlen, "Failed to open a pty: \"/dev/ptmx\" of the container is not the ptmx device: %s",
			 errno_name(errno));
		return -1;
	}
	return fd;
}

/* After joining: a new pty, its slave with the caller terminal's settings and window (or the plan's size). */
static int pty_open(const struct plan *p, struct attach_pty *t, char *err, size_t errlen)
{
	int unlock = 0;
	if ((t->master = open_ptmx(err, errlen)) < 0)
		return -1;
	if (ioctl(t->master, TIOCSPTLCK, &unlock) < 0 ||
	    (t->slave = ioctl(t->master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "Failed to open the slave of a new pty: %s", errno_name(errno));
		return -1;
	}
	struct termios tio;
	struct winsize ws = { 0 };
	if (t->term >= 0 && tcgetattr(t->term, &tio) == 0 && tcsetattr(t->slave, TCSANOW, &tio) < 0) {
		snprintf(err, errlen, "Failed to copy the caller's terminal settings to the pty: %s", errno_name(errno));
		return -1;
	}
	if (t->term >= 0 && ioctl(t->term, TIOCGWINSZ, &ws) == 0 && (ws.ws_row || ws.ws_col))
		ioctl(t->slave, TIOCSWINSZ, &ws);
	else if (p->apty_rows) {
		ws.ws_row = (unsigned short)p->apty_rows;
		ws.ws_col = (unsigned short)p->apty_cols;
		ioctl(t->slave, TIOCSWINSZ, &ws);
	}
	/* The command's own terminal, as a login gives it; the ids are the joined user namespace's. */
	if ((p->has_uid && p->uid) || (p->has_gid && p->gid))
		if (fchown(t->slave, p->has_uid ? p->uid : (uid_t)-1, p->has_gid ? p->gid : (gid_t)-1) < 0) {
			snprintf(err, errlen, "Failed to give the pty to %u:%u: %s", p->uid, p->gid, errno_name(errno));
			return -1;
		}
	int fl = fcntl(t->master, F_GETFL);
	if (fl < 0 || fcntl(t->master, F_SETFL, fl | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "Failed to make the pty master non-blocking: %s", errno_name(errno));
		return -1;
	}
	return 0;
}

/* In the forked command: a new session whose controlling terminal is the slave, which replaces the named fds. */
static int pty_child(const struct plan *p, struct attach_pty *t)
{
	close(t->master);
	if (t->in >= 0)
		close(t->in);
	close(t->out);
	if (t->log >= 0)
		close(t->log);
	if (t->sigfd >= 0)
		close(t->sigfd);
	if (setsid() < 0 || ioctl(t->slave, TIOCSCTTY, 0) < 0)
		return -1;
	for (int fd = 0; fd < 3; fd++)
		if ((p->apty_fds & (1u << fd)) && dup2(t->slave, fd) < 0)
			return -1;
	if (t->slave > 2)
		close(t->slave);
	return 0;
}

/* Raw mode on each distinct caller terminal; pty_restore undoes it. */
static void pty_raw(struct attach_pty *t)
{
	int fds[2] = { t->in, t->out };
	struct stat first = { 0 };
	for (int i = 0; i < 2; i++) {
		struct stat st;
		if (fds[i] < 0 || !isatty(fds[i]) || fstat(fds[i], &st) < 0)
			continue;
		if (t->n_raw == 1 && st.st_rdev == first.st_rdev)
			continue;
		if (tcgetattr(fds[i], &t->saved[t->n_raw]) < 0)
			continue;
		struct termios raw = t->saved[t->n_raw];
		cfmakeraw(&raw);
		if (tcsetattr(fds[i], TCSANOW, &raw) < 0)
			continue;
		if (t->n_raw == 0)
			first = st;
		t->raw_fd[t->n_raw++] = fds[i];
	}
}

static void pty_restore(struct attach_pty *t)
{
	while (t->n_raw > 0) {
		t->n_raw--;
		while (tcsetattr(t->raw_fd[t->n_raw], TCSADRAIN, &t->saved[t->n_raw]) < 0 && errno == EINTR)
			;
	}
}

/* MSG_RESIZE: 8 bytes give the size, none re-reads the caller's terminal. */
static void pty_resize(struct attach_pty *t, const uint8_t *b, ssize_t n)
{
	struct winsize ws = { 0 };
	if (n == 8) {
		uint32_t rc[2];
		memcpy(rc, b, 8);
		if (rc[0] == 0 || rc[0] > 0xFFFF || rc[1] == 0 || rc[1] > 0xFFFF)
			return;
		ws.ws_row = (unsigned short)rc[0];
		ws.ws_col = (unsigned short)rc[1];
	} else if (t->term < 0 || ioctl(t->term, TIOCGWINSZ, &ws) < 0) {
		return;
	}
	ioctl(t->master, TIOCSWINSZ, &ws);
}

/* Writes what it can of buf[*off..len) to fd; returns -1 when fd is unusable (the rest is dropped). */
static int flush_some(int fd, const char *buf, size_t len, size_t *off)
{
	while (*off < len) {
		ssize_t w = write(fd, buf + *off, len - *off);
		if (w > 0) {
			*off += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			return 0;
		return -1;
	}
	return 0;
}

static void write_all(int fd, const char *buf, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

/*
 * Relays caller input to the master and master output to the caller (and the log) until the command has exited
 * and the master is drained (EIO once every slave is closed; a slave another process still holds ends the
 * relay after 200 ms without output). SIGNAL and RESIZE from Java, signals to the launcher go to the command;
 * EOF on ctl kills the command.
 */
static void pty_relay(int ctl, int cpidfd, struct attach_pty *t)
{
	static char ib[16384], ob[16384];
	size_t ilen = 0, ioff = 0, olen = 0, ooff = 0;
	int exited = 0, master_open = 1, in_open = t->in >= 0, out_ok = 1, ctl_open = 1;
	for (;;) {
		if (exited && (!master_open || !out_ok) && olen == 0)
			break;
		struct pollfd pf[6];
		int n = 0, i_ctl = -1, i_pid = -1, i_sig = -1, i_in = -1, i_master = -1, i_out = -1;
		if (ctl_open) {
			i_ctl = n;
			pf[n++] = (struct pollfd){ .fd = ctl, .events = POLLIN };
		}
		if (!exited) {
			i_pid = n;
			pf[n++] = (struct pollfd){ .fd = cpidfd, .events = POLLIN };
		}
		if (t->sigfd >= 0) {
			i_sig = n;
			pf[n++] = (struct pollfd){ .fd = t->sigfd, .events = POLLIN };
		}
		if (in_open && ilen == 0 && !exited) {
			i_in = n;
			pf[n++] = (struct pollfd){ .fd = t->in, .events = POLLIN };
		}
		short mev = (short)((master_open && olen == 0 ? POLLIN : 0) | (master_open && ilen > 0 ? POLLOUT : 0));
		if (mev) {
			i_master = n;
			pf[n++] = (struct pollfd){ .fd = t->master, .events = mev };
		}
		if (olen > 0) {
			i_out = n;
			pf[n++] = (struct pollfd){ .fd = t->out, .events = POLLOUT };
		}
		int r = poll(pf, (nfds_t)n, exited ? 200 : -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (r == 0)
			break; /* exited, and nothing more came: a slave another process holds stays open */
		if (i_ctl >= 0 && pf[i_ctl].revents) {
			uint8_t b[64];
			uint16_t type;
			ssize_t got = recv_frame(ctl, b, sizeof(b), &type);
			if (got == 4 && type == LXJ_MSG_SIGNAL) {
				uint32_t sig;
				memcpy(&sig, b, 4);
				if (sig > 0 && sig < NSIG && !exited)
					syscall(SYS_pidfd_send_signal, cpidfd, (int)sig, NULL, 0);
			} else if (got >= 0 && type == LXJ_MSG_RESIZE) {
				pty_resize(t, b, got);
			} else if (got < 0 || (got == 0 && type == 0)) {
				/* The JVM closed its end or died: the attached command does not outlive it. */
				if (!exited)
					syscall(SYS_pidfd_send_signal, cpidfd, SIGKILL, NULL, 0);
				ctl_open = 0;
			}
		}
		if (i_pid >= 0 && (pf[i_pid].revents & (POLLIN | POLLHUP)))
			exited = 1;
		if (i_sig >= 0 && (pf[i_sig].revents & POLLIN)) {
			struct signalfd_siginfo si;
			if (read(t->sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				if (si.ssi_signo == SIGWINCH)
					pty_resize(t, NULL, 0);
				else if (!exited)
					syscall(SYS_pidfd_send_signal, cpidfd, (int)si.ssi_signo, NULL, 0);
			}
		}
		if (i_in >= 0 && pf[i_in].revents) {
			ssize_t got = read(t->in, ib, sizeof(ib));
			if (got > 0) {
				ilen = (size_t)got;
				ioff = 0;
			} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
				in_open = 0; /* EOF or a hung-up caller terminal: no more input */
			}
		}
		if (i_master >= 0 && (pf[i_master].revents & (POLLIN | POLLHUP | POLLERR)) && olen == 0) {
			ssize_t got = read(t->master, ob, sizeof(ob));
			if (got > 0) {
				olen = (size_t)got;
				ooff = 0;
				if (t->log >= 0)
					write_all(t->log, ob, olen);
			} else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
				master_open = 0; /* EIO: every slave is closed and the output is drained */
			}
		}
		if (ilen > 0 && master_open) {
			if (flush_some(t->master, ib, ilen, &ioff) < 0 || ioff == ilen)
				ilen = ioff = 0;
		} else if (!master_open) {
			ilen = ioff = 0;
		}
		if (olen > 0) {
			if (!out_ok || flush_some(t->out, ob, olen, &ooff) < 0)
				out_ok = 0;
			if (!out_ok || ooff == olen)
				olen = ooff = 0;
		}
		(void)i_out;
	}
}

/* A SOCK_STREAM connection to the container's monitor.sock, made while the host's paths are still visible. */
static int connect_monitor(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	size_t len = strlen(path);
	if (len >= sizeof(a.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(a.sun_path, path, len);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&a, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + 1)) < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int attach_send_listener(int monitor_fd, int listener, char *err, size_t errlen)
{
	static const char req[] = "seccomp-listener\n";
	struct iovec iov = { .iov_base = (void *)req, .iov_len = sizeof(req) - 1 };
	ssize_t w = send_fds(monitor_fd, &iov, 1, &listener, 1, MSG_NOSIGNAL);
	if (w != (ssize_t)iov.iov_len) {
		if (w >= 0)
			errno = EIO;
		snprintf(err, errlen, "Failed to pass the seccomp listener to the monitor: %s", errno_name(errno));
		return -1;
	}
	/* One line back; the monitor answers at once, the timeout only keeps a wedged monitor from hanging us. */
	struct timeval tv = { .tv_sec = 10 };
	setsockopt(monitor_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char line[256];
	size_t n = 0;
	while (n < sizeof(line) - 1) {
		ssize_t r = read(monitor_fd, line + n, 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : EPIPE;
			snprintf(err, errlen, "Failed to read the monitor's answer to the seccomp listener: %s", errno_name(e));
			errno = e;
			return -1;
		}
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	if (strcmp(line, "OK") == 0)
		return 0;
	errno = EPROTO;
	if (strncmp(line, "ERR ", 4) == 0)
		snprintf(err, errlen, "The monitor refused the seccomp listener: %s", line + 4);
	else
		snprintf(err, errlen, "The monitor answered \"%s\" to the seccomp listener", line);
	return -1;
}

/*
 * The command's payload cgroups. A move by pid (cgroup.procs) takes the kernel's global threadgroup rwsem, whose
 * first writer after a quiet period waits a whole RCU grace period (5-20 ms); so the command is born into the
 * cgroup2 one (clone3 with CLONE_INTO_CGROUP: no migration at all) and moves itself into each v1 one as its first
 * step ("0" to "tasks" moves only the calling thread of a single-threaded process, and skips that lock). It runs
 * nothing of the container before. With a user namespace joined, clone3 would check the cgroup2 move with the
 * container's credentials: the command then writes "0" to the cgroup2 cgroup.procs opened on the host, as it does
 * when clone3 cannot place it. Joining a frozen cgroup freezes the command there until the container is thawed,
 * and the launcher waits for it, as lxc-attach blocks.
 */
struct attach_cgroups {
	size_t n;
	int fd[PLAN_MAX_ATTACH_CGROUPS];	  /* a v1 "tasks" or the cgroup2 "cgroup.procs" file, opened for writing */
	const char *dir[PLAN_MAX_ATTACH_CGROUPS]; /* its cgroup, for errors */
	int dir2;				  /* the cgroup2 directory, or -1 */
	int procs2;				  /* the index of its cgroup.procs in fd, or -1 */
	int placed2;				  /* the command was born there */
};

static void attach_cgroups_close(struct attach_cgroups *cg)
{
	for (size_t i = 0; i < cg->n; i++)
		close(cg->fd[i]);
	cg->n = 0;
	if (cg->dir2 >= 0)
		close(cg->dir2);
	cg->dir2 = -1;
}

static int attach_cgroups_open(const struct plan *p, struct attach_cgroups *cg, char *err, size_t errlen)
{
	cg->n = 0;
	cg->dir2 = cg->procs2 = -1;
	cg->placed2 = 0;
	for (size_t i = 0; i < p->n_attach_cgroups; i++) {
		const char *dir = p->attach_cgroups[i];
		struct statfs sf;
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		int v2 = d >= 0 && fstatfs(d, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
		int fd = d < 0 ? -1 : openat(d, v2 ? "cgroup.procs" : "tasks", O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			int e = errno;
			if (d >= 0)
				close(d);
			attach_cgroups_close(cg);
			snprintf(err, errlen, "Failed to join the cgroup \"%s\": %s", dir, errno_name(e));
			errno = e;
			return -1;
		}
		if (v2 && cg->dir2 < 0) {
			cg->dir2 = d;
			cg->procs2 = (int)cg->n;
		} else {
			close(d);
		}
		cg->dir[cg->n] = dir;
		cg->fd[cg->n++] = fd;
	}
	return 0;
}

/* fork(), or clone3 into the cgroup2 payload cgroup when allowed (a plain fork when clone3 refuses it). */
static pid_t fork_into(struct attach_cgroups *cg, int into)
{
	if (into && cg->dir2 >= 0) {
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_INTO_CGROUP;
		ca.exit_signal = SIGCHLD;
		ca.cgroup = (uint64_t)cg->dir2;
		pid_t c = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (c >= 0) {
			if (c == 0)
				cg->placed2 = 1;
			return c;
		}
	}
	return fork();
}

/* In the command, first of all: into every payload cgroup it was not born in; failures go to sync. */
static void attach_cgroups_join(struct attach_cgroups *cg, int sync)
{
	for (size_t i = 0; i < cg->n; i++) {
		if (cg->placed2 && (int)i == cg->procs2)
			continue;
		if (write(cg->fd[i], "0", 1) != 1) {
			int e = errno;
			send_error(sync, LXJ_STEP_CGROUP, e, "Failed to join the cgroup \"%s\": %s", cg->dir[i], errno_name(e));
			_exit(LXJ_EXIT_SETUP);
		}
	}
	attach_cgroups_close(cg);
}

static int wait_status(pid_t c)
{
	int st;
	while (waitpid(c, &st, 0) < 0)
		if (errno != EINTR)
			return LXJ_EXIT_SIGNAL_BASE + SIGKILL;
	return WIFEXITED(st) ? WEXITSTATUS(st) : LXJ_EXIT_SIGNAL_BASE + WTERMSIG(st);
}

int attach_main(int ctl)
{
	static uint8_t msg[LXJ_MAX_MESSAGE];
	static struct plan plan;
	char err[512], num[32];
	uint16_t type;
	signal(SIGPIPE, SIG_IGN);
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return fail(ctl, LXJ_STEP_DUMPABLE, errno, "Failed to become non-dumpable%s: %s", "");
	ssize_t n = recv_frame(ctl, msg, sizeof(msg), &type);
	if (n < 0 || type != LXJ_MSG_ATTACH) {
		send_error(ctl, LXJ_STEP_PLAN, n < 0 ? errno : EPROTO, "Failed to receive the attach plan: %s",
			   n < 0 ? errno_name(errno) : "not an ATTACH message");
		return LXJ_EXIT_PLAN;
	}
	int perr = EINVAL;
	if (plan_parse_attach(msg, (size_t)n, &plan, err, sizeof(err), &perr) < 0) {
		send_error(ctl, LXJ_STEP_PLAN, perr, "%s", err);
		return LXJ_EXIT_PLAN;
	}
	const struct plan *p = &plan;
	pid_t pid = (pid_t)p->attach_pid;
	snprintf(num, sizeof(num), "%d", pid);
	int procfd = open_proc();
	if (procfd < 0)
		return fail(ctl, LXJ_STEP_ATTACH, errno, "Failed to open a verified procfs handle%s: %s", "");
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0)
		return fail(ctl, LXJ_STEP_ATTACH, errno, "Container init %s is gone: %s", num);
	/* Opened first, checked second: if the start time matches now, the pidfd is init's. */
	unsigned long long st;
	if (start_time(procfd, pid, &st) < 0)
		return fail(ctl, LXJ_STEP_ATTACH, errno, "Failed to read the start time of %s: %s", num);
	if (st != p->attach_start_time)
		return fail(ctl, LXJ_STEP_ATTACH, ESRCH, "Process %s is no longer the container's init: %s", num);
	uint64_t ns = differing(procfd, pid, p->attach_ns);
	struct attach_pty pty;
	if (p->has_attach_pty && pty_open_caller(p, procfd, &pty, err, sizeof(err)) < 0)
		return fail(ctl, LXJ_STEP_PTY, errno ? errno : EIO, "%s", err);
	/*
	 * Every hierarchy's payload cgroup, opened before any namespace change (the host paths stay valid, and the
	 * kernel checks a cgroup file's writes with the credentials and cgroup namespace of its opener). The
	 * launcher stays where it is; the command is born into them (see struct attach_cgroups).
	 */
	struct attach_cgroups cg;
	if (attach_cgroups_open(p, &cg, err, sizeof(err)) < 0)
		return fail(ctl, LXJ_STEP_CGROUP, errno, "%s", err);
	/* A notifying filter's listener goes to the monitor: connect while its socket's path is the host's. */
	int monitor_fd = -1;
	if (p->attach_monitor_sock && (monitor_fd = connect_monitor(p->attach_monitor_sock)) < 0)
		return fail(ctl, LXJ_STEP_SECCOMP, errno, "Failed to connect to the monitor at \"%s\": %s",
			    p->attach_monitor_sock);
	if (ns && setns(pidfd, (int)ns) < 0)
		return fail(ctl, LXJ_STEP_JOIN, errno, "Failed to join the namespaces of %s: %s", num);
	if (ns & CLONE_NEWUSER) {
		if (setgroups(0, NULL) < 0 && errno != EPERM)
			return fail(ctl, LXJ_STEP_SETID_ROOT, errno, "Failed to clear the groups in %s's user namespace: %s", num);
		if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
			return fail(ctl, LXJ_STEP_SETID_ROOT, errno, "Failed to become root in %s's user namespace: %s", num);
		/* A credential change resets dumpability to fs.suid_dumpable: set it again. */
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
			return fail(ctl, LXJ_STEP_DUMPABLE, errno, "Failed to stay non-dumpable in %s: %s", num);
	}
	uint32_t dumpable = (uint32_t)prctl(PR_GET_DUMPABLE, 0, 0, 0, 0);
	if (p->has_attach_pty) {
		errno = 0;
		if (pty_open(p, &pty, err, sizeof(err)) < 0)
			return fail(ctl, LXJ_STEP_PTY, errno ? errno : EIO, "%s", err);
		/* Signals to the launcher go to the command; the command unblocks them before exec. */
		sigset_t fwd;
		sigemptyset(&fwd);
		int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH, SIGUSR1, SIGUSR2 };
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			sigaddset(&fwd, sigs[i]);
		sigprocmask(SIG_BLOCK, &fwd, NULL);
		pty.sigfd = signalfd(-1, &fwd, SFD_CLOEXEC | SFD_NONBLOCK);
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return fail(ctl, LXJ_STEP_CLONE, errno, "Failed to create the sync socket%s: %s", "");
	/* Without a user namespace joined, the cgroup2 one is entered at birth; the credentials are the host's. */
	pid_t c = fork_into(&cg, !(ns & CLONE_NEWUSER));
	if (c < 0)
		return fail(ctl, LXJ_STEP_CLONE, errno, "Failed to fork the command in %s: %s", num);
	if (c == 0) {
		close(sv[0]);
		close(ctl);
		close(pidfd);
		close(procfd);
		attach_cgroups_join(&cg, sv[1]);
		if (p->has_attach_pty && pty_child(p, &pty) < 0) {
			send_error(sv[1], LXJ_STEP_PTY, errno, "Failed to make the pty the command's terminal: %s",
				   errno_name(errno));
			_exit(LXJ_EXIT_SETUP);
		}
		attach_finish(p, sv[1], monitor_fd);
	}
	close(sv[1]);
	attach_cgroups_close(&cg);
	if (monitor_fd >= 0)
		close(monitor_fd);
	close(procfd);
	if (p->has_attach_pty) {
		close(pty.slave); /* the master reads EIO once the command's copies are closed */
		pty.slave = -1;
	}
	int cpidfd = (int)syscall(SYS_pidfd_open, c, 0);
	/* The command has the caller's stdio: keep no copy of it. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	n = recv_frame(sv[0], msg, sizeof(msg), &type);
	close(sv[0]);
	if (n != 0 || type != 0) {
		if (n > 0 && type == LXJ_MSG_ERROR)
			send_frame(ctl, LXJ_MSG_ERROR, msg, (uint32_t)n);
		else
			send_error(ctl, LXJ_STEP_EXEC, EPROTO, "The attached command failed before exec");
		wait_status(c);
		return LXJ_EXIT_SETUP;
	}
	uint8_t reply[64];
	uint32_t self = (uint32_t)getpid(), child = (uint32_t)c;
	size_t off = tlv_put(reply, sizeof(reply), 0, LXJ_REPLY_MONITOR_PID, 0, &self, 4);
	off = tlv_put(reply, sizeof(reply), off, LXJ_REPLY_INIT_PID, 0, &child, 4);
	off = tlv_put(reply, sizeof(reply), off, LXJ_REPLY_DUMPABLE, 0, &dumpable, 4);
	send_frame(ctl, LXJ_MSG_ATTACHED, reply, (uint32_t)off);
	if (p->has_attach_pty) {
		pty_raw(&pty);
		pty_relay(ctl, cpidfd, &pty);
		pty_restore(&pty);
		uint32_t status = (uint32_t)wait_status(c);
		off = tlv_put(reply, sizeof(reply), 0, LXJ_REPLY_STATUS, 0, &status, 4);
		send_frame(ctl, LXJ_MSG_EXITED, reply, (uint32_t)off);
		return (int)status;
	}
	for (;;) {
		struct pollfd pf[2] = { { .fd = cpidfd, .events = POLLIN }, { .fd = ctl, .events = POLLIN } };
		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents & (POLLIN | POLLHUP))
			break;
		if (pf[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			uint8_t b[64];
			ssize_t r = recv_frame(ctl, b, sizeof(b), &type);
			if (r == 4 && type == LXJ_MSG_SIGNAL) {
				uint32_t sig;
				memcpy(&sig, b, 4);
				if (sig > 0 && sig < NSIG)
					syscall(SYS_pidfd_send_signal, cpidfd, (int)sig, NULL, 0);
			} else if (r < 0 || (r == 0 && type == 0)) {
				/* The JVM closed its end or died: the attached command does not outlive it. */
				syscall(SYS_pidfd_send_signal, cpidfd, SIGKILL, NULL, 0);
				break;
			}
		}
	}
	uint32_t status = (uint32_t)wait_status(c);
	off = tlv_put(reply, sizeof(reply), 0, LXJ_REPLY_STATUS, 0, &status, 4);
	send_frame(ctl, LXJ_MSG_EXITED, reply, (uint32_t)off);
	return (int)status;
}
