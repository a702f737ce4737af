/*
 * main.c - lxj-launcher: started by the JVM with posix_spawn, the plan on fd 3 (SOCK_SEQPACKET).
 * Re-executes itself from a sealed memfd, detaches as the container's monitor, reads and checks
 * the plan, and hands over to the monitor.
 */
#include "client.h"
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x0020
#endif

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#define SEALED_ENV "_LXJ_LAUNCHER_SEALED=1"

extern char **environ;

static int is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);
	return seals >= 0 && (seals & SEALS) == SEALS;
}

int ensure_sealed_self(char **argv)
{
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -1;
	if (is_sealed(self)) {
		close(self);
		return 0;
	}
	for (char **e = environ; e && *e; e++)
		if (strcmp(*e, SEALED_ENV) == 0) {
			close(self);
			errno = EBADF; /* re-executed once already, yet not sealed: refuse to loop */
			return -1;
		}
	int mfd = memfd_create("lxj-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mfd < 0 && errno == EINVAL)
		mfd = memfd_create("lxj-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	struct stat st;
	if (mfd < 0 || fstat(self, &st) < 0)
		return -1;
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(mfd, self, NULL, (size_t)(st.st_size - done));
		if (n <= 0)
			return -1;
		done += n;
	}
	close(self);
	if (fcntl(mfd, F_ADD_SEALS, SEALS | F_SEAL_EXEC) < 0 && fcntl(mfd, F_ADD_SEALS, SEALS) < 0)
		return -1;
	/* Keep the JVM-chosen (empty) environment, plus the loop guard. */
	char *env[64];
	int n = 0;
	for (char **e = environ; e && *e && n < 62; e++)
		env[n++] = *e;
	env[n++] = (char *)SEALED_ENV;
	env[n] = NULL;
	fexecve(mfd, argv, env);
	return -1;
}

/* The plan and the message it points into; page-aligned, so releasing them touches nothing else. */
static uint8_t plan_msg[LXJ_MAX_MESSAGE] __attribute__((aligned(4096)));
static struct plan the_plan __attribute__((aligned(4096)));

void release_plan_memory(void)
{
	madvise(plan_msg, sizeof(plan_msg), MADV_DONTNEED);
	madvise(&the_plan, (sizeof(the_plan) + 4095) & ~(size_t)4095, MADV_DONTNEED);
}

/*
 * A spare launcher (argv[1] "spare") is spawned ahead of any start with /dev/null as fds 0-2 and waits, detached
 * like a monitor, for its plan: the PLAN frame carries the container's stdin, stdout and stderr (SCM_RIGHTS, in
 * that order), which replace fds 0-2, so it goes on exactly as a launcher spawned with them would. EOF before a
 * plan retires it quietly. Returns the plan's length, or -1 with errno set.
 */
static ssize_t recv_spare_plan(int fd, uint8_t *buf, size_t cap, uint16_t *type)
{
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct iovec iov = { .iov_base = buf, .iov_len = cap };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	int fds[3] = { -1, -1, -1 }, nfds = 0;
	ssize_t n;
	do
		n = recvmsg(fd, &mh, MSG_TRUNC | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n == 0)
		_exit(LXJ_EXIT_OK);
	for (struct cmsghdr *c = n > 0 ? CMSG_FIRSTHDR(&mh) : NULL; c; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
			size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			for (size_t i = 0; i < k; i++) {
				int got;
				memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
				if (nfds < 3)
					fds[nfds++] = got;
				else
					close(got);
			}
		}
	size_t off = 0;
	struct tlv t;
	if (n > 0 && ((size_t)n > cap || (mh.msg_flags & MSG_CTRUNC) || nfds != 3))
		errno = EPROTO, n = -1;
	else if (n > 0 && (tlv_next(buf, (size_t)n, &off, &t) != 1 || off != (size_t)n))
		errno = EBADMSG, n = -1;
	for (int i = 0; n > 0 && i < 3; i++)
		if (dup2(fds[i], i) < 0)
			n = -1;
	int saved = errno;
	for (int i = 0; i < nfds; i++)
		close(fds[i]);
	errno = saved;
	if (n < 0)
		return -1;
	*type = t.type;
	memmove(buf, t.payload, t.len);
	return (ssize_t)t.len;
}

static int is_control_socket(int fd)
{
	int type;
	socklen_t len = sizeof(type);
	return getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &len) == 0 && type == SOCK_SEQPACKET;
}

