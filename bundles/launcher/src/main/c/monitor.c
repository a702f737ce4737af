/*
 * monitor.c - clones the container's init, relays the handshake with the JVM, then supervises:
 * holds init's pidfd, reaps (child subreaper), writes <run>/exit and serves <run>/monitor.sock.
 */
#include "console.h"
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 16
#define SOCK_NAME "monitor.sock"

struct monitor {
	const struct plan *p;
	int ctl, sync, pidfd, rundir, procfd, listen;
	pid_t init;
	int sock_bound;
	int stop_hooks;            /* the plan has stop hooks: it stays in memory for them */
	struct hook_namespaces ns; /* held for stop hooks */
	int listener;              /* the seccomp notification listener init passed, or -1 */
	int host_time;             /* the monitor's own time namespace while init's is unshared, or -1 */
	int net_ahead;             /* a network namespace the spare made while it waited (netns_ahead), or -1 */
	int host_net;              /* the monitor's own network namespace while it is in that one, or -1 */
	int mnt_held;              /* init's mount namespace, held until init's exit is told (hold_mount_namespace) */
	struct notifier notify;    /* set up from it when the plan has a notify proxy */
};

static int open_verified_proc(void)
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

static int write_proc(int procfd, pid_t pid, const char *file, const char *data)
{
	char path[64];
	snprintf(path, sizeof(path), "%d/%s", pid, file);
	int fd = openat(procfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	size_t len = strlen(data);
	ssize_t w = write(fd, data, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return w == (ssize_t)len ? 0 : -1;
}

#define NEWTIME 0x80ULL /* CLONE_NEWTIME */

/*
 * A new cgroup namespace takes init's cgroup at that moment as its root. Init placed by cgroup.procs writes (v1
 * hierarchies) is cloned without it and unshares it once the monitor has placed it, as LXC does, so that it sees
 * its payload cgroup as "/" in every hierarchy (container.c waits for LXJ_MSG_MAPS_DONE, then unshares).
 */
static int cgroupns_deferred(const struct plan *p)
{
	return (p->clone_flags & CLONE_NEWCGROUP) && p->n_cgroup_procs > 0;
}

/*
 * The clone flags: a new time namespace is unshared by the monitor beforehand (see time_namespace), and a new
 * network namespace made ahead is entered beforehand (see enter_netns_ahead).
 */
static uint64_t clone_flags(const struct monitor *m)
{
	const struct plan *p = m->p;
	return p->clone_flags & ~NEWTIME & ~(cgroupns_deferred(p) ? (uint64_t)CLONE_NEWCGROUP : 0) &
	       ~(m->host_net >= 0 ? (uint64_t)CLONE_NEWNET : 0);
}

static pid_t clone_init(const struct monitor *m, int cgfd, int *pidfd)
{
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.flags = clone_flags(m) | CLONE_PIDFD;
	ca.pidfd = (uint64_t)(uintptr_t)pidfd;
	ca.exit_signal = SIGCHLD;
	if (cgfd >= 0) {
		ca.flags |= CLONE_INTO_CGROUP;
		ca.cgroup = (uint64_t)cgfd;
	}
	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid < 0 && errno == ENOSYS && cgfd < 0)
		pid = (pid_t)syscall(SYS_clone, (unsigned long)(clone_flags(m) | CLONE_PIDFD | SIGCHLD), NULL, pidfd, NULL, 0);
	return pid;
}

/*
 * Joining existing namespaces needs a joiner: it setns()es (user namespace first), then clones init with
 * CLONE_PARENT so init is the monitor's child and a joined pid namespace takes effect. Returns init's pid,
 * -1 when the monitor could not fork (errno set), -2 when the joiner reported an error on the sync socket.
 */
static pid_t clone_joined(struct monitor *m, const struct plan *p, int cgfd, int sync_child)
{
	int pp[2];
	if (pipe2(pp, O_CLOEXEC) < 0)
		return -1;
	pid_t j = fork();
	if (j < 0)
		return -1;
	if (j == 0) {
		char err[1024];
		close(pp[0]);
		close(m->ctl);
		if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
			send_error(sync_child, LXJ_STEP_DUMPABLE, errno, "Failed to make the joiner non-dumpable: %s",
				   errno_name(errno));
			_exit(LXJ_EXIT_SETUP);
		}
		if (join_namespaces(p, err, sizeof(err)) < 0) {
			send_error(sync_child, LXJ_STEP_JOIN, errno, "%s", err);
			_exit(LXJ_EXIT_SETUP);
		}
		struct clone_args ca;
		memset(&ca, 0, sizeof(ca));
		/* clone3 wants exit_signal 0 with CLONE_PARENT: init inherits the joiner's SIGCHLD. */
		ca.flags = clone_flags(m) | CLONE_PARENT;
		if (cgfd >= 0) {
			ca.flags |= CLONE_INTO_CGROUP;
			ca.cgroup = (uint64_t)cgfd;
		}
		pid_t c = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (c == 0) {
			close(pp[1]);
			container_main(p, sync_child);
		}
		if (c < 0) {
			send_error(sync_child, LXJ_STEP_CLONE, errno, "Failed to clone the container init: %s", errno_name(errno));
			_exit(LXJ_EXIT_SETUP);
		}
		ssize_t w = write(pp[1], &c, sizeof(c));
		_exit(w == (ssize_t)sizeof(c) ? LXJ_EXIT_OK : LXJ_EXIT_SETUP);
	}
	close(pp[1]);
	pid_t init = -1;
	ssize_t n;
	do
		n = read(pp[0], &init, sizeof(init));
	while (n < 0 && errno == EINTR);
	close(pp[0]);
	while (waitpid(j, NULL, 0) < 0 && errno == EINTR)
		;
	if (n != (ssize_t)sizeof(init))
		return -2;
	/* init is our child and not yet reaped: its pid cannot have been reused. */
	m->pidfd = (int)syscall(SYS_pidfd_open, init, 0);
	if (m->pidfd < 0) {
		kill(init, SIGKILL);
		return -1;
	}
	return init;
}

