/* plan.h - the validated, in-memory form of a launch plan. Strings point into the message buffer. */
#ifndef LXJ_PLAN_H
#define LXJ_PLAN_H

#include <stddef.h>
#include <stdint.h>

#define PLAN_MAX_MOUNTS 128
#define PLAN_MAX_PATHS 64
#define PLAN_MAX_ARGS 256
#define PLAN_MAX_ENV 256
#define PLAN_MAX_RLIMITS 16
#define PLAN_MAX_STRING 4096
#define PLAN_MAX_DEVICES 64
#define PLAN_MAX_SYMLINKS 64
#define PLAN_MAX_PROC_WRITES 64
#define PLAN_MAX_JOINS 8
#define PLAN_MAX_GROUPS 64
#define PLAN_MAX_CGROUP_PROCS 16
#define PLAN_MAX_ATTACH_CGROUPS 16
#define PLAN_MAX_SECCOMP (4096 * 8)
#define PLAN_MAX_HOOKS 32
#define PLAN_MAX_HOOK_ARGS 64
#define PLAN_MAX_HOOK_ENV 128
#define PLAN_MAX_LSM_LABELS 8
#define PLAN_MAX_LANDLOCK_PATHS 64
#define PLAN_MAX_LANDLOCK_PORTS 64
#define PLAN_MAX_TTYS 1024

struct plan_mount {
	const char *source;   /* NULL: none (e.g. "proc") */
	const char *target;   /* path inside the rootfs, resolved by fd */
	const char *fstype;   /* NULL for binds */
	const char *data;     /* NULL or comma-separated options */
	uint64_t flags;       /* MS_* */
	uint32_t create;      /* LXJ_CREATE_* */
	int optional;
	int has_device;
	uint32_t dev_major, dev_minor;
	uint64_t propagation; /* MS_* propagation applied after the mount, 0 for none */
	int relative;         /* source is a path inside the rootfs */
};

struct plan_device {
	const char *path;
	uint32_t type; /* 'c', 'b' or 'p' */
	uint32_t major, minor, mode, uid, gid;
	int bind; /* bind the host's node instead of mknod */
};

struct plan_symlink {
	const char *path, *target;
};

struct plan_proc_write {
	const char *file, *value; /* file relative to /proc: sys/... or self/... */
};

struct plan_join {
	uint64_t ns; /* one CLONE_NEW* flag */
	const char *path;
	uint32_t pid;
};

struct plan_hook {
	uint32_t stage; /* LXJ_HOOK_* */
	int ns_env;     /* stop hooks: namespaces as LXC_<NS>_NS variables rather than arguments */
	size_t n_args, n_env;
	const char *args[PLAN_MAX_HOOK_ARGS + 1]; /* NULL-terminated, args[0] absolute */
	const char *env[PLAN_MAX_HOOK_ENV + 1];   /* NULL-terminated */
};

struct plan_rlimit {
	uint32_t resource;
	uint64_t soft, hard;
};

struct plan_lsm_label {
	const char *lsm, *attr, *value;
	int optional;
};

struct plan_landlock_path {
	const char *path;
	uint64_t allowed;
};

struct plan_landlock_port {
	uint64_t port, allowed;
};

struct plan_landlock {
	uint64_t handled_fs, handled_net, scoped;
	int best_effort;
	size_t n_paths, n_ports;
	struct plan_landlock_path paths[PLAN_MAX_LANDLOCK_PATHS];
	struct plan_landlock_port ports[PLAN_MAX_LANDLOCK_PORTS];
};

/* The console and ttys (LXJ_ATTR_CONSOLE). */
struct plan_console {
	uint32_t mode;         /* LXJ_CONSOLE_MODE_PTY or _NONE */
	uint32_t ttys;         /* /dev/tty1..N, each a pty the monitor holds */
	const char *tty_dir;   /* NULL, or a single name under /dev */
	const char *log_file;  /* NULL, or an absolute host path */
	uint64_t log_size;     /* 0: unlimited */
	int log_rotate;
	uint32_t buffer_size;  /* ring buffer bytes, 0: none */
	uint32_t rows, cols;   /* 0: the kernel default */
	int has_owner;
	uint32_t uid, gid;     /* host ids that get the slaves (the container's root) */
};