int main(int argc, char **argv)
{
	/* the distribution's bin/lxj is a copy of this binary: under any name but lxj-launcher*, it is the command line */
	if (lxj_is_entry_name(argc > 0 ? argv[0] : NULL))
		return lxj_main(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--version") == 0) {
		printf("lxj-launcher protocol %d\n", LXJ_PROTOCOL_VERSION);
		return LXJ_EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "client") == 0)
		return client_main(argc - 1, argv + 1);

	int attach = argc == 2 && strcmp(argv[1], "attach") == 0;
	int spare = argc == 2 && strcmp(argv[1], "spare") == 0;
	if ((argc > 1 && !attach && !spare) || !is_control_socket(CONTROL_FD)) {
		fprintf(stderr, "lxj-launcher: started without its control socket on fd %d\n", CONTROL_FD);
		return LXJ_EXIT_USAGE;
	}
	if (ensure_sealed_self(argv) < 0) {
		send_error(CONTROL_FD, LXJ_STEP_REEXEC, errno, "Failed to re-execute from a sealed memfd: %s",
			   errno_name(errno));
		return LXJ_EXIT_REEXEC;
	}
	if (attach)
		return attach_main(CONTROL_FD);
	/* A spare holds nothing of a container yet, but nobody may read or trace it while it waits. */
	if (spare && prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0) {
		send_error(CONTROL_FD, LXJ_STEP_MONITOR, errno, "Failed to make the spare launcher non-dumpable: %s",
			   errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	/* before the detach: once the runtime has reaped this process, its spare has the namespace ready */
	int net_ahead = spare ? netns_ahead() : -1;
	/* Detach: the JVM reaps this process at once; the monitor is nobody's child but init's. */
	pid_t pid = fork();
	if (pid < 0) {
		send_error(CONTROL_FD, LXJ_STEP_MONITOR, errno, "Failed to fork the monitor: %s", errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	if (pid > 0)
		_exit(LXJ_EXIT_OK);
	/* The monitor outlives the JVM: it must not pin the JVM's working directory (a mount, a deleted dir). */
	if (setsid() < 0 || prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 || chdir("/") < 0) {
		send_error(CONTROL_FD, LXJ_STEP_MONITOR, errno, "Failed to become the monitor: %s", errno_name(errno));
		return LXJ_EXIT_SETUP;
	}
	prctl(PR_SET_NAME, "lxj-monitor", 0, 0, 0);
	uint8_t *msg = plan_msg;
	uint16_t type;
	ssize_t n = spare ? recv_spare_plan(CONTROL_FD, msg, sizeof(plan_msg), &type)
			  : recv_frame(CONTROL_FD, msg, sizeof(plan_msg), &type);
	/* from here on a spare is what a launcher spawned with this plan's stdio is: dumpable like it */
	if (spare && n >= 0 && prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)
		n = -1;
	if (n < 0 || type != LXJ_MSG_PLAN) {
		send_error(CONTROL_FD, LXJ_STEP_PLAN, n < 0 ? errno : EPROTO, "Failed to receive the plan: %s",
			   n < 0 ? errno_name(errno) : "not a PLAN message");
		return LXJ_EXIT_PLAN;
	}
	char err[512];
	int perr = EINVAL;
	if (plan_parse(msg, (size_t)n, &the_plan, err, sizeof(err), &perr) < 0) {
		send_error(CONTROL_FD, LXJ_STEP_PLAN, perr, "%s", err);
		return LXJ_EXIT_PLAN;
	}
	return monitor_run(&the_plan, CONTROL_FD, net_ahead);
}
