/*
 * init.c - the built-in init for lxc-execute: PID 1 forks the command (PID 2), forwards signals to
 * it, reaps every child, and exits with the command's status (128 + signal when it was killed).
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int is_fault(int s)
{
	return s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE || s == SIGTRAP || s == SIGSYS ||
	       s == SIGKILL || s == SIGSTOP;
}

void init_main(const struct plan *p, int sync)
{
	sigset_t all, old;
	sigfillset(&all);
	for (int s = 1; s < NSIG; s++)
		if (is_fault(s))
			sigdelset(&all, s);
	/* Blocked signals are queued even for a namespace init, so none is lost before sigwaitinfo. */
	sigprocmask(SIG_BLOCK, &all, &old);
	/* The command execs only once init holds nothing but 0-2: init drops every other fd first and then
	 * closes the last one, the write end of "go", whose EOF releases the command. A command that ran before
	 * that could reach init's fds (the sync socket) through /proc/1/fd with CAP_SYS_PTRACE. */
	int go[2];
	if (pipe2(go, O_CLOEXEC) < 0) {
		send_error(sync, LXJ_STEP_INIT, errno, "Failed to create the init pipe: %s", errno_name(errno));
		_exit(LXJ_EXIT_SETUP);
	}
	pid_t child = fork();
	if (child < 0) {
		send_error(sync, LXJ_STEP_INIT, errno, "Failed to fork the command: %s", errno_name(errno));
		_exit(LXJ_EXIT_SETUP);
	}
	if (child == 0) {
		char c;
		close(go[1]);
		while (read(go[0], &c, 1) < 0 && errno == EINTR)
			;
		exec_command(p, sync);
	}
	if (go[1] > 3)
		close_range(3, (unsigned)go[1] - 1, 0);
	close_range((unsigned)go[1] + 1, ~0U, 0);
	close(go[1]);
	/* Under the container's filter (installed before init without no_new_privs) init makes no call the
	 * policy may not allow; otherwise the plan's pages go back. */
	if (p->seccomp_len == 0 || p->no_new_privs)
		release_plan_memory();
	prctl(PR_SET_NAME, "init", 0, 0, 0);
	int status = 0;
	for (;;) {
		siginfo_t si;
		int s = sigwaitinfo(&all, &si);
		if (s < 0)
			continue;
		if (s != SIGCHLD) {
			kill(child, s);
			continue;
		}
		for (;;) {
			int st;
			pid_t r = waitpid(-1, &st, WNOHANG);
			if (r <= 0)
				break;
			if (r == child) {
				status = WIFEXITED(st) ? WEXITSTATUS(st) : LXJ_EXIT_SIGNAL_BASE + WTERMSIG(st);
				_exit(status);
			}
		}
	}
}
