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
};

struct plan_rlimit {
	uint32_t resource;
	uint64_t soft, hard;
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
	size_t n_mounts, n_masked, n_readonly, n_args, n_env, n_rlimits;
	struct plan_mount mounts[PLAN_MAX_MOUNTS];
	const char *masked[PLAN_MAX_PATHS];
	const char *readonly[PLAN_MAX_PATHS];
	const char *args[PLAN_MAX_ARGS + 1];  /* NULL-terminated */
	const char *env[PLAN_MAX_ENV + 1];    /* NULL-terminated */
	struct plan_rlimit rlimits[PLAN_MAX_RLIMITS];
};

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

/* Writes one TLV; returns the new offset or 0 when it does not fit. */
size_t tlv_put(uint8_t *buf, size_t cap, size_t off, uint16_t type, uint16_t flags, const void *payload, uint32_t len);

#endif
