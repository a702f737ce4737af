/*
 * container.c - the cloned child: the A.3.3 checklist, one step at a time. Every failure is
 * reported as {step, errno, message} on the sync socket and ends the child.
 */
#include "console.h"
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/close_range.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static int sync_fd = -1;
static int lsm_proc_fd = -1;   /* verified procfs for the LSM writes, opened while init is privileged */
static int landlock_fd = -1;   /* the filled Landlock ruleset, enforced after no_new_privs */
static int attach_monitor_fd = -1; /* attach mode: the connection to monitor.sock that takes a filter's listener */

__attribute__((noreturn, format(printf, 3, 4))) static void die(int step, int err, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	send_error(sync_fd, step, err, "%s", msg);
	_exit(LXJ_EXIT_SETUP);
}

static void wait_for(uint16_t want, int step, const char *what)
{
	uint8_t buf[64];
	uint16_t type;
	ssize_t n = recv_frame(sync_fd, buf, sizeof(buf), &type);
	if (n < 0)
		die(step, errno, "Failed to wait for %s: %s", what, errno_name(errno));
	if (type != want)
		die(step, EPROTO, "Expected %s from the monitor, got message %u", what, type);
}

int cgroup_self_move(const struct plan *p, size_t i, char *tasks, size_t len)
{
	if ((p->clone_flags & CLONE_NEWUSER) || p->n_joins > 0)
		return 0;
	const char *procs = p->cgroup_procs[i];
	const char *slash = strrchr(procs, '/');
	if (!slash || (size_t)(slash - procs) + sizeof("/tasks") > len)
		return 0;
	memcpy(tasks, procs, (size_t)(slash - procs));
	memcpy(tasks + (slash - procs), "/tasks", sizeof("/tasks"));
	/* cgroup2 has no "tasks" file: its cgroup.procs takes the whole thread group, under the barrier */
	return access(tasks, W_OK) == 0;
}

/*
 * Init moves itself into each v1 payload cgroup the monitor leaves to it (cgroup_self_move), first of all, before
 * a deferred cgroup namespace is unshared: "0" to "tasks" moves this single-threaded process without waiting for
 * the kernel's RCU grace period that a move by pid (cgroup.procs) waits for after a quiet period (5-20 ms).
 */
static void step_cgroup_self(const struct plan *p)
{
	char tasks[PATH_MAX];
	for (size_t i = 0; i < p->n_cgroup_procs; i++) {
		if (!cgroup_self_move(p, i, tasks, sizeof(tasks)))
			continue;
		int fd = open(tasks, O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, "0", 1) != 1)
			die(LXJ_STEP_CGROUP, errno, "Failed to move the container init into \"%s\": %s", tasks,
			    errno_name(errno));
		close(fd);
	}
}

static void step_userns(const struct plan *p)
{
	/* the monitor cloned init without a new cgroup namespace when it places it by cgroup.procs writes */
	int cgroupns_deferred = (p->clone_flags & CLONE_NEWCGROUP) && p->n_cgroup_procs > 0;
	if (!(p->clone_flags & CLONE_NEWUSER)) {
		if (cgroupns_deferred) {
			wait_for(LXJ_MSG_MAPS_DONE, LXJ_STEP_CGROUP, "the cgroup placement");
			if (unshare(CLONE_NEWCGROUP) < 0)
				die(LXJ_STEP_CGROUP, errno, "Failed to unshare the cgroup namespace: %s", errno_name(errno));
		}
		return;
	}
	wait_for(LXJ_MSG_MAPS_DONE, LXJ_STEP_USERNS_MAPS, "the id maps");
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
		die(LXJ_STEP_SETID_ROOT, errno, "Failed to become root in the user namespace: %s", errno_name(errno));
	if (cgroupns_deferred && unshare(CLONE_NEWCGROUP) < 0)
		die(LXJ_STEP_CGROUP, errno, "Failed to unshare the cgroup namespace: %s", errno_name(errno));
}

static void step_propagation(const struct plan *p)
{
	if (p->clone_flags & CLONE_NEWNS) {
		unsigned long prop = p->rootfs_propagation ? p->rootfs_propagation : MS_SLAVE;
		if (mount(NULL, "/", NULL, MS_REC | prop, NULL) < 0)
			die(LXJ_STEP_PROPAGATION, errno, "Failed to set the propagation of \"/\": %s", errno_name(errno));
	}
}