/* Kills and reaps init after a failed setup; removes what the monitor created. */
static int abort_setup(struct monitor *m)
{
	/*
	 * Java may have sent START early, after CLONED: a socket closed with a frame unread resets its peer
	 * (ECONNRESET), and Java would lose the ERROR it has yet to read. No more frames after SHUT_RD (Java's send
	 * fails with EPIPE, which it ignores); those already queued are read and dropped.
	 */
	uint8_t drop[64];
	shutdown(m->ctl, SHUT_RD);
	while (recv(m->ctl, drop, sizeof(drop), MSG_DONTWAIT) > 0)
		;
	if (m->init > 0) {
		syscall(SYS_pidfd_send_signal, m->pidfd, SIGKILL, NULL, 0);
		while (waitpid(m->init, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (m->sock_bound)
		unlinkat(m->rundir, SOCK_NAME, 0);
	return LXJ_EXIT_SETUP;
}

/*
 * Waits until fd is readable (or hung up) while draining the console master into its ring buffer and log: init's
 * setup (start hooks, early output) may write more than a pty holds before STARTED, and must never block on it.
 */
static void wait_readable(int fd)
{
	size_t max = console_max_pollfds();
	struct pollfd *pf = max ? calloc(1 + max, sizeof(*pf)) : NULL;
	if (!pf)
		return; /* no console (or no memory): the blocking read waits alone */
	for (;;) {
		pf[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
		size_t nc = console_pollfds(pf + 1);
		int rc = poll(pf, 1 + nc, -1);
		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0)
			console_events(pf + 1, nc);
		if (pf[0].revents)
			break;
	}
	free(pf);
}

/* Waits for the next frame from init; forwards an ERROR to the JVM. Returns the type, 0 on EOF, -1 on error. */
static int from_init(struct monitor *m, int step)
{
	uint8_t buf[LXJ_MAX_MESSAGE];
	uint16_t type;
	ssize_t n;
	int fd;
	/* the seccomp listener comes before READY; any other fd is not expected and is dropped */
	for (;;) {
		wait_readable(m->sync);
		n = recv_frame_fd(m->sync, buf, sizeof(buf), &type, &fd);
		if (n < 0 || type != LXJ_MSG_SECCOMP_LISTENER || fd < 0 || m->listener >= 0)
			break;
		m->listener = fd;
	}
	if (fd >= 0)
		close(fd);
	if (n < 0) {
		send_error(m->ctl, step, errno, "Failed to read from the container init: %s", errno_name(errno));
		return -1;
	}
	if (type == LXJ_MSG_ERROR) {
		send_frame(m->ctl, LXJ_MSG_ERROR, buf, (uint32_t)n);
		return -1;
	}
	return type;
}

static int bind_socket(struct monitor *m)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/" SOCK_NAME, m->rundir);
	m->listen = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (m->listen < 0)
		return -1;
	mode_t old = umask(0077);
	int r = bind(m->listen, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0)
		return -1;
	m->sock_bound = 1;
	return listen(m->listen, 8);
}

static int reply_pids(struct monitor *m, uint16_t type)
{
	uint8_t buf[64];
	uint32_t mon = (uint32_t)getpid(), init = (uint32_t)m->init;
	size_t off = tlv_put(buf, sizeof(buf), 0, LXJ_REPLY_MONITOR_PID, 0, &mon, 4);
	off = tlv_put(buf, sizeof(buf), off, LXJ_REPLY_INIT_PID, 0, &init, 4);
	return send_frame(m->ctl, type, buf, (uint32_t)off);
}

static int has_stop_hooks(const struct plan *p)
{
	for (size_t i = 0; i < p->n_hooks; i++)
		if (p->hooks[i].stage == LXJ_HOOK_STOP)
			return 1;
	return 0;
}

/* Holds init's namespaces open, so stop hooks can still reach them after init exited (LXC's nsfd). */
static int hold_namespaces(struct monitor *m)
{
	static const struct { uint64_t flag; const char *name, *env; } kinds[] = {
		{ CLONE_NEWUSER, "user", "LXC_USER_NS" }, { CLONE_NEWNS, "mnt", "LXC_MNT_NS" },
		{ CLONE_NEWPID, "pid", "LXC_PID_NS" },     { CLONE_NEWUTS, "uts", "LXC_UTS_NS" },
		{ CLONE_NEWIPC, "ipc", "LXC_IPC_NS" },     { CLONE_NEWNET, "net", "LXC_NET_NS" },
		{ CLONE_NEWCGROUP, "cgroup", "LXC_CGROUP_NS" }, { 0x80 /* CLONE_NEWTIME */, "time", "LXC_TIME_NS" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!(m->p->clone_flags & kinds[i].flag))
			continue;
		char path[64];
		snprintf(path, sizeof(path), "%d/ns/%s", m->init, kinds[i].name);
		int fd = openat(m->procfd, path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
		size_t k = m->ns.n++;
		m->ns.names[k] = kinds[i].name;
		m->ns.env_names[k] = kinds[i].env;
		m->ns.fds[k] = fd;
		snprintf(m->ns.paths[k], sizeof(m->ns.paths[k]), "/proc/%d/fd/%d", getpid(), fd);
	}
	return 0;
}

/*
 * The last process to leave a mount namespace takes its mounts down on its way out: init's exit would wait for the
 * container's mounts, and the caller of lxc-execute with it. The monitor holds init's mount namespace (unless the
 * stop hooks' hold has it already) and lets go of it only after it told its waiting clients of the exit; then it
 * writes the exit record and closes their connections (release_namespaces first, so the runtime's cleanup after
 * that EOF finds the container's mounts gone, as it would without the hold).
 */
static void hold_mount_namespace(struct monitor *m)
{
	if (!(m->p->clone_flags & CLONE_NEWNS) || m->ns.n > 0)
		return;
	char path[64];
	snprintf(path, sizeof(path), "%d/ns/mnt", m->init);
	m->mnt_held = openat(m->procfd, path, O_RDONLY | O_CLOEXEC);
}

static void release_namespaces(struct monitor *m)
{
	for (size_t i = 0; i < m->ns.n; i++)
		close(m->ns.fds[i]);
	m->ns.n = 0;
	if (m->mnt_held >= 0)
		close(m->mnt_held);
	m->mnt_held = -1;
}

/*
 * The kernel takes clock offsets only before a process enters the time namespace: the monitor unshares it
 * (it stays outside itself; its next children are born inside), writes timens_offsets through the verified
 * procfs handle, and then clones init. It keeps its own (the host's) time namespace open first, and goes back
 * to it once init is cloned (restore_time_namespace): stop hooks run with the host's clocks, as LXC's do.
 */
static int time_namespace(struct monitor *m)
{
	const struct plan *p = m->p;
	if (!(p->clone_flags & NEWTIME))
		return 0;
	char own[32];
	snprintf(own, sizeof(own), "%d/ns/time", getpid());
	m->host_time = openat(m->procfd, own, O_RDONLY | O_CLOEXEC);
	if (m->host_time < 0) {
		send_error(m->ctl, LXJ_STEP_TIME, errno, "Failed to open the monitor's time namespace: %s",
			   errno_name(errno));
		return -1;
	}
	if (syscall(SYS_unshare, (unsigned long)NEWTIME) < 0) {
		send_error(m->ctl, LXJ_STEP_TIME, errno, "Failed to create the time namespace: %s", errno_name(errno));
		return -1;
	}
	if (!p->has_time_monotonic && !p->has_time_boottime)
		return 0;
	char text[128];
	snprintf(text, sizeof(text), "monotonic %lld %lld\nboottime %lld %lld\n",
		 (long long)(p->has_time_monotonic ? p->time_monotonic[0] : 0),
		 (long long)(p->has_time_monotonic ? p->time_monotonic[1] : 0),
		 (long long)(p->has_time_boottime ? p->time_boottime[0] : 0),
		 (long long)(p->has_time_boottime ? p->time_boottime[1] : 0));
	if (write_proc(m->procfd, getpid(), "timens_offsets", text) < 0) {
		send_error(m->ctl, LXJ_STEP_TIME, errno, "Failed to set the clock offsets of the time namespace: %s",
			   errno_name(errno));
		return -1;
	}
	return 0;
}

/* After init (or its joiner) is cloned: the monitor's later children (stop hooks) are born in the host's clocks. */
static int restore_time_namespace(struct monitor *m)
{
	if (m->host_time < 0)
		return 0;
	int rc = (int)syscall(SYS_setns, m->host_time, (int)NEWTIME);
	int saved = errno;
	close(m->host_time);
	m->host_time = -1;
	errno = saved;
	return rc;
}

/*
 * A new network namespace is the dearest part of init's clone3: about 0.5 ms of its 0.8 ms for six new namespaces
 * on the hosts measured (docs/launcher-protocol.md). A spare launcher makes one while it waits for its plan, and
 * init is cloned into it: the monitor enters it, clones init without CLONE_NEWNET, and goes back to its own.
 *
 * netns_ahead: called by a spare before it detaches, so it is ready once the runtime has the spare. Returns the
 * namespace's fd, or -1 when none could be made; the spare exits when it cannot go back to its own network namespace
 * (its runtime then spawns a launcher instead). The namespace is owned by the host's user namespace, as one clone3
 * makes without CLONE_NEWUSER.
 */
int netns_ahead(void)
{
	int procfd = open_verified_proc();
	if (procfd < 0)
		return -1;
	char own[32];
	snprintf(own, sizeof(own), "%d/ns/net", getpid());
	int host = openat(procfd, own, O_RDONLY | O_CLOEXEC);
	int made = -1;
	if (host >= 0 && syscall(SYS_unshare, (unsigned long)CLONE_NEWNET) == 0) {
		made = openat(procfd, own, O_RDONLY | O_CLOEXEC);
		if (syscall(SYS_setns, host, CLONE_NEWNET) < 0)
			_exit(LXJ_EXIT_SETUP);
	}
	if (host >= 0)
		close(host);
	close(procfd);
	return made;
}

/*
 * Enters the namespace made ahead when the plan wants a new network namespace as clone3 would make it: not with a
 * new user namespace (the network namespace must be owned by it, and one made ahead is owned by the host's) and not
 * through a joiner. Otherwise it is dropped, and so it is when it cannot be entered: clone3 then makes one.
 */
static void enter_netns_ahead(struct monitor *m)
{
	const struct plan *p = m->p;
	int fd = m->net_ahead;
	m->net_ahead = -1;
	if (fd < 0)
		return;
	if ((p->clone_flags & CLONE_NEWNET) && !(p->clone_flags & CLONE_NEWUSER) && p->n_joins == 0) {
		char own[32];
		snprintf(own, sizeof(own), "%d/ns/net", getpid());
		m->host_net = openat(m->procfd, own, O_RDONLY | O_CLOEXEC);
		if (m->host_net >= 0 && syscall(SYS_setns, fd, CLONE_NEWNET) < 0) {
			close(m->host_net);
			m->host_net = -1;
		}
	}
	close(fd);
}

/* After init is cloned: the monitor is back in its own network namespace, as it would be without one made ahead. */
static int restore_network_namespace(struct monitor *m)
{
	if (m->host_net < 0)
		return 0;
	int rc = (int)syscall(SYS_setns, m->host_net, CLONE_NEWNET);
	int saved = errno;
	close(m->host_net);
	m->host_net = -1;
	errno = saved;
	return rc;
}

/* The handshake: maps, READY, CREATED, START, exec. Returns 0 when the container runs. */
static int setup(struct monitor *m)
{
	const struct plan *p = m->p;
	m->procfd = open_verified_proc();
	if (m->procfd < 0) {
		send_error(m->ctl, LXJ_STEP_MONITOR, errno, "Failed to open a verified procfs handle: %s", errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	m->rundir = open(p->run_dir, O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (m->rundir < 0) {
		send_error(m->ctl, LXJ_STEP_MONITOR, errno, "Failed to open the run directory \"%s\": %s", p->run_dir,
			   errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	int cgfd = -1;
	if (p->cgroup_path) {
		cgfd = open(p->cgroup_path, O_DIRECTORY | O_CLOEXEC);
		if (cgfd < 0) {
			send_error(m->ctl, LXJ_STEP_CGROUP, errno, "Failed to open the cgroup \"%s\": %s", p->cgroup_path,
				   errno_name(errno));
			return LXJ_EXIT_SETUP;
		}
	}
	if (time_namespace(m) < 0)
		return LXJ_EXIT_SETUP;
	char cerr[1024];
	if (console_open(p, cerr, sizeof(cerr)) < 0) {
		send_error(m->ctl, LXJ_STEP_CONSOLE, errno, "%s", cerr);
		return LXJ_EXIT_SETUP;
	}
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		send_error(m->ctl, LXJ_STEP_CLONE, errno, "Failed to create the sync socket: %s", errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	enter_netns_ahead(m);
	if (p->n_joins) {
		m->init = clone_joined(m, p, cgfd, sv[1]);
		if (m->init == -2) {
			close(sv[1]);
			m->sync = sv[0];
			m->init = -1;
			if (from_init(m, LXJ_STEP_JOIN) >= 0)
				send_error(m->ctl, LXJ_STEP_JOIN, ECHILD, "The namespace joiner exited without a report");
			return LXJ_EXIT_SETUP;
		}
	} else {
		m->init = clone_init(m, cgfd, &m->pidfd);
	}
	if (m->init < 0) {
		send_error(m->ctl, LXJ_STEP_CLONE, errno, "Failed to clone the container init: %s", errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	if (m->init == 0) {
		close(sv[0]);
		close(m->ctl);
		if (m->host_net >= 0)
			close(m->host_net);
		container_main(p, sv[1]);
	}
	close(sv[1]);
	if (cgfd >= 0)
		close(cgfd);
	if (restore_time_namespace(m) < 0) {
		send_error(m->ctl, LXJ_STEP_TIME, errno, "Failed to return to the monitor's time namespace: %s",
			   errno_name(errno));
		m->sync = sv[0];
		return abort_setup(m);
	}
	if (restore_network_namespace(m) < 0) {
		send_error(m->ctl, LXJ_STEP_CLONE, errno, "Failed to return to the monitor's network namespace: %s",
			   errno_name(errno));
		m->sync = sv[0];
		return abort_setup(m);
	}
	console_after_clone();
	m->sync = sv[0];
	/* init has the caller's stdio now: the monitor keeps no copy of the caller's pipes or terminal. */
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		close(null);
	}
	/* Java records the container while init works (docs/launcher-protocol.md); CREATED or ERROR follows. */
	if (reply_pids(m, LXJ_MSG_CLONED) < 0)
		return abort_setup(m);
	for (size_t i = 0; i < p->n_cgroup_procs; i++) {
		char pid[16], tasks[PATH_MAX];
		if (cgroup_self_move(p, i, tasks, sizeof(tasks)))
			continue; /* init moves itself there, without the kernel's migration barrier (container.c) */
		int fd = open(p->cgroup_procs[i], O_WRONLY | O_CLOEXEC);
		int len = snprintf(pid, sizeof(pid), "%d", m->init);
		if (fd < 0 || write(fd, pid, (size_t)len) != len) {
			send_error(m->ctl, LXJ_STEP_CGROUP, errno, "Failed to move %d into \"%s\": %s", m->init,
				   p->cgroup_procs[i], errno_name(errno));
			if (fd >= 0)
				close(fd);
			return abort_setup(m);
		}
		close(fd);
	}
	if (p->clone_flags & CLONE_NEWUSER) {
		if ((p->setgroups_deny && write_proc(m->procfd, m->init, "setgroups", "deny") < 0) ||
		    (p->uid_map && write_proc(m->procfd, m->init, "uid_map", p->uid_map) < 0) ||
		    (p->gid_map && write_proc(m->procfd, m->init, "gid_map", p->gid_map) < 0)) {
			send_error(m->ctl, LXJ_STEP_USERNS_MAPS, errno, "Failed to write the id maps of %d: %s", m->init,
				   errno_name(errno));
			return abort_setup(m);
		}
		if (send_frame(m->sync, LXJ_MSG_MAPS_DONE, NULL, 0) < 0) {
			send_error(m->ctl, LXJ_STEP_USERNS_MAPS, errno, "Failed to signal the id maps: %s", errno_name(errno));
			return abort_setup(m);
		}
	} else if (cgroupns_deferred(p) && send_frame(m->sync, LXJ_MSG_MAPS_DONE, NULL, 0) < 0) {
		send_error(m->ctl, LXJ_STEP_CGROUP, errno, "Failed to signal the cgroup placement: %s", errno_name(errno));
		return abort_setup(m);
	}
	if (has_stop_hooks(p) && hold_namespaces(m) < 0) {
		send_error(m->ctl, LXJ_STEP_HOOK, errno, "Failed to hold the namespaces of %d for the stop hooks: %s",
			   m->init, errno_name(errno));
		return abort_setup(m);
	}
	hold_mount_namespace(m);
	int t = from_init(m, LXJ_STEP_INIT);
	if (t != LXJ_MSG_READY) {
		if (t >= 0)
			send_error(m->ctl, LXJ_STEP_INIT, ECHILD, "The container init exited during setup");
		return abort_setup(m);
	}
	if (p->notify_proxy && (m->listener < 0 || notify_init(&m->notify, p->notify_proxy, p->notify_cookie,
								   m->listener, m->init) < 0)) {
		send_error(m->ctl, LXJ_STEP_SECCOMP, m->listener < 0 ? EPROTO : errno,
			   "Failed to receive the seccomp listener from the container init: %s",
			   m->listener < 0 ? "none was sent" : errno_name(errno));
		return abort_setup(m);
	}
	if (bind_socket(m) < 0) {
		send_error(m->ctl, LXJ_STEP_MONITOR_SOCKET, errno, "Failed to serve \"%s/" SOCK_NAME "\": %s", p->run_dir,
			   errno_name(errno));
		return abort_setup(m);
	}
	if (reply_pids(m, LXJ_MSG_CREATED) < 0)
		return abort_setup(m);
	uint8_t buf[64];
	uint16_t type;
	wait_readable(m->ctl);
	if (recv_frame(m->ctl, buf, sizeof(buf), &type) < 0 || type != LXJ_MSG_START)
		return abort_setup(m); /* the JVM went away or aborted: nothing may stay behind */
	if (send_frame(m->sync, LXJ_MSG_START, NULL, 0) < 0) {
		send_error(m->ctl, LXJ_STEP_WAIT_START, errno, "Failed to start the container init: %s", errno_name(errno));
		return abort_setup(m);
	}
	/* EOF on the sync socket without an ERROR means the command was exec'd. */
	if (from_init(m, LXJ_STEP_EXEC) != 0)
		return abort_setup(m);
	close(m->sync);
	reply_pids(m, LXJ_MSG_STARTED);
	return 0;
}

/* The exit record's line: "exit=CODE signal=SIG time=SECONDS.NANOS\n". */
static void exit_line(int status, char *line, size_t len)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	snprintf(line, len, "exit=%d signal=%d time=%lld.%09ld\n", code, sig, (long long)ts.tv_sec, ts.tv_nsec);
}

static void write_exit(struct monitor *m, const char *line)
{
	int fd = openat(m->rundir, "exit.tmp", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return;
	/*
	 * No fsync: the record is for the runtime's processes, which see it whole through the rename; after a crash
	 * of the host no container survives to be described by it. On a disk-backed /run an fsync here costs
	 * milliseconds between init's exit and the caller learning of it.
	 */
	ssize_t w = write(fd, line, strlen(line));
	close(fd);
	if (w == (ssize_t)strlen(line))
		renameat(m->rundir, "exit.tmp", m->rundir, "exit");
}

struct client {
	int fd;
	size_t len;
	int waiting;
	char buf[128];
};

static void client_say(struct client *c, const char *s)
{
	if (send(c->fd, s, strlen(s), MSG_NOSIGNAL) < 0) {
		close(c->fd);
		c->fd = -1;
	}
}

static void client_command(struct monitor *m, struct client *c, char *line)
{
	char out[128];
	int sig;
	if (strcmp(line, "state") == 0) {
		snprintf(out, sizeof(out), "RUNNING %d\n", m->init);
		client_say(c, out);
	} else if (sscanf(line, "kill %d", &sig) == 1 && sig > 0 && sig < NSIG) {
		if (syscall(SYS_pidfd_send_signal, m->pidfd, sig, NULL, 0) < 0)
			snprintf(out, sizeof(out), "ERR %s Failed to send signal %d to %d\n", errno_name(errno), sig, m->init);
		else
			snprintf(out, sizeof(out), "OK\n");
		client_say(c, out);
	} else if (strcmp(line, "wait") == 0) {
		c->waiting = 1;
	} else {
		client_say(c, "ERR EINVAL Unknown command\n");
	}
}

/*
 * Receives the fds that came with the bytes (SCM_RIGHTS): *passed gets the one fd, the rest are closed and *extra
 * set. A stream read stops after the segment that carries fds, so they belong to the last bytes received.
 */
static ssize_t client_recv(struct client *c, int *passed, int *extra)
{
	char ctl[CMSG_SPACE(4 * sizeof(int))];
	struct iovec iov = { .iov_base = c->buf + c->len, .iov_len = sizeof(c->buf) - 1 - c->len };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	ssize_t n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);
	*passed = -1;
	*extra = n >= 0 && (mh.msg_flags & MSG_CTRUNC);
	for (struct cmsghdr *cm = n >= 0 ? CMSG_FIRSTHDR(&mh) : NULL; cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;
			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (*passed < 0) {
				*passed = fd;
			} else {
				close(fd);
				*extra = 1;
			}
		}
	}
	return n;
}

/* "seccomp-listener" with its fd: the monitor polls the listener and proxies its notifications (notify.c). */
static void client_listener(struct monitor *m, struct client *c, const char *line, int fd)
{
	const char *why = "EINVAL An fd is only taken with \"seccomp-listener\"";
	char out[128];
	if (strcmp(line, "seccomp-listener") == 0 && notify_adopt(&m->notify, fd, &why) == 0) {
		client_say(c, "OK\n");
		return;
	}
	close(fd);
	snprintf(out, sizeof(out), "ERR %s\n", why);
	client_say(c, out);
}

static void client_read(struct monitor *m, struct client *c)
{
	int passed, extra;
	ssize_t n = client_recv(c, &passed, &extra);
	if (n <= 0) {
		if (passed >= 0)
			close(passed);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->len += (size_t)n;
	c->buf[c->len] = '\0';
	if (passed >= 0 && (extra || c->buf[c->len - 1] != '\n')) {
		/* more than one fd, or fds not sent with a whole line: the request cannot be told apart */
		close(passed);
		client_say(c, "ERR EINVAL Send \"seccomp-listener\\n\" with exactly one fd in one message\n");
		if (c->fd >= 0) {
			close(c->fd);
			c->fd = -1;
		}
		return;
	}
	char *nl;
	while (c->fd >= 0 && (nl = strchr(c->buf, '\n'))) {
		*nl = '\0';
		size_t used = (size_t)(nl + 1 - c->buf);
		int r = -1;
		if (passed >= 0 && used == c->len) { /* the last line received is the one the fd came with */
			client_listener(m, c, c->buf, passed);
			passed = -1;
			r = 0;
		} else if (strcmp(c->buf, "seccomp-listener") == 0) {
			client_say(c, "ERR EINVAL The seccomp listener must come with the request (SCM_RIGHTS)\n");
			r = 0;
		} else {
			/* a console viewer: the connection now carries its frames, the console owns it */
			r = console_request(c->fd, c->buf, (const uint8_t *)c->buf + used, c->len - used);
		}
		if (r == 1) {
			if (passed >= 0)
				close(passed);
			c->fd = -1;
			return;
		}
		if (r < 0)
			client_command(m, c, c->buf);
		memmove(c->buf, nl + 1, c->len - used + 1);
		c->len -= used;
	}
	if (passed >= 0)
		close(passed); /* the connection failed before the fd's line was reached */
	if (c->fd >= 0 && c->len == sizeof(c->buf) - 1) {
		client_say(c, "ERR E2BIG Line too long\n");
		if (c->fd >= 0) {
			close(c->fd);
			c->fd = -1;
		}
	}
}

static void client_accept(struct monitor *m, struct client *clients)
{
	int fd = accept4(m->listen, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd < 0)
		return;
	struct ucred cr;
	socklen_t l = sizeof(cr);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &l) < 0 || (cr.uid != 0 && cr.uid != geteuid())) {
		close(fd);
		return;
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (clients[i].fd < 0) {
			clients[i] = (struct client){ .fd = fd };
			/* a client sends its line as it connects: read now, not a poll round later (EAGAIN if not yet) */
			client_read(m, &clients[i]);
			return;
		}
	close(fd);
}

static int supervise(struct monitor *m)
{
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
	struct client clients[MAX_CLIENTS];
	for (int i = 0; i < MAX_CLIENTS; i++)
		clients[i].fd = -1;
	struct pollfd *pf = calloc(4 + MAX_CLIENTS + console_max_pollfds() + notify_max_pollfds(), sizeof(*pf));
	if (!pf)
		return LXJ_EXIT_INTERNAL;
	for (;;) {
		int n = 0;
		pf[n++] = (struct pollfd){ .fd = m->pidfd, .events = POLLIN };
		pf[n++] = (struct pollfd){ .fd = m->listen, .events = POLLIN };
		pf[n++] = (struct pollfd){ .fd = sfd, .events = POLLIN };
		for (int i = 0; i < MAX_CLIENTS; i++)
			pf[n++] = (struct pollfd){ .fd = clients[i].fd, .events = POLLIN };
		size_t nc = console_pollfds(pf + n);
		/* last, after the console's: the seccomp listeners and proxy connections (fd -1 is ignored by poll) */
		size_t nn = notify_pollfds(&m->notify, pf + n + nc);
		int rc = poll(pf, (nfds_t)(n + nc + nn), notify_timeout(&m->notify));
		if (rc < 0 && errno != EINTR)
			return LXJ_EXIT_INTERNAL;
		if (rc > 0)
			console_events(pf + n, nc);
		if (rc >= 0) /* also on a timeout: a passed deadline is answered ENOSYS */
			notify_events(&m->notify, pf + n + nc, nn);
		/*
		 * Requests before the reap: a "wait" that came with init's exit (a runtime asks right after STARTED, while
		 * it records the start) is told of it with the others, and need not wait for the exit record.
		 */
		for (int i = 0; i < MAX_CLIENTS; i++)
			if (clients[i].fd >= 0 && (pf[3 + i].revents & (POLLIN | POLLHUP | POLLERR)))
				client_read(m, &clients[i]);
		if (pf[1].revents & POLLIN)
			client_accept(m, clients);
		struct signalfd_siginfo si;
		while (sfd >= 0 && read(sfd, &si, sizeof(si)) == sizeof(si))
			;
		int status, init_status = -1;
		pid_t r;
		while ((r = waitpid(-1, &status, WNOHANG)) > 0)
			if (r == m->init)
				init_status = status;
		if (init_status != -1) {
			char line[128], msg[160], err[1024];
			/* Before the exit record: the runtime's cleanup (rootfs unmount, post-stop) comes after them. */
			if (m->stop_hooks)
				run_hooks(m->p, LXJ_HOOK_STOP, &m->ns, err, sizeof(err));
			/* the console's last output reaches its buffer and log before the exit record; viewers get EOF */
			console_shutdown();
			/*
			 * Waiting clients learn of the exit first; the end of their connection then tells them that the
			 * exit record is written and init's namespaces are let go of (docs/launcher-protocol.md).
			 */
			exit_line(init_status, line, sizeof(line));
			snprintf(msg, sizeof(msg), "EXITED %s", line);
			for (int i = 0; i < MAX_CLIENTS; i++)
				if (clients[i].fd >= 0 && clients[i].waiting)
					client_say(&clients[i], msg);
			release_namespaces(m);
			write_exit(m, line);
			for (int i = 0; i < MAX_CLIENTS; i++)
				if (clients[i].fd >= 0)
					close(clients[i].fd);
			unlinkat(m->rundir, SOCK_NAME, 0);
			return LXJ_EXIT_OK;
		}
	}
}

int monitor_run(const struct plan *p, int ctl, int net_ahead)
{
	struct monitor m = { .p = p, .ctl = ctl, .sync = -1, .pidfd = -1, .rundir = -1, .procfd = -1, .listen = -1,
			     .listener = -1, .host_time = -1, .net_ahead = net_ahead, .host_net = -1,
			     .mnt_held = -1 };
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	signal(SIGPIPE, SIG_IGN);
	m.stop_hooks = has_stop_hooks(p);
	int rc = setup(&m);
	if (rc != 0)
		return rc;
	close(ctl);
	/*
	 * From here on the monitor only reaps, answers its socket and writes its exit record: Landlock confines it
	 * to the run directory. Stop hooks are forked by the monitor and would inherit the domain (and no_new_privs),
	 * so a container with stop hooks keeps an unconfined monitor, and so does one that writes a console log (its
	 * rotation creates files beside the log). A failure leaves it as it was.
	 */
	/* a seccomp proxy needs /proc/<pid>/mem and a socket outside: that monitor stays unconfined too */
	if (!m.stop_hooks && !console_has_log() && m.listener < 0)
		landlock_confine_to(m.rundir);
	/* Supervising needs the plan only for stop hooks: without them its pages go back to the kernel. */
	if (!m.stop_hooks) {
		release_plan_memory();
		m.p = NULL;
	}
	return supervise(&m);
}
