/*
 * hooks.c - runs the plan's lxc.hook.* programs at their stage: fork, execve with the argv and the whole
 * environment Java computed, wait. The container setup runs pre-mount, mount, autodev and start hooks; the
 * monitor runs stop hooks with references to the container's namespaces, as LXC does.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define HOOK_MAX_NS 8

const char *hook_stage_name(uint32_t stage)
{
	switch (stage) {
	case LXJ_HOOK_PRE_MOUNT: return "pre-mount";
	case LXJ_HOOK_MOUNT: return "mount";
	case LXJ_HOOK_AUTODEV: return "autodev";
	case LXJ_HOOK_START: return "start";
	case LXJ_HOOK_STOP: return "stop";
	default: return "unknown";
	}
}

/* A hook run through "sh -c" is known to the user by its $0 (the configured value), not by the shell. */
static const char *hook_label(const struct plan_hook *h)
{
	if (h->n_args >= 4 && strcmp(h->args[1], "-c") == 0)
		return h->args[3];
	return h->args[0];
}

__attribute__((noreturn)) static void hook_child(const char *const *argv, const char *const *envp)
{
	sigset_t none;
	sigemptyset(&none);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Standard output is the container's (or nobody's): hook chatter goes to standard error. */
	dup2(2, 1);
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	execve(argv[0], (char *const *)argv, (char *const *)envp);
	_exit(errno == ENOENT ? LXJ_EXIT_NOT_FOUND : LXJ_EXIT_NOT_EXECUTABLE);
}

static int run_one(const struct plan_hook *h, const struct hook_namespaces *ns, char *err, size_t errlen)
{
	const char *argv[PLAN_MAX_HOOK_ARGS + HOOK_MAX_NS + 1];
	const char *envp[PLAN_MAX_HOOK_ENV + HOOK_MAX_NS + 1];
	char refs[HOOK_MAX_NS][96];
	size_t na = 0, ne = 0;
	for (size_t i = 0; i < h->n_args; i++)
		argv[na++] = h->args[i];
	for (size_t i = 0; i < h->n_env; i++)
		envp[ne++] = h->env[i];
	for (size_t i = 0; ns && i < ns->n && i < HOOK_MAX_NS; i++) {
		if (h->ns_env) {
			snprintf(refs[i], sizeof(refs[i]), "%s=%s", ns->env_names[i], ns->paths[i]);
			envp[ne++] = refs[i];
		} else {
			snprintf(refs[i], sizeof(refs[i]), "%s:%s", ns->names[i], ns->paths[i]);
			argv[na++] = refs[i];
		}
	}
	argv[na] = NULL;
	envp[ne] = NULL;
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "Failed to fork hook %s \"%s\": %s", hook_stage_name(h->stage), hook_label(h),
			 errno_name(errno));
		return -1;
	}
	if (pid == 0)
		hook_child(argv, envp);
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			snprintf(err, errlen, "Failed to wait for hook %s \"%s\": %s", hook_stage_name(h->stage),
				 hook_label(h), errno_name(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "Hook %s \"%s\" exited with status %d", hook_stage_name(h->stage), hook_label(h),
			 WEXITSTATUS(status));
	else
		snprintf(err, errlen, "Hook %s \"%s\" was killed by signal %d", hook_stage_name(h->stage), hook_label(h),
			 WTERMSIG(status));
	errno = ECANCELED;
	return -1;
}

int run_hooks(const struct plan *p, uint32_t stage, const struct hook_namespaces *ns, char *err, size_t errlen)
{
	int failed = 0;
	for (size_t i = 0; i < p->n_hooks; i++) {
		if (p->hooks[i].stage != stage)
			continue;
		if (run_one(&p->hooks[i], ns, err, errlen) < 0) {
			/* A stop hook's failure does not keep the others from running; any other fails the start. */
			if (stage != LXJ_HOOK_STOP)
				return -1;
			failed = 1;
		}
	}
	if (failed)
		errno = ECANCELED;
	return failed ? -1 : 0;
}