static void step_hooks(const struct plan *p, uint32_t stage)
{
	char err[1024];
	if (p->n_hooks && run_hooks(p, stage, NULL, err, sizeof(err)) < 0)
		die(LXJ_STEP_HOOK, errno, "%s", err);
}

static int step_rootfs(const struct plan *p)
{
	if (!p->rootfs) {
		/* No rootfs: the host's root, seen through the (new or joined) mount namespace. */
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (root < 0)
			die(LXJ_STEP_ROOTFS, errno, "Failed to open \"/\": %s", errno_name(errno));
		return root;
	}
	int dir = open(p->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		die(LXJ_STEP_ROOTFS, errno, "Failed to open the rootfs \"%s\": %s", p->rootfs, errno_name(errno));
	/* Bind the rootfs onto itself: pivot_root needs a mount point, and the clone fd is its root. */
	int root = open_tree(dir, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	if (root < 0 || move_mount(root, "", dir, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		die(LXJ_STEP_ROOTFS, errno, "Failed to bind the rootfs \"%s\": %s", p->rootfs, errno_name(errno));
	close(dir);
	return root;
}

static void step_mounts(const struct plan *p, int root)
{
	char err[1024];
	for (size_t i = 0; i < p->n_mounts; i++) {
		const struct plan_mount *m = &p->mounts[i];
		if (mount_entry(root, m, err, sizeof(err)) < 0 && !m->optional)
			die(LXJ_STEP_MOUNT, errno, "%s", err);
	}
}

static void step_devices_symlinks(const struct plan *p, int root)
{
	char err[1024];
	for (size_t i = 0; i < p->n_devices; i++)
		if (make_device(root, &p->devices[i], err, sizeof(err)) < 0)
			die(LXJ_STEP_DEVICE, errno, "%s", err);
	for (size_t i = 0; i < p->n_symlinks; i++)
		if (make_symlink(root, &p->symlinks[i], err, sizeof(err)) < 0)
			die(LXJ_STEP_SYMLINK, errno, "%s", err);
	if (p->rootfs_readonly) {
		struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY };
		if (mount_setattr(root, "", AT_EMPTY_PATH, &attr, sizeof(attr)) < 0)
			die(LXJ_STEP_READONLY, errno, "Failed to make the rootfs \"%s\" read-only: %s", p->rootfs,
			    errno_name(errno));
	}
}

/* The monitor's pty slaves onto /dev/console and /dev/ttyN; the console becomes init's terminal and stdio. */
static void step_console(const struct plan *p, int root)
{
	char err[1024];
	if (console_child(p, root, err, sizeof(err)) < 0)
		die(LXJ_STEP_CONSOLE, errno, "%s", err);
}

static void step_pivot(const struct plan *p, int root)
{
	if (!p->rootfs)
		return;
	if (fchdir(root) < 0)
		die(LXJ_STEP_PIVOT, errno, "Failed to enter the rootfs: %s", errno_name(errno));
	if (!p->no_pivot && syscall(SYS_pivot_root, ".", ".") == 0) {
		/* The old root sits under the new one: keep its unmount from propagating, then drop it. */
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 || umount2(".", MNT_DETACH) < 0)
			die(LXJ_STEP_PIVOT, errno, "Failed to detach the old root: %s", errno_name(errno));
	} else {
		if (!p->no_pivot && errno != EINVAL)
			die(LXJ_STEP_PIVOT, errno, "Failed to pivot_root into \"%s\": %s", p->rootfs, errno_name(errno));
		if (mount(".", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0)
			die(LXJ_STEP_PIVOT, errno, "Failed to move the rootfs to \"/\": %s", errno_name(errno));
	}
	if (chdir("/") < 0)
		die(LXJ_STEP_PIVOT, errno, "Failed to chdir to the new root: %s", errno_name(errno));
}

static void step_masks(const struct plan *p, int devnull)
{
	char err[1024];
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		die(LXJ_STEP_MASK, errno, "Failed to open the new root: %s", errno_name(errno));
	for (size_t i = 0; i < p->n_masked; i++)
		if (mask_path(root, p->masked[i], devnull, err, sizeof(err)) < 0)
			die(LXJ_STEP_MASK, errno, "%s", err);
	for (size_t i = 0; i < p->n_readonly; i++)
		if (readonly_path(root, p->readonly[i], err, sizeof(err)) < 0)
			die(LXJ_STEP_READONLY, errno, "%s", err);
	close(root);
}

static void step_uts_rlimits(const struct plan *p)
{
	if (p->hostname && sethostname(p->hostname, strlen(p->hostname)) < 0)
		die(LXJ_STEP_HOSTNAME, errno, "Failed to set the hostname \"%s\": %s", p->hostname, errno_name(errno));
	if (p->domainname && setdomainname(p->domainname, strlen(p->domainname)) < 0)
		die(LXJ_STEP_HOSTNAME, errno, "Failed to set the domainname \"%s\": %s", p->domainname, errno_name(errno));
	if (p->n_proc_writes) {
		char err[1024];
		int procfd = open_private_proc();
		if (procfd < 0)
			die(LXJ_STEP_PROC_WRITE, errno, "Failed to open a verified procfs: %s", errno_name(errno));
		for (size_t i = 0; i < p->n_proc_writes; i++)
			if (proc_write(procfd, &p->proc_writes[i], err, sizeof(err)) < 0)
				die(LXJ_STEP_PROC_WRITE, errno, "%s", err);
		close(procfd);
	}
	for (size_t i = 0; i < p->n_rlimits; i++) {
		const struct plan_rlimit *r = &p->rlimits[i];
		struct rlimit rl = { .rlim_cur = r->soft, .rlim_max = r->hard };
		if (setrlimit((__rlimit_resource_t)r->resource, &rl) < 0)
			die(LXJ_STEP_RLIMIT, errno, "Failed to set rlimit %u: %s", r->resource, errno_name(errno));
	}
	if (p->has_personality && personality(p->personality) < 0)
		die(LXJ_STEP_PERSONALITY, errno, "Failed to set personality 0x%x: %s", p->personality, errno_name(errno));
	/* KEYCTL_JOIN_SESSION_KEYRING with no name: a fresh anonymous session keyring. */
	if (p->session_keyring && syscall(SYS_keyctl, 1, NULL, 0, 0, 0) < 0 && errno != ENOSYS)
		die(LXJ_STEP_KEYRING, errno, "Failed to create a session keyring: %s", errno_name(errno));
}

static void step_seccomp(const struct plan *p)
{
	if (!p->seccomp)
		return;
	struct sock_fprog prog = { .len = (unsigned short)(p->seccomp_len / 8),
				   .filter = (struct sock_filter *)(uintptr_t)p->seccomp };
	/* The payload may be unaligned inside the message: copy it. */
	static struct sock_filter filter[PLAN_MAX_SECCOMP / 8];
	memcpy(filter, p->seccomp, p->seccomp_len);
	prog.filter = filter;
	long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->seccomp_flags, &prog);
	if (listener < 0)
		die(LXJ_STEP_SECCOMP, errno, "Failed to load the seccomp filter (%u instructions): %s", prog.len,
		    errno_name(errno));
	/* The monitor answers the notifications: init keeps no copy of the listener. */
	if ((p->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) && p->attach) {
		char err[512];
		if (attach_send_listener(attach_monitor_fd, (int)listener, err, sizeof(err)) < 0)
			die(LXJ_STEP_SECCOMP, errno, "%s", err);
		close((int)listener);
		close(attach_monitor_fd);
		attach_monitor_fd = -1;
	} else if ((p->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) &&
	    (notify_send_listener(sync_fd, (int)listener) < 0 || close((int)listener) < 0))
		die(LXJ_STEP_SECCOMP, errno, "Failed to pass the seccomp listener to the monitor: %s", errno_name(errno));
}

/* Bounding set first (needs CAP_SETPCAP), ids with keepcaps, then capset and ambient. */
static void step_identity(const struct plan *p)
{
	if (p->has_caps) {
		for (int c = 0; c < 64 && prctl(PR_CAPBSET_READ, c, 0, 0, 0) >= 0; c++)
			if (!(p->caps[0] & (1ULL << c)) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0)
				die(LXJ_STEP_CAPS, errno, "Failed to drop capability %d from the bounding set: %s", c,
				    errno_name(errno));
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
			die(LXJ_STEP_CAPS, errno, "Failed to keep capabilities: %s", errno_name(errno));
	}
	if (p->has_securebits && prctl(PR_SET_SECUREBITS, p->securebits, 0, 0, 0) < 0)
		die(LXJ_STEP_CAPS, errno, "Failed to set securebits 0x%x: %s", p->securebits, errno_name(errno));
	if (p->has_umask)
		umask(p->umask);
	if (p->has_gid && (setgroups(p->n_groups, p->groups) < 0 || setresgid(p->gid, p->gid, p->gid) < 0))
		die(LXJ_STEP_USER, errno, "Failed to set gid %u and %zu groups: %s", p->gid, p->n_groups, errno_name(errno));
	if (p->has_uid && setresuid(p->uid, p->uid, p->uid) < 0)
		die(LXJ_STEP_USER, errno, "Failed to set uid %u: %s", p->uid, errno_name(errno));
	if (p->has_caps) {
		struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
		struct __user_cap_data_struct d[2];
		for (int i = 0; i < 2; i++) {
			d[i].effective = (uint32_t)(p->caps[1] >> (32 * i));
			d[i].permitted = (uint32_t)(p->caps[2] >> (32 * i));
			d[i].inheritable = (uint32_t)(p->caps[3] >> (32 * i));
		}
		if ((prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 && errno != EPERM) || syscall(SYS_capset, &h, d) < 0)
			die(LXJ_STEP_CAPS, errno, "Failed to set capabilities: %s", errno_name(errno));
		for (int c = 0; c < 64; c++)
			if ((p->caps[4] & (1ULL << c)) && prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, c, 0, 0) < 0)
				die(LXJ_STEP_CAPS, errno, "Failed to raise ambient capability %d: %s", c, errno_name(errno));
	}
	/* LSM labels (the exec label applies at the exec): after the identity, before no_new_privs (notes B.6). */
	char err[1024];
	for (size_t i = 0; i < p->n_lsm_labels; i++)
		if (lsm_write(lsm_proc_fd, &p->lsm_labels[i], err, sizeof(err)) < 0 && !p->lsm_labels[i].optional)
			die(LXJ_STEP_LSM, errno, "%s", err);
	if (lsm_proc_fd >= 0) {
		close(lsm_proc_fd);
		lsm_proc_fd = -1;
	}
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(LXJ_STEP_NO_NEW_PRIVS, errno, "Failed to set no_new_privs: %s", errno_name(errno));
	if (landlock_enforce(landlock_fd, err, sizeof(err)) < 0)
		die(LXJ_STEP_LANDLOCK, errno, "%s", err);
	landlock_fd = -1;
	if (p->no_new_privs)
		step_seccomp(p); /* last: the filter need not allow the launcher's own setup */
}

/* Before the identity changes: open what the LSM writes and the Landlock rules need, inside the new root. */
static void step_security_prepare(const struct plan *p)
{
	char err[1024];
	if (p->n_lsm_labels) {
		lsm_proc_fd = open_private_proc();
		if (lsm_proc_fd < 0)
			die(LXJ_STEP_LSM, errno, "Failed to open a verified procfs for the LSM labels: %s", errno_name(errno));
	}
	if (p->has_landlock && landlock_prepare(&p->landlock, &landlock_fd, err, sizeof(err)) < 0)
		die(LXJ_STEP_LANDLOCK, errno, "%s", err);
}

/* The signal init gets when the monitor dies (lxc.monitor.signal.pdeath, default SIGKILL; 0 none). */
static void set_pdeath(const struct plan *p)
{
	int sig = p->has_pdeath_signal ? (int)p->pdeath_signal : SIGKILL;
	if (prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0) < 0)
		die(LXJ_STEP_DUMPABLE, errno, "Failed to set the parent death signal %d: %s", sig, errno_name(errno));
}

