/* launcher.h - shared declarations of the launcher, monitor, container setup and built-in init. */
#ifndef LXJ_LAUNCHER_H
#define LXJ_LAUNCHER_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/seccomp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "plan.h"

#define CONTROL_FD 3

/* Frames on SOCK_SEQPACKET sockets (one frame per message). */
int send_frame(int fd, uint16_t type, const void *payload, uint32_t len);
ssize_t send_fds(int sock, struct iovec *iov, size_t iovlen, const int *fds, size_t nfds, int flags);
/* Receives one frame into buf; returns the payload length, 0 on EOF (type set to 0), -1 on error. */
ssize_t recv_frame(int fd, uint8_t *buf, size_t cap, uint16_t *type);
/* like recv_frame, and *passed gets an fd that came with the frame (SCM_RIGHTS), else -1 */
ssize_t recv_frame_fd(int fd, uint8_t *buf, size_t cap, uint16_t *type, int *passed);
/* Sends ERROR{step, errno, message}; keeps errno. */
void send_error(int fd, int step, int err, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The symbolic errno name ("ENOENT"), or a number. */
const char *errno_name(int err);

/* Re-executes the running binary from a sealed memfd unless it already runs from one. */
int ensure_sealed_self(char **argv);

/*
 * Runs the monitor for a parsed plan: clones init, relays the handshake, supervises. net_ahead is a network
 * namespace made ahead (netns_ahead), or -1. Returns an exit code.
 */
int monitor_run(const struct plan *p, int ctl, int net_ahead);

/* A spare's new network namespace for its init, made before it detaches: its fd, or -1 (see monitor.c). */
int netns_ahead(void);

/*
 * Whether init moves itself into the cgroup of the plan's i-th CGROUP_PROCS file (a cgroup v1 hierarchy: "0" written
 * to the "tasks" file beside it, which moves only the calling, single, thread and so skips the kernel's global
 * cgroup_threadgroup_rwsem and its RCU grace period); then tasks holds that file's path. Only without a user
 * namespace or namespace joins; every other file is written by the monitor with init's pid, as before.
 */
int cgroup_self_move(const struct plan *p, size_t i, char *tasks, size_t len);

/* In the cloned child: carries out the plan's steps and execs (never returns). */
__attribute__((noreturn)) void container_main(const struct plan *p, int sync);

/* The built-in init: forks the command as PID 2, reaps, forwards signals (never returns). */
__attribute__((noreturn)) void init_main(const struct plan *p, int sync);

/*
 * Attach mode, in the forked command: remount, cwd, init's LSM labels, Landlock, no_new_privs and seccomp, identity,
 * exec (never returns). monitor_fd: the connection to monitor.sock a notifying filter's listener goes to, else -1.
 */
__attribute__((noreturn)) void attach_finish(const struct plan *p, int sync, int monitor_fd);
/* Sends "seccomp-listener\n" with the listener to monitor.sock and reads "OK\n"; -1 with errno and err otherwise. */
int attach_send_listener(int monitor_fd, int listener, char *err, size_t errlen);

/* Marks every fd above 2 close-on-exec, sets cwd-independent exec of the plan's command. */
__attribute__((noreturn)) void exec_command(const struct plan *p, int sync);

/* Mount helpers: everything inside the rootfs is resolved by fd. */
int resolve_in_root(int rootfd, const char *path);
int resolve_no_symlinks(int rootfd, const char *path);
int open_parent_in_root(int rootfd, const char *path, char *base, size_t blen);
/* Device nodes and symlinks inside the rootfs (devices.c). */
int make_device(int rootfd, const struct plan_device *d, char *err, size_t errlen);
int make_symlink(int rootfd, const struct plan_symlink *l, char *err, size_t errlen);
/* Writes under a verified procfs: sys/... or self/... (devices.c). */
int open_private_proc(void);
int proc_write(int procfd, const struct plan_proc_write *w, char *err, size_t errlen);
/* Opens the cwd inside root without symlinks that leave it or magic links (CVE-2024-21626), then fchdir. */
int enter_cwd(const char *cwd, char *err, size_t errlen);
/* Joins the plan's namespaces (user first). Returns 0 or -1 with err set. */
int join_namespaces(const struct plan *p, char *err, size_t errlen);
/* Attach mode: the launcher stays the JVM's child, joins a running container and forks the command. */
int attach_main(int ctl);
/* The container's namespaces as the monitor holds them, for stop hooks (hooks.c). */
struct hook_namespaces {
	size_t n;
	const char *names[8];     /* as in /proc/PID/ns: "mnt", "pid", ... */
	const char *env_names[8]; /* LXC_MNT_NS, LXC_PID_NS, ... */
	char paths[8][48];        /* /proc/<monitor>/fd/<n> */
	int fds[8];               /* the <n> of each path */
};
/* The stage's name as in lxc.hook.<name>. */
const char *hook_stage_name(uint32_t stage);
/*
 * Runs the plan's hooks of one stage in order (ns: namespace references for stop hooks, else NULL). Returns 0, or
 * -1 with err set (Hook mount "/x" exited with status 3) at the first failure; stop hooks all run.
 */
int run_hooks(const struct plan *p, uint32_t stage, const struct hook_namespaces *ns, char *err, size_t errlen);
/* LSM attribute writes and Landlock (security.c). Each returns 0, or -1 with errno and err set. */
int lsm_write(int procfd, const struct plan_lsm_label *l, char *err, size_t errlen);
/* Creates and fills the ruleset; *rsfd is -1 when a best-effort ruleset meets a kernel without Landlock. */
int landlock_prepare(const struct plan_landlock *ll, int *rsfd, char *err, size_t errlen);
/* landlock_restrict_self (needs no_new_privs or CAP_SYS_ADMIN), then closes rsfd; rsfd -1 does nothing. */
int landlock_enforce(int rsfd, char *err, size_t errlen);
/*
 * The monitor's own confinement, best effort by ABI: every filesystem right it knows is allowed only beneath
 * dirfd, TCP bind/connect and abstract unix sockets are denied; sets no_new_privs. Returns the ABI, 0 without
 * Landlock, -1 (errno) when a step failed.
 */
int landlock_confine_to(int dirfd);
/* Releases the pages of the plan and of its message once the monitor no longer needs them (main.c). */
void release_plan_memory(void);
int mkpath_in_root(int rootfd, const char *path, uint32_t create);
int mount_entry(int rootfd, const struct plan_mount *m, char *err, size_t errlen);
int mask_path(int rootfd, const char *path, int devnull, char *err, size_t errlen);
int readonly_path(int rootfd, const char *path, char *err, size_t errlen);
int open_verified_devnull(void);

/* Seccomp user notifications proxied to lxc.seccomp.notify.proxy (notify.c). */
#define NOTIFY_MAX_LISTENERS 65 /* init's and 64 from attached processes (monitor.sock "seccomp-listener") */
#define NOTIFY_MAX_PENDING 16   /* notifications forwarded at once; more wait in the kernel */
#define NOTIFY_IDLE_KEEP 4      /* idle proxy connections kept for the next notifications */
#define NOTIFY_TIMEOUT_MS 30000 /* LXC's 30 s proxy timeout: then the call fails with ENOSYS */
/* A notification forwarded to the proxy and not yet answered (conn -1: a free slot). */
struct notify_pending {
	int listener, conn;
	uint64_t id;
	int64_t deadline; /* CLOCK_MONOTONIC milliseconds */
};
struct notifier {
	int active;     /* notify_init succeeded: the plan has a proxy */
	int timeout_ms; /* NOTIFY_TIMEOUT_MS (the unit test shortens it) */
	int listeners[NOTIFY_MAX_LISTENERS];
	int idle[NOTIFY_MAX_PENDING];
	struct notify_pending pending[NOTIFY_MAX_PENDING];
	pid_t monitor, init;
	struct sockaddr_un addr;
	socklen_t addr_len;
	char *cookie;
	struct seccomp_notif_sizes sizes;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;
};
struct pollfd;
/* init: sends MSG_SECCOMP_LISTENER with the listener fd on the sync socket. */
int notify_send_listener(int sync, int listener);
/* monitor: copies the proxy address ("/path" or "@abstract") and cookie; queries the kernel's struct sizes. */
int notify_init(struct notifier *n, const char *proxy, const char *cookie, int listener, pid_t init);
/* Whether fd is a seccomp notification listener ("anon_inode:seccomp notify"). */
int notify_is_listener(int fd);
/* monitor.sock "seccomp-listener": takes the listener (0), or -1 with *why ("EINVAL Not a seccomp listener"). */
int notify_adopt(struct notifier *n, int listener, const char **why);
/* The most pollfds notify_pollfds adds (always exactly this many once active, else 0). */
size_t notify_max_pollfds(void);
/* Adds the listeners, the pending proxy connections and the idle ones; returns how many were added. */
size_t notify_pollfds(const struct notifier *n, struct pollfd *pf);
/* Handles those pollfds' events and the deadlines: answers, forwards, ENOSYS on failure or timeout. */
void notify_events(struct notifier *n, const struct pollfd *pf, size_t count);
/* Milliseconds until the earliest deadline (0: one has passed), -1 without pending notifications. */
int notify_timeout(const struct notifier *n);
/* The table logic, separate for the unit test: the first free slot (-1: full); the poll timeout at now. */
int notify_free_slot(const struct notify_pending *pending, size_t n);
int notify_next_timeout(const struct notify_pending *pending, size_t n, int64_t now);

#endif
