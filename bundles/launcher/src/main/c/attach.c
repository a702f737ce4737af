/*
 * attach.c - attach mode (lxc-attach): the launcher stays the JVM's child. It checks that the target
 * pid still is the container's init (start time), becomes non-dumpable, moves into the container's
 * cgroup, joins the requested namespaces through init's pidfd, forks the command (so it is inside the
 * pid namespace), reports ATTACHED, relays SIGNAL requests and reports EXITED{status}.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/magic.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

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
	/*
	 * Every hierarchy's payload cgroup, before any namespace change (the host paths stay valid). Joining a
	 * frozen cgroup freezes the launcher here until the container is thawed, as lxc-attach blocks.
	 */
	for (size_t i = 0; i < p->n_attach_cgroups; i++) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/cgroup.procs", p->attach_cgroups[i]);
		int fd = open(path, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			return fail(ctl, LXJ_STEP_CGROUP, e, "Failed to join the cgroup \"%s\": %s", p->attach_cgroups[i]);
		}
		close(fd);
	}
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
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return fail(ctl, LXJ_STEP_CLONE, errno, "Failed to create the sync socket%s: %s", "");
	pid_t c = fork();
	if (c < 0)
		return fail(ctl, LXJ_STEP_CLONE, errno, "Failed to fork the command in %s: %s", num);
	if (c == 0) {
		close(sv[0]);
		close(ctl);
		close(pidfd);
		close(procfd);
		attach_finish(p, sv[1]);
	}
	close(sv[1]);
	close(procfd);
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
			} else if (r <= 0) {
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