static void step_cwd(const struct plan *p)
{
	char err[1024];
	if (enter_cwd(p->cwd ? p->cwd : "/", err, sizeof(err)) < 0)
		die(LXJ_STEP_CWD, errno, "%s", err);
}

void container_main(const struct plan *p, int sync)
{
	sync_fd = sync;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die(LXJ_STEP_DUMPABLE, errno, "Failed to make the init non-dumpable: %s", errno_name(errno));
	set_pdeath(p);
	step_cgroup_self(p);
	step_userns(p);
	step_propagation(p);
	/* LXC's order: pre-mount before the rootfs, mount after the mounts, autodev after /dev, all before the pivot. */
	step_hooks(p, LXJ_HOOK_PRE_MOUNT);
	int root = step_rootfs(p);
	int devnull = open_verified_devnull();
	if (devnull < 0 && p->n_masked > 0)
		die(LXJ_STEP_MASK, errno, "Failed to open a verified /dev/null (char 1:3): %s", errno_name(errno));
	step_mounts(p, root);
	step_hooks(p, LXJ_HOOK_MOUNT);
	step_devices_symlinks(p, root);
	step_hooks(p, LXJ_HOOK_AUTODEV);
	step_console(p, root);
	step_pivot(p, root);
	close(root);
	step_masks(p, devnull);
	if (devnull >= 0)
		close(devnull);
	step_uts_rlimits(p);
	/* The start hook runs inside, still privileged, just before the identity and filters of init. */
	step_hooks(p, LXJ_HOOK_START);
	step_cwd(p);
	step_security_prepare(p);
	if (!p->no_new_privs)
		step_seccomp(p); /* without no_new_privs the filter needs CAP_SYS_ADMIN: before the drop */
	step_identity(p);
	set_pdeath(p); /* a credential change clears it */
	if (send_frame(sync_fd, LXJ_MSG_READY, NULL, 0) < 0)
		die(LXJ_STEP_WAIT_START, errno, "Failed to report readiness: %s", errno_name(errno));
	wait_for(LXJ_MSG_START, LXJ_STEP_WAIT_START, "START");
	if (p->builtin_init)
		init_main(p, sync);
	exec_command(p, sync);
}