struct plan {
	uint32_t version;
	const char *container_id;
	const char *run_dir;
	uint64_t clone_flags;
	const char *uid_map, *gid_map;
	int setgroups_deny;
	const char *cgroup_path;
	const char *rootfs;
	uint64_t rootfs_propagation;
	int no_pivot;
	const char *hostname, *domainname;
	int has_caps;
	uint64_t caps[5];      /* bounding, effective, permitted, inheritable, ambient */
	int no_new_privs;
	int has_uid, has_gid;
	uint32_t uid, gid;
	const char *cwd;
	int builtin_init;
	int rootfs_readonly;
	int has_umask, has_securebits, has_personality, session_keyring;
	uint32_t umask, securebits, personality;
	const uint8_t *seccomp;
	uint32_t seccomp_len, seccomp_flags;
	const char *notify_proxy, *notify_cookie; /* SECCOMP_NOTIFY_*: with SECCOMP_FILTER_FLAG_NEW_LISTENER */
	/* attach mode */
	int attach;
	uint32_t attach_pid;
	uint64_t attach_start_time, attach_ns;
	int remount_sys;
	const char *attach_monitor_sock; /* ATTACH_MONITOR_SOCK: where a notifying filter's listener goes */
	/* attach mode with a pty (ATTACH_PTY): the std fds the slave replaces, the host log path, the window size */
	int has_attach_pty;
	uint32_t apty_fds, apty_rows, apty_cols;
	const char *apty_log;
	/* time namespace offsets (seconds, nanoseconds) */
	int has_time_monotonic, has_time_boottime;
	int64_t time_monotonic[2], time_boottime[2];
	int has_pdeath_signal;
	uint32_t pdeath_signal;
	int has_landlock;
	int has_console;
	struct plan_console console; /* valid when has_console */
	/* Counts come before the arrays: the parser clears only this head, so unused array pages stay untouched. */
	size_t n_devices, n_symlinks, n_proc_writes, n_joins, n_groups, n_cgroup_procs;
	size_t n_mounts, n_masked, n_readonly, n_args, n_env, n_rlimits, n_hooks, n_lsm_labels;
	size_t n_attach_cgroups;
	struct plan_device devices[PLAN_MAX_DEVICES]; /* the first array: see PLAN_HEAD_SIZE */
	struct plan_symlink symlinks[PLAN_MAX_SYMLINKS];
	struct plan_proc_write proc_writes[PLAN_MAX_PROC_WRITES];
	struct plan_join joins[PLAN_MAX_JOINS];
	uint32_t groups[PLAN_MAX_GROUPS];
	const char *cgroup_procs[PLAN_MAX_CGROUP_PROCS];
	const char *attach_cgroups[PLAN_MAX_ATTACH_CGROUPS]; /* attach mode: one directory per hierarchy */
	struct plan_mount mounts[PLAN_MAX_MOUNTS];
	const char *masked[PLAN_MAX_PATHS];
	const char *readonly[PLAN_MAX_PATHS];
	const char *args[PLAN_MAX_ARGS + 1];  /* NULL-terminated */
	const char *env[PLAN_MAX_ENV + 1];    /* NULL-terminated */
	struct plan_rlimit rlimits[PLAN_MAX_RLIMITS];
	struct plan_lsm_label lsm_labels[PLAN_MAX_LSM_LABELS];
	struct plan_hook hooks[PLAN_MAX_HOOKS];
	struct plan_landlock landlock; /* valid when has_landlock */
};

/* The part of a plan the parser clears; entries of the arrays after it are written before they are read. */
#define PLAN_HEAD_SIZE offsetof(struct plan, devices)

/* One TLV read from a buffer. */
struct tlv {
	uint16_t type, flags;
	uint32_t len;
	const uint8_t *payload;
};

/*
 * Reads the TLV at *off. Returns 1 and advances *off, 0 at the clean end of the buffer,
 * -1 when the header or the payload would run past len.
 */
int tlv_next(const uint8_t *buf, size_t len, size_t *off, struct tlv *out);

/*
 * Parses and validates a PLAN payload (the attribute sequence, without the frame header).
 * Returns 0, or -1 with a message in err (errno-style reason in *err_errno).
 */
int plan_parse(const uint8_t *buf, size_t len, struct plan *out, char *err, size_t errlen, int *err_errno);

/* Parses and validates an ATTACH payload (attach attributes and the process); sets out->attach. */
int plan_parse_attach(const uint8_t *buf, size_t len, struct plan *out, char *err, size_t errlen, int *err_errno);

/* Writes one TLV; returns the new offset or 0 when it does not fit. */
size_t tlv_put(uint8_t *buf, size_t cap, size_t off, uint16_t type, uint16_t flags, const void *payload, uint32_t len);

#endif