void attach_finish(const struct plan *p, int sync, int monitor_fd)
{
	sync_fd = sync;
	attach_monitor_fd = monitor_fd;
	if (p->remount_sys) {
		/* A private mount namespace with procfs and sysfs of the joined pid and net namespaces on top. */
		char err[1024];
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
			die(LXJ_STEP_MOUNT, errno, "Failed to make a private mount namespace: %s", errno_name(errno));
		int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
		struct plan_mount proc = { .source = "proc", .target = "/proc", .fstype = "proc",
					   .flags = MS_NOSUID | MS_NODEV | MS_NOEXEC };
		struct plan_mount sys = { .source = "sysfs", .target = "/sys", .fstype = "sysfs",
					  .flags = MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY };
		if (root < 0 || mount_entry(root, &proc, err, sizeof(err)) < 0 || mount_entry(root, &sys, err, sizeof(err)) < 0)
			die(LXJ_STEP_MOUNT, errno, "%s", root < 0 ? "Failed to open \"/\"" : err);
		close(root);
	}
	step_cwd(p);
	/* init's confinement, in init's order: Landlock paths and the LSM's procfs resolve in the joined root */
	step_security_prepare(p);
	if (!p->no_new_privs)
		step_seccomp(p);
	step_identity(p);
	exec_command(p, sync);
}

static void reset_signals(void)
{
	sigset_t none;
	sigemptyset(&none);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

static const char *env_path(const struct plan *p)
{
	for (size_t i = 0; i < p->n_env; i++)
		if (strncmp(p->env[i], "PATH=", 5) == 0)
			return p->env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

void exec_command(const struct plan *p, int sync)
{
	sync_fd = sync;
	reset_signals();
	/* Everything above 2 goes at exec; the sync socket stays usable until then to report failure. */
	if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		die(LXJ_STEP_CLOSE_FDS, errno, "Failed to mark descriptors close-on-exec: %s", errno_name(errno));
	const char *cmd = p->args[0];
	int err = ENOENT;
	if (strchr(cmd, '/')) {
		execve(cmd, (char *const *)p->args, (char *const *)p->env);
		err = errno;
	} else {
		char path[PATH_MAX];
		const char *dirs = env_path(p);
		while (*dirs) {
			size_t n = strcspn(dirs, ":");
			if (snprintf(path, sizeof(path), "%.*s/%s", (int)n, dirs, cmd) < (int)sizeof(path)) {
				execve(path, (char *const *)p->args, (char *const *)p->env);
				if (errno != ENOENT && errno != ENOTDIR)
					err = errno;
			}
			dirs += n;
			if (*dirs == ':')
				dirs++;
		}
	}
	send_error(sync_fd, LXJ_STEP_EXEC, err, "Failed to exec \"%s\": %s", cmd, errno_name(err));
	_exit(err == ENOENT ? LXJ_EXIT_NOT_FOUND : LXJ_EXIT_NOT_EXECUTABLE);
}
