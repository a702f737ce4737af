/* test_plan.c - unit tests of the TLV reader and the plan parser. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "plan.h"
#include "protocol.h"

static int failures, checks;

#define CHECK(cond)                                                                     \
	do {                                                                            \
		checks++;                                                               \
		if (!(cond)) {                                                          \
			failures++;                                                     \
			fprintf(stderr, "%s:%d: %s: check failed: %s\n", __FILE__, __LINE__, \
				__func__, #cond);                                       \
		}                                                                       \
	} while (0)

struct buf {
	uint8_t b[LXJ_MAX_MESSAGE + 64];
	size_t n;
};

static void put(struct buf *b, uint16_t type, uint16_t flags, const void *p, uint32_t len)
{
	size_t n = tlv_put(b->b, sizeof(b->b), b->n, type, flags, p, len);
	if (n == 0)
		abort();
	b->n = n;
}

static void put_u32(struct buf *b, uint16_t type, uint32_t v) { put(b, type, 0, &v, 4); }
static void put_u64(struct buf *b, uint16_t type, uint64_t v) { put(b, type, 0, &v, 8); }
static void put_str(struct buf *b, uint16_t type, const char *s) { put(b, type, 0, s, (uint32_t)strlen(s) + 1); }

static void minimal(struct buf *b)
{
	b->n = 0;
	put_u32(b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_str(b, LXJ_ATTR_RUN_DIR, "/run/lxj/x/c");
	put_str(b, LXJ_ATTR_ARG, "/bin/sh");
}

static int parse(struct buf *b, struct plan *p, int *e, char *err)
{
	*e = 0;
	return plan_parse(b->b, b->n, p, err, 256, e);
}

static struct plan p;
static void expect_refused(struct buf *b, int want_errno, const char *needle);

static void test_minimal(void)
{
	struct buf b;
	char err[256];
	int e;
	minimal(&b);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.rootfs == NULL && p.attach == 0);
	CHECK(p.n_args == 1 && strcmp(p.args[0], "/bin/sh") == 0 && p.args[1] == NULL);
	CHECK(p.env[0] == NULL);
}

static void test_full(void)
{
	struct buf b, m, r;
	char err[256];
	int e;
	minimal(&b);
	put_str(&b, LXJ_ATTR_ROOTFS, "/var/lib/lxj/c/rootfs");
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS);
	put_str(&b, LXJ_ATTR_HOSTNAME, "web");
	put_str(&b, LXJ_ATTR_ENV, "PATH=/bin");
	put_str(&b, LXJ_ATTR_ARG, "-c");
	put_str(&b, LXJ_ATTR_MASKED_PATH, "/proc/kcore");
	put_str(&b, LXJ_ATTR_READONLY_PATH, "/proc/sys");
	put_u32(&b, LXJ_ATTR_BUILTIN_INIT, 1);
	m.n = 0;
	put_str(&m, LXJ_MOUNT_SOURCE, "proc");
	put_str(&m, LXJ_MOUNT_TARGET, "/proc");
	put_str(&m, LXJ_MOUNT_FSTYPE, "proc");
	put_u64(&m, LXJ_MOUNT_FLAGS, MS_NOSUID | MS_NODEV);
	put_u32(&m, LXJ_MOUNT_CREATE, LXJ_CREATE_DIR);
	uint32_t dev[2] = { 1, 3 };
	put(&m, LXJ_MOUNT_DEVICE, 0, dev, 8);
	put(&b, LXJ_ATTR_MOUNT, 0, m.b, (uint32_t)m.n);
	r.n = 0;
	put_u32(&r, LXJ_RLIMIT_RESOURCE, 7);
	put_u64(&r, LXJ_RLIMIT_SOFT, 1024);
	put_u64(&r, LXJ_RLIMIT_HARD, 4096);
	put(&b, LXJ_ATTR_RLIMIT, 0, r.b, (uint32_t)r.n);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.clone_flags == (CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS));
	CHECK(strcmp(p.hostname, "web") == 0);
	CHECK(p.n_args == 2 && strcmp(p.args[1], "-c") == 0);
	CHECK(p.n_env == 1 && p.env[1] == NULL);
	CHECK(p.n_mounts == 1 && strcmp(p.mounts[0].target, "/proc") == 0 && p.mounts[0].create == LXJ_CREATE_DIR);
	CHECK(p.mounts[0].has_device && p.mounts[0].dev_major == 1 && p.mounts[0].dev_minor == 3);
	CHECK(p.n_rlimits == 1 && p.rlimits[0].resource == 7 && p.rlimits[0].soft == 1024 && p.rlimits[0].hard == 4096);
	CHECK(p.builtin_init == 1 && p.n_masked == 1 && p.n_readonly == 1);
	CHECK(strcmp(p.rootfs, "/var/lib/lxj/c/rootfs") == 0);
}

static void put_nested(struct buf *b, uint16_t type, struct buf *n)
{
	put(b, type, 0, n->b, (uint32_t)n->n);
}

static void with_ns(struct buf *b, uint64_t flags)
{
	minimal(b);
	put_u64(b, LXJ_ATTR_CLONE_FLAGS, flags);
}

static void test_new_steps(void)
{
	struct buf b, n;
	char err[256];
	int e;
	with_ns(&b, CLONE_NEWNS | CLONE_NEWUSER);
	put_str(&b, LXJ_ATTR_UID_MAP, "0 100000 65536\n");
	put_str(&b, LXJ_ATTR_GID_MAP, "0 100000 65536\n");
	n.n = 0;
	put_str(&n, LXJ_DEV_PATH, "/dev/null");
	put_u32(&n, LXJ_DEV_TYPE, 'c');
	put_u32(&n, LXJ_DEV_MAJOR, 1);
	put_u32(&n, LXJ_DEV_MINOR, 3);
	put_u32(&n, LXJ_DEV_MODE, 0666);
	put_u32(&n, LXJ_DEV_BIND, 1);
	put_nested(&b, LXJ_ATTR_DEVICE, &n);
	n.n = 0;
	put_str(&n, LXJ_LINK_PATH, "/dev/fd");
	put_str(&n, LXJ_LINK_TARGET, "/proc/self/fd");
	put_nested(&b, LXJ_ATTR_SYMLINK, &n);
	n.n = 0;
	put_str(&n, LXJ_PROC_FILE, "sys/net/ipv4/ip_forward");
	put_str(&n, LXJ_PROC_VALUE, "1");
	put_nested(&b, LXJ_ATTR_PROC_WRITE, &n);
	n.n = 0;
	put_u64(&n, LXJ_JOIN_NS, CLONE_NEWNET);
	put_u32(&n, LXJ_JOIN_PID, 42);
	put_nested(&b, LXJ_ATTR_JOIN, &n);
	put_u32(&b, LXJ_ATTR_GROUP, 10);
	put_u32(&b, LXJ_ATTR_GROUP, 20);
	put_u32(&b, LXJ_ATTR_UMASK, 022);
	put_u32(&b, LXJ_ATTR_SESSION_KEYRING, 1);
	uint8_t filter[16] = { 0 };
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_str(&b, LXJ_ATTR_CGROUP_PROCS, "/sys/fs/cgroup/memory/lxj/c/cgroup.procs");
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.n_devices == 1 && p.devices[0].type == 'c' && p.devices[0].minor == 3 && p.devices[0].bind == 1);
	CHECK(p.n_symlinks == 1 && strcmp(p.symlinks[0].target, "/proc/self/fd") == 0);
	CHECK(p.n_proc_writes == 1 && strcmp(p.proc_writes[0].value, "1") == 0);
	CHECK(p.n_joins == 1 && p.joins[0].ns == CLONE_NEWNET && p.joins[0].pid == 42 && p.joins[0].path == NULL);
	CHECK(p.n_groups == 2 && p.groups[1] == 20 && p.has_umask && p.umask == 022 && p.session_keyring);
	CHECK(p.seccomp_len == 16 && p.n_cgroup_procs == 1);

	/* proc writes outside /proc/sys and /proc/self */
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_str(&n, LXJ_PROC_FILE, "sysrq-trigger");
	put_str(&n, LXJ_PROC_VALUE, "b");
	put_nested(&b, LXJ_ATTR_PROC_WRITE, &n);
	expect_refused(&b, EPERM, "outside /proc/sys");
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_str(&n, LXJ_PROC_FILE, "sys/../sysrq-trigger");
	put_str(&n, LXJ_PROC_VALUE, "b");
	put_nested(&b, LXJ_ATTR_PROC_WRITE, &n);
	expect_refused(&b, EINVAL, "\"..\"");

	/* a device with a bad type, a fifo bound from the host */
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_str(&n, LXJ_DEV_PATH, "/dev/x");
	put_u32(&n, LXJ_DEV_TYPE, 'x');
	put_u32(&n, LXJ_DEV_MAJOR, 1);
	put_nested(&b, LXJ_ATTR_DEVICE, &n);
	expect_refused(&b, EINVAL, "device type");
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_str(&n, LXJ_DEV_PATH, "/dev/../../x");
	put_u32(&n, LXJ_DEV_TYPE, 'c');
	put_u32(&n, LXJ_DEV_MAJOR, 1);
	put_nested(&b, LXJ_ATTR_DEVICE, &n);
	expect_refused(&b, EINVAL, "\"..\"");

	/* joins: both a path and a pid; two flags; created and joined */
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_u64(&n, LXJ_JOIN_NS, CLONE_NEWNET);
	put_u32(&n, LXJ_JOIN_PID, 42);
	put_str(&n, LXJ_JOIN_PATH, "/proc/42/ns/net");
	put_nested(&b, LXJ_ATTR_JOIN, &n);
	expect_refused(&b, EINVAL, "exactly one of a path and a pid");
	with_ns(&b, CLONE_NEWNS);
	n.n = 0;
	put_u64(&n, LXJ_JOIN_NS, CLONE_NEWNET | CLONE_NEWIPC);
	put_u32(&n, LXJ_JOIN_PID, 42);
	put_nested(&b, LXJ_ATTR_JOIN, &n);
	expect_refused(&b, EINVAL, "exactly one namespace flag");
	with_ns(&b, CLONE_NEWNS | CLONE_NEWNET);
	n.n = 0;
	put_u64(&n, LXJ_JOIN_NS, CLONE_NEWNET);
	put_u32(&n, LXJ_JOIN_PID, 42);
	put_nested(&b, LXJ_ATTR_JOIN, &n);
	expect_refused(&b, EINVAL, "both created and joined");

	/* a rootfs without a mount namespace would pivot the host */
	minimal(&b);
	put_str(&b, LXJ_ATTR_ROOTFS, "/r");
	expect_refused(&b, EINVAL, "mount namespace");
	/* a hostname without a UTS namespace would rename the host */
	minimal(&b);
	put_str(&b, LXJ_ATTR_HOSTNAME, "h");
	expect_refused(&b, EINVAL, "UTS namespace");
	/* a seccomp filter that is not whole instructions */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, 12);
	expect_refused(&b, EINVAL, "seccomp filter");
}

static void attach_plan(struct buf *b)
{
	b->n = 0;
	put_u32(b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_u32(b, LXJ_ATTR_ATTACH_PID, 1234);
	put_u64(b, LXJ_ATTR_ATTACH_START_TIME, 99);
	put_u64(b, LXJ_ATTR_ATTACH_NAMESPACES, CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS);
	put_u32(b, LXJ_ATTR_UID, 0);
	put_u32(b, LXJ_ATTR_GID, 0);
	put_str(b, LXJ_ATTR_CWD, "/");
	put_str(b, LXJ_ATTR_ARG, "sh");
}

static void test_attach(void)
{
	struct buf b;
	char err[256];
	int e = 0;
	attach_plan(&b);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0);
	CHECK(p.attach == 1 && p.attach_pid == 1234 && p.attach_start_time == 99 && p.n_args == 1);
	/* an attach plan is not a launch plan and the other way round */
	CHECK(plan_parse(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "attach attributes"));
	minimal(&b);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "init pid"));
	attach_plan(&b);
	put_str(&b, LXJ_ATTR_ROOTFS, "/r");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "container setup"));
	attach_plan(&b);
	put_u32(&b, LXJ_ATTR_ATTACH_PID, 5);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "twice"));
	attach_plan(&b);
	put_u32(&b, LXJ_ATTR_REMOUNT_SYS, 1);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.remount_sys == 1);
	/* one payload cgroup per hierarchy, in order */
	attach_plan(&b);
	put_str(&b, LXJ_ATTR_ATTACH_CGROUP, "/sys/fs/cgroup/freezer/lxc.payload.c");
	put_str(&b, LXJ_ATTR_ATTACH_CGROUP, "/sys/fs/cgroup/unified/lxc.payload.c");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.n_attach_cgroups == 2);
	CHECK(!strcmp(p.attach_cgroups[0], "/sys/fs/cgroup/freezer/lxc.payload.c"));
	CHECK(!strcmp(p.attach_cgroups[1], "/sys/fs/cgroup/unified/lxc.payload.c"));
	/* a later parse starts with no cgroups */
	attach_plan(&b);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.n_attach_cgroups == 0);
	attach_plan(&b);
	put_str(&b, LXJ_ATTR_ATTACH_CGROUP, "sys/fs/cgroup/pids/x");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "not absolute") && e == EINVAL);
	attach_plan(&b);
	for (int i = 0; i <= PLAN_MAX_ATTACH_CGROUPS; i++)
		put_str(&b, LXJ_ATTR_ATTACH_CGROUP, "/sys/fs/cgroup/pids/x");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "attach cgroup") && e == E2BIG);
	/* and a launch plan refuses them */
	minimal(&b);
	put_str(&b, LXJ_ATTR_ATTACH_CGROUP, "/sys/fs/cgroup/pids/x");
	CHECK(plan_parse(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "attach attributes"));
}

static void expect_refused(struct buf *b, int want_errno, const char *needle)
{
	char err[256] = "";
	int e;
	CHECK(parse(b, &p, &e, err) == -1);
	CHECK(e == want_errno);
	if (!strstr(err, needle)) {
		failures++;
		fprintf(stderr, "message \"%s\" lacks \"%s\"\n", err, needle);
	}
}

static void test_refusals(void)
{
	struct buf b, m;
	minimal(&b);
	b.n -= 3; /* truncate the last payload */
	expect_refused(&b, EINVAL, "truncated");

	minimal(&b);
	b.b[b.n - 1] = 'x'; /* string without NUL */
	expect_refused(&b, EINVAL, "NUL-terminated");

	b.n = 0;
	put_str(&b, LXJ_ATTR_ROOTFS, "/r");
	expect_refused(&b, EINVAL, "not the version");

	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, 99);
	expect_refused(&b, EPROTONOSUPPORT, "version 99");

	minimal(&b);
	put_str(&b, LXJ_ATTR_RUN_DIR, "/again");
	expect_refused(&b, EINVAL, "twice");

	minimal(&b);
	put_u32(&b, 999, 1);
	expect_refused(&b, EOPNOTSUPP, "unknown plan attribute 999");

	minimal(&b);
	put(&b, 999, LXJ_FLAG_OPTIONAL, "x", 1);
	CHECK(plan_parse(b.b, b.n, &p, NULL, 0, NULL) == 0);

	minimal(&b);
	put(&b, LXJ_ATTR_HOSTNAME, 0x8000, "h", 2);
	expect_refused(&b, EINVAL, "unknown flags");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, 0x100); /* CLONE_VM */
	expect_refused(&b, EINVAL, "clone flags");

	minimal(&b);
	put_str(&b, LXJ_ATTR_UID_MAP, "0 100000 65536\n");
	expect_refused(&b, EINVAL, "without a new user namespace");

	minimal(&b);
	m.n = 0;
	put_str(&m, LXJ_MOUNT_SOURCE, "/x");
	put_str(&m, LXJ_MOUNT_TARGET, "/a/../../etc");
	put(&b, LXJ_ATTR_MOUNT, 0, m.b, (uint32_t)m.n);
	expect_refused(&b, EINVAL, "\"..\"");

	minimal(&b);
	m.n = 0;
	put_str(&m, LXJ_MOUNT_TARGET, "/a");
	put(&b, LXJ_ATTR_MOUNT, 0, m.b, (uint32_t)m.n);
	expect_refused(&b, EINVAL, "neither a source");

	minimal(&b);
	m.n = 0;
	put_str(&m, LXJ_MOUNT_SOURCE, "/x");
	put_str(&m, LXJ_MOUNT_TARGET, "/a");
	m.n -= 1; /* nested attribute runs past the mount */
	put(&b, LXJ_ATTR_MOUNT, 0, m.b, (uint32_t)m.n);
	expect_refused(&b, EINVAL, "");

	minimal(&b);
	put_str(&b, LXJ_ATTR_ENV, "NOEQUALS");
	expect_refused(&b, EINVAL, "no '='");

	minimal(&b);
	put_u32(&b, LXJ_ATTR_NO_PIVOT, 2);
	expect_refused(&b, EINVAL, "0 or 1");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_UID, 5); /* wrong width */
	expect_refused(&b, EINVAL, "expected 4");

	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_str(&b, LXJ_ATTR_RUN_DIR, "/run/x");
	expect_refused(&b, EINVAL, "no command");

	minimal(&b);
	for (int i = 0; i < PLAN_MAX_ARGS; i++)
		put_str(&b, LXJ_ATTR_ARG, "a");
	expect_refused(&b, E2BIG, "more than");

	CHECK(plan_parse(b.b, 0, &p, NULL, 0, NULL) == -1);
	CHECK(plan_parse(b.b, LXJ_MAX_MESSAGE + 1, &p, NULL, 0, NULL) == -1);
}

static void hook(struct buf *b, uint32_t stage, const char *prog, const char *env, int ns_env)
{
	struct buf h;
	h.n = 0;
	put_u32(&h, LXJ_HOOK_STAGE, stage);
	if (prog)
		put_str(&h, LXJ_HOOK_ARG, prog);
	put_str(&h, LXJ_HOOK_ARG, "c1");
	if (env)
		put_str(&h, LXJ_HOOK_ENV, env);
	if (ns_env >= 0)
		put_u32(&h, LXJ_HOOK_NS_ENV, (uint32_t)ns_env);
	put(b, LXJ_ATTR_HOOK, 0, h.b, (uint32_t)h.n);
}

static void test_hooks(void)
{
	struct buf b;
	char err[256];
	int e;
	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS | CLONE_NEWPID);
	hook(&b, LXJ_HOOK_PRE_MOUNT, "/hooks/pre", "LXC_NAME=c1", -1);
	hook(&b, LXJ_HOOK_START, "/hooks/start", NULL, -1);
	hook(&b, LXJ_HOOK_STOP, "/hooks/stop", "LXC_HOOK_VERSION=1", 1);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.n_hooks == 3);
	CHECK(p.hooks[0].stage == LXJ_HOOK_PRE_MOUNT && p.hooks[0].n_args == 2);
	CHECK(strcmp(p.hooks[0].args[0], "/hooks/pre") == 0 && strcmp(p.hooks[0].args[1], "c1") == 0);
	CHECK(p.hooks[0].args[2] == NULL && p.hooks[0].n_env == 1 && p.hooks[0].env[1] == NULL);
	CHECK(strcmp(p.hooks[0].env[0], "LXC_NAME=c1") == 0 && p.hooks[0].ns_env == 0);
	CHECK(p.hooks[1].stage == LXJ_HOOK_START && p.hooks[1].n_env == 0 && p.hooks[1].env[0] == NULL);
	CHECK(p.hooks[2].stage == LXJ_HOOK_STOP && p.hooks[2].ns_env == 1);

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, 0, "/x", NULL, -1);
	expect_refused(&b, EINVAL, "hook needs a stage");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, LXJ_HOOK_STOP + 1, "/x", NULL, -1);
	expect_refused(&b, EINVAL, "hook needs a stage");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, LXJ_HOOK_MOUNT, "relative", NULL, -1);
	expect_refused(&b, EINVAL, "absolute program");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, LXJ_HOOK_MOUNT, "/x", "=bad", -1);
	expect_refused(&b, EINVAL, "NAME=value");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, LXJ_HOOK_MOUNT, "/x", NULL, 1);
	expect_refused(&b, EINVAL, "only stop hooks");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	hook(&b, LXJ_HOOK_STOP, "/x", NULL, 2);
	expect_refused(&b, EINVAL, "0 or 1");

	minimal(&b); /* a mount-stage hook would run in the host's mount namespace */
	hook(&b, LXJ_HOOK_AUTODEV, "/x", NULL, -1);
	expect_refused(&b, EINVAL, "new mount namespace");

	minimal(&b);
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	for (int i = 0; i <= PLAN_MAX_HOOKS; i++)
		hook(&b, LXJ_HOOK_MOUNT, "/x", NULL, -1);
	expect_refused(&b, E2BIG, "more than");

	minimal(&b); /* an unknown nested attribute is refused unless optional */
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	{
		struct buf h;
		h.n = 0;
		put_u32(&h, LXJ_HOOK_STAGE, LXJ_HOOK_MOUNT);
		put_str(&h, LXJ_HOOK_ARG, "/x");
		put_u32(&h, 99, 1);
		put(&b, LXJ_ATTR_HOOK, 0, h.b, (uint32_t)h.n);
	}
	expect_refused(&b, EOPNOTSUPP, "unknown hook attribute");

	minimal(&b); /* truncated nested TLV */
	put_u64(&b, LXJ_ATTR_CLONE_FLAGS, CLONE_NEWNS);
	{
		struct buf h;
		h.n = 0;
		put_u32(&h, LXJ_HOOK_STAGE, LXJ_HOOK_MOUNT);
		put_str(&h, LXJ_HOOK_ARG, "/x");
		put(&b, LXJ_ATTR_HOOK, 0, h.b, (uint32_t)h.n - 1);
	}
	expect_refused(&b, EINVAL, "");
}

/* Where plan_test writes the plans it built, as seeds for the fuzzer (argv[1]), or NULL. */
static const char *seed_dir;

static void seed(const struct buf *b, const char *name)
{
	if (!seed_dir)
		return;
	char path[512];
	snprintf(path, sizeof(path), "%s/seed-%s", seed_dir, name);
	FILE *f = fopen(path, "wb");
	if (!f)
		return;
	uint8_t launch = 0; /* the fuzzer's first byte: even = a launch plan */
	fwrite(&launch, 1, 1, f);
	fwrite(b->b, 1, b->n, f);
	fclose(f);
}

static void put_offset(struct buf *b, uint16_t type, int64_t sec, int64_t nsec)
{
	int64_t v[2] = { sec, nsec };
	put(b, type, 0, v, 16);
}

static void put_path_rule(struct buf *b, uint64_t allowed, const char *path)
{
	uint8_t r[128];
	memcpy(r, &allowed, 8);
	memcpy(r + 8, path, strlen(path) + 1);
	put(b, LXJ_LANDLOCK_PATH_RULE, 0, r, (uint32_t)(8 + strlen(path) + 1));
}

static void put_port_rule(struct buf *b, uint64_t port, uint64_t allowed)
{
	uint64_t r[2] = { port, allowed };
	put(b, LXJ_LANDLOCK_PORT_RULE, 0, r, 16);
}

static void lsm(struct buf *n, const char *name, const char *attr, const char *value)
{
	n->n = 0;
	if (name)
		put_str(n, LXJ_LSM_NAME, name);
	if (attr)
		put_str(n, LXJ_LSM_ATTR, attr);
	if (value)
		put_str(n, LXJ_LSM_VALUE, value);
}

static void test_time_and_pdeath(void)
{
	struct buf b;
	char err[256];
	int e;
	with_ns(&b, CLONE_NEWNS | 0x80 /* CLONE_NEWTIME */);
	put_offset(&b, LXJ_ATTR_TIME_MONOTONIC, -1, 500000000);
	put_offset(&b, LXJ_ATTR_TIME_BOOTTIME, 86400, 0);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 15);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.has_time_monotonic && p.time_monotonic[0] == -1 && p.time_monotonic[1] == 500000000);
	CHECK(p.has_time_boottime && p.time_boottime[0] == 86400 && p.time_boottime[1] == 0);
	CHECK(p.has_pdeath_signal && p.pdeath_signal == 15);
	seed(&b, "time");

	minimal(&b);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(!p.has_time_monotonic && !p.has_time_boottime && !p.has_pdeath_signal);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 0);
	CHECK(parse(&b, &p, &e, err) == 0 && p.has_pdeath_signal && p.pdeath_signal == 0);

	/* offsets without a new time namespace */
	with_ns(&b, CLONE_NEWNS);
	put_offset(&b, LXJ_ATTR_TIME_BOOTTIME, 1, 0);
	expect_refused(&b, EINVAL, "need a new time namespace");
	/* nanoseconds out of range, seconds beyond KTIME_SEC_MAX, wrong width, twice */
	with_ns(&b, 0x80);
	put_offset(&b, LXJ_ATTR_TIME_BOOTTIME, 1, 1000000000);
	expect_refused(&b, EINVAL, "out of range");
	with_ns(&b, 0x80);
	put_offset(&b, LXJ_ATTR_TIME_MONOTONIC, 9223372036LL, 0);
	expect_refused(&b, EINVAL, "out of range");
	with_ns(&b, 0x80);
	put_u64(&b, LXJ_ATTR_TIME_MONOTONIC, 5);
	expect_refused(&b, EINVAL, "expected 16");
	with_ns(&b, 0x80);
	put_offset(&b, LXJ_ATTR_TIME_MONOTONIC, 1, 0);
	put_offset(&b, LXJ_ATTR_TIME_MONOTONIC, 2, 0);
	expect_refused(&b, EINVAL, "twice");
	minimal(&b);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 65);
	expect_refused(&b, EINVAL, "parent death signal");
	minimal(&b);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 9);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 9);
	expect_refused(&b, EINVAL, "twice");
}

static void test_lsm_labels(void)
{
	struct buf b, n;
	char err[256];
	int e;
	minimal(&b);
	lsm(&n, "apparmor", "exec", "exec lxc-container-default");
	put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
	lsm(&n, "selinux", "keycreate", "system_u:system_r:container_t:s0");
	put_u32(&n, LXJ_LSM_OPTIONAL, 1);
	put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.n_lsm_labels == 2);
	CHECK(strcmp(p.lsm_labels[0].lsm, "apparmor") == 0 && strcmp(p.lsm_labels[0].attr, "exec") == 0 &&
	      strcmp(p.lsm_labels[0].value, "exec lxc-container-default") == 0 && !p.lsm_labels[0].optional);
	CHECK(strcmp(p.lsm_labels[1].lsm, "selinux") == 0 && p.lsm_labels[1].optional);
	seed(&b, "lsm");

	const char *bad[][4] = {
		{ NULL, "exec", "x", "needs a name" },      { "apparmor", NULL, "x", "needs a name" },
		{ "apparmor", "exec", NULL, "needs a name" }, { "AppArmor", "exec", "x", "LSM name" },
		{ "apparmor", "../exec", "x", "LSM attribute" }, { "apparmor", "ex1c", "x", "LSM attribute" },
		{ "apparmor", "exec", "", "empty LSM label" }, { "", "exec", "x", "empty LSM name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		minimal(&b);
		lsm(&n, bad[i][0], bad[i][1], bad[i][2]);
		put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
		expect_refused(&b, EINVAL, bad[i][3]);
	}
	minimal(&b);
	for (int i = 0; i <= PLAN_MAX_LSM_LABELS; i++) {
		lsm(&n, "selinux", "exec", "x");
		put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
	}
	expect_refused(&b, E2BIG, "LSM labels");
	minimal(&b);
	lsm(&n, "selinux", "exec", "x");
	put_u32(&n, 99, 1);
	put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EOPNOTSUPP, "unknown LSM label attribute 99");
}

static void test_landlock(void)
{
	struct buf b, n;
	char err[256];
	int e;
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0xffff);
	put_u64(&n, LXJ_LANDLOCK_HANDLED_NET, 3);
	put_u64(&n, LXJ_LANDLOCK_SCOPED, 3);
	put_path_rule(&n, 0x4 | 0x8 | 0x1, "/");
	put_path_rule(&n, 0xffff, "/tmp");
	put_port_rule(&n, 8080, 1);
	put_u32(&n, LXJ_LANDLOCK_BEST_EFFORT, 1);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.has_landlock && p.landlock.handled_fs == 0xffff && p.landlock.handled_net == 3 && p.landlock.scoped == 3);
	CHECK(p.landlock.n_paths == 2 && strcmp(p.landlock.paths[1].path, "/tmp") == 0 && p.landlock.paths[0].allowed == 0xd);
	CHECK(p.landlock.n_ports == 1 && p.landlock.ports[0].port == 8080 && p.landlock.ports[0].allowed == 1);
	CHECK(p.landlock.best_effort);
	seed(&b, "landlock");

	/* nothing handled; rights beyond the handled ones; relative or ".." paths; port range; lengths; twice */
	minimal(&b);
	n.n = 0;
	put_path_rule(&n, 1, "/");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "handles no rights");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put_path_rule(&n, 0x6, "/etc");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "not a non-empty subset");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put_path_rule(&n, 0, "/etc");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "not a non-empty subset");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put_path_rule(&n, 0x4, "etc");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "not absolute");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put_path_rule(&n, 0x4, "/etc/../..");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "contains \"..\"");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_NET, 1);
	put_port_rule(&n, 65536, 1);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "Landlock port 65536");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_NET, 1);
	put_port_rule(&n, 80, 2);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "port 80");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put(&n, LXJ_LANDLOCK_PATH_RULE, 0, "\x04\0\0\0\0\0\0\0", 8);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "path rule has length 8");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_NET, 1);
	put_u64(&n, LXJ_LANDLOCK_PORT_RULE, 80);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "expected 16");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "appears twice");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "appears twice");
	minimal(&b);
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_HANDLED_FS, 0x4);
	for (int i = 0; i <= PLAN_MAX_LANDLOCK_PATHS; i++)
		put_path_rule(&n, 0x4, "/x");
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, E2BIG, "Landlock path rules");
}

/* Container setup stays out of an attach plan; init's confinement (LSM, Landlock, seccomp, no_new_privs) goes in. */
static void test_attach_refuses_setup_security(void)
{
	struct buf b, n;
	char err[256];
	int e;
	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_u32(&b, LXJ_ATTR_ATTACH_PID, 42);
	put_u64(&b, LXJ_ATTR_ATTACH_START_TIME, 7);
	put_str(&b, LXJ_ATTR_ARG, "/bin/sh");
	size_t base = b.n;
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0);
	put_u32(&b, LXJ_ATTR_PDEATH_SIGNAL, 9);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "container setup"));
	b.n = base;
	lsm(&n, "selinux", "exec", "x");
	put(&b, LXJ_ATTR_LSM_LABEL, 0, n.b, (uint32_t)n.n);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.n_lsm_labels == 1 &&
	      strcmp(p.lsm_labels[0].value, "x") == 0);
	b.n = base;
	n.n = 0;
	put_u64(&n, LXJ_LANDLOCK_SCOPED, 1);
	put(&b, LXJ_ATTR_LANDLOCK, 0, n.b, (uint32_t)n.n);
	put_u32(&b, LXJ_ATTR_NO_NEW_PRIVS, 1);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.has_landlock && p.no_new_privs &&
	      p.landlock.scoped == 1);
	b.n = base;
	uint64_t ret_allow[1] = { 0x7fff000000000006ULL }; /* BPF_RET|BPF_K SECCOMP_RET_ALLOW */
	put(&b, LXJ_ATTR_SECCOMP, 0, ret_allow, 8);
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 4);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.seccomp_len == 8 && p.seccomp_flags == 4 &&
	      !p.attach_monitor_sock);
}

/* ATTACH_MONITOR_SOCK: only in attach plans, absolute and short, exactly when the filter has a listener. */
static void test_attach_monitor_sock(void)
{
	struct buf b;
	char err[256];
	int e;
	uint64_t ret_allow[1] = { 0x7fff000000000006ULL };
	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_u32(&b, LXJ_ATTR_ATTACH_PID, 42);
	put_u64(&b, LXJ_ATTR_ATTACH_START_TIME, 7);
	put_str(&b, LXJ_ATTR_ARG, "/bin/sh");
	put(&b, LXJ_ATTR_SECCOMP, 0, ret_allow, 8);
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/run/proxy.sock");
	size_t base = b.n;
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "without the monitor socket"));
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, "/run/lxj/abc/c1/monitor.sock");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && p.attach_monitor_sock &&
	      strcmp(p.attach_monitor_sock, "/run/lxj/abc/c1/monitor.sock") == 0);
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, "/again");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0);
	b.n = base;
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, "monitor.sock");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "attach monitor socket"));
	b.n = base;
	char longp[120];
	memset(longp, 'a', sizeof(longp) - 1);
	longp[0] = '/';
	longp[sizeof(longp) - 1] = '\0';
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, longp);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "attach monitor socket"));
	/* without a listener the socket has no use */
	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_u32(&b, LXJ_ATTR_ATTACH_PID, 42);
	put_u64(&b, LXJ_ATTR_ATTACH_START_TIME, 7);
	put_str(&b, LXJ_ATTR_ARG, "/bin/sh");
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, "/run/lxj/abc/c1/monitor.sock");
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "without a seccomp listener"));
	/* a launch plan never carries it */
	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_str(&b, LXJ_ATTR_RUN_DIR, "/run/lxj/x");
	put_str(&b, LXJ_ATTR_ARG, "/bin/sh");
	CHECK(plan_parse(b.b, b.n, &p, err, sizeof(err), &e) == 0);
	put_str(&b, LXJ_ATTR_ATTACH_MONITOR_SOCK, "/run/lxj/abc/c1/monitor.sock");
	CHECK(plan_parse(b.b, b.n, &p, err, sizeof(err), &e) < 0 && strstr(err, "attach attributes"));
}

static void test_tlv_next_bounds(void)
{
	uint8_t raw[16] = { 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff };
	size_t off = 0;
	struct tlv t;
	CHECK(tlv_next(raw, 8, &off, &t) == -1); /* len 0xffffffff past the end */
	off = 0;
	CHECK(tlv_next(raw, 7, &off, &t) == -1); /* short header */
	off = 0;
	CHECK(tlv_next(raw, 0, &off, &t) == 0);
	uint8_t small[9];
	CHECK(tlv_put(small, sizeof(small), 0, 1, 0, "ab", 2) == 0);
	CHECK(tlv_put(small, sizeof(small), 0, 1, 0, "a", 1) == 9);
}

/* A plan with a new mount namespace and the given console attribute. */
static void with_console(struct buf *b, struct buf *n)
{
	with_ns(b, CLONE_NEWNS);
	put_str(b, LXJ_ATTR_ROOTFS, "/var/lib/lxj/c/rootfs");
	put(b, LXJ_ATTR_CONSOLE, 0, n->b, (uint32_t)n->n);
}

static void test_console(void)
{
	struct buf b, n;
	char err[256];
	int e;
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_TTYS, 4);
	put_str(&n, LXJ_CONSOLE_TTY_DIR, "lxc");
	put_str(&n, LXJ_CONSOLE_LOG_FILE, "/var/log/lxj/c.log");
	put_u64(&n, LXJ_CONSOLE_LOG_SIZE, 1ULL << 33);
	put_u32(&n, LXJ_CONSOLE_LOG_ROTATE, 1);
	put_u32(&n, LXJ_CONSOLE_BUFFER_SIZE, 131072);
	put_u32(&n, LXJ_CONSOLE_ROWS, 40);
	put_u32(&n, LXJ_CONSOLE_COLS, 132);
	put_u32(&n, LXJ_CONSOLE_UID, 100000);
	put_u32(&n, LXJ_CONSOLE_GID, 100005);
	with_console(&b, &n);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.has_console && p.console.mode == LXJ_CONSOLE_MODE_PTY && p.console.ttys == 4);
	CHECK(strcmp(p.console.tty_dir, "lxc") == 0 && strcmp(p.console.log_file, "/var/log/lxj/c.log") == 0);
	CHECK(p.console.log_size == (1ULL << 33) && p.console.log_rotate == 1 && p.console.buffer_size == 131072);
	CHECK(p.console.rows == 40 && p.console.cols == 132);
	CHECK(p.console.has_owner && p.console.uid == 100000 && p.console.gid == 100005);
	seed(&b, "console");

	/* the minimum: a mode; ttys without a console */
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_NONE);
	put_u32(&n, LXJ_CONSOLE_TTYS, 2);
	with_console(&b, &n);
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.has_console && p.console.mode == LXJ_CONSOLE_MODE_NONE && p.console.ttys == 2);
	CHECK(p.console.tty_dir == NULL && p.console.log_file == NULL && !p.console.has_owner);

	/* no plan without a console attribute has one */
	minimal(&b);
	CHECK(parse(&b, &p, &e, err) == 0 && !p.has_console);

	/* a mode is required and known */
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_TTYS, 1);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "console mode missing");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, 3);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "console mode missing or 3");
	/* bounds */
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_TTYS, PLAN_MAX_TTYS + 1);
	with_console(&b, &n);
	expect_refused(&b, E2BIG, "1025 ttys");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_ROWS, 65536);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "console size 65536x0");
	/* tty dir: one name */
	static const char *bad_dirs[] = { "a/b", ".", "..", "" };
	for (size_t i = 0; i < sizeof(bad_dirs) / sizeof(bad_dirs[0]); i++) {
		n.n = 0;
		put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
		put_str(&n, LXJ_CONSOLE_TTY_DIR, bad_dirs[i]);
		with_console(&b, &n);
		expect_refused(&b, EINVAL, "is not a single name under /dev");
	}
	/* log file: absolute, no "..", only with a console; size and rotation only with a log */
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_str(&n, LXJ_CONSOLE_LOG_FILE, "c.log");
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "console log file \"c.log\" is not absolute");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_str(&n, LXJ_CONSOLE_LOG_FILE, "/var/log/../../etc/shadow");
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "contains \"..\"");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_NONE);
	put_str(&n, LXJ_CONSOLE_LOG_FILE, "/var/log/c.log");
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "without a console");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_NONE);
	put_u32(&n, LXJ_CONSOLE_BUFFER_SIZE, 4096);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "without a console");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u64(&n, LXJ_CONSOLE_LOG_SIZE, 4096);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "without a log file");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_LOG_ROTATE, 0);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "without a log file");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_str(&n, LXJ_CONSOLE_LOG_FILE, "/var/log/c.log");
	put_u32(&n, LXJ_CONSOLE_LOG_ROTATE, 2);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "must be 0 or 1");
	/* owner: both or neither */
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_UID, 100000);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "uid and gid come together");
	/* widths, repeats, unknown and truncated sub-attributes, twice at the top */
	n.n = 0;
	put_u64(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "console mode has length 8");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, LXJ_CONSOLE_TTYS, 1);
	put_u32(&n, LXJ_CONSOLE_TTYS, 2);
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "appears twice");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put_u32(&n, 99, 1);
	with_console(&b, &n);
	expect_refused(&b, EOPNOTSUPP, "unknown console attribute 99");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	put(&n, 99, LXJ_FLAG_OPTIONAL, "x", 1);
	with_console(&b, &n);
	CHECK(parse(&b, &p, &e, err) == 0);
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	n.n -= 1;
	with_console(&b, &n);
	expect_refused(&b, EINVAL, "truncated attribute inside the console");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_PTY);
	with_console(&b, &n);
	put(&b, LXJ_ATTR_CONSOLE, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "appears twice");
	/* a console pty or ttys need a mount namespace and a rootfs to bind them in; no console does not */
	minimal(&b);
	put(&b, LXJ_ATTR_CONSOLE, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "need a new mount namespace");
	with_ns(&b, CLONE_NEWNS);
	put(&b, LXJ_ATTR_CONSOLE, 0, n.b, (uint32_t)n.n);
	expect_refused(&b, EINVAL, "need a rootfs");
	n.n = 0;
	put_u32(&n, LXJ_CONSOLE_MODE, LXJ_CONSOLE_MODE_NONE);
	minimal(&b);
	put(&b, LXJ_ATTR_CONSOLE, 0, n.b, (uint32_t)n.n);
	CHECK(parse(&b, &p, &e, err) == 0);
	/* never in an attach payload */
	b.n = 0;
	put_u32(&b, LXJ_ATTR_VERSION, LXJ_PROTOCOL_VERSION);
	put_u32(&b, LXJ_ATTR_ATTACH_PID, 42);
	put_u64(&b, LXJ_ATTR_ATTACH_START_TIME, 1);
	put_str(&b, LXJ_ATTR_ARG, "/bin/sh");
	put(&b, LXJ_ATTR_CONSOLE, 0, n.b, (uint32_t)n.n);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) < 0 && e == EINVAL &&
	      strstr(err, "container setup attributes") != NULL);
}

/* ATTACH_PTY: FDS required and a TTY_* mask, LOG absolute, ROWS and COLS together; attach plans only. */
static void test_attach_pty(void)
{
	struct buf b, n;
	char err[256];
	int e = 0;
	uint32_t rows = 40, cols = 120;
	attach_plan(&b);
	n.n = 0;
	put_u32(&n, LXJ_APTY_FDS, LXJ_TTY_IN | LXJ_TTY_OUT);
	put_str(&n, LXJ_APTY_LOG, "/var/log/pty.log");
	put_u32(&n, LXJ_APTY_ROWS, rows);
	put_u32(&n, LXJ_APTY_COLS, cols);
	put(&b, LXJ_ATTR_ATTACH_PTY, 0, n.b, (uint32_t)n.n);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0);
	CHECK(p.has_attach_pty && p.apty_fds == (LXJ_TTY_IN | LXJ_TTY_OUT) && !strcmp(p.apty_log, "/var/log/pty.log"));
	CHECK(p.apty_rows == 40 && p.apty_cols == 120);
	/* a later parse has no pty */
	attach_plan(&b);
	CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == 0 && !p.has_attach_pty && !p.apty_log);
	struct {
		uint32_t fds;
		const char *log;
		int size;
		const char *needle;
	} bad[] = {
		{ 0, NULL, 0, "fds missing" },
		{ 8, NULL, 0, "fds missing" },
		{ LXJ_TTY_ERR, "pty.log", 0, "not absolute" },
		{ LXJ_TTY_IN, NULL, 1, "come together" },
		{ LXJ_TTY_IN, NULL, 2, "size 0x" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		attach_plan(&b);
		n.n = 0;
		if (bad[i].fds)
			put_u32(&n, LXJ_APTY_FDS, bad[i].fds);
		if (bad[i].log)
			put_str(&n, LXJ_APTY_LOG, bad[i].log);
		if (bad[i].size)
			put_u32(&n, LXJ_APTY_ROWS, bad[i].size == 1 ? 10 : 0);
		if (bad[i].size == 2)
			put_u32(&n, LXJ_APTY_COLS, 10);
		put(&b, LXJ_ATTR_ATTACH_PTY, 0, n.b, (uint32_t)n.n);
		err[0] = 0;
		CHECK(plan_parse_attach(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, bad[i].needle) && e == EINVAL);
	}
	/* a launch plan refuses it */
	minimal(&b);
	n.n = 0;
	put_u32(&n, LXJ_APTY_FDS, LXJ_TTY_IN);
	put(&b, LXJ_ATTR_ATTACH_PTY, 0, n.b, (uint32_t)n.n);
	CHECK(plan_parse(b.b, b.n, &p, err, sizeof(err), &e) == -1 && strstr(err, "attach attributes"));
}

/* The seccomp notify proxy and cookie travel with a NEW_LISTENER filter, never alone. */
static void test_seccomp_notify(void)
{
	struct buf b;
	char err[256];
	int e;
	uint8_t filter[16] = { 0 };
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/run/proxy.sock");
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_COOKIE, "c00kie");
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.seccomp_flags == 8 && p.notify_proxy && strcmp(p.notify_proxy, "/run/proxy.sock") == 0);
	CHECK(p.notify_cookie && strcmp(p.notify_cookie, "c00kie") == 0);
	seed(&b, "seccomp-notify");
	/* an abstract name; no cookie */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "@lxj-proxy");
	CHECK(parse(&b, &p, &e, err) == 0);
	CHECK(p.notify_proxy && p.notify_proxy[0] == '@' && p.notify_cookie == NULL);
	/* a listener nobody answers would hang every notified call */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	expect_refused(&b, EINVAL, "listener without a notify proxy");
	/* a proxy without a listener */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/p");
	expect_refused(&b, EINVAL, "proxy without a listener");
	/* a cookie without a proxy */
	minimal(&b);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_COOKIE, "c");
	expect_refused(&b, EINVAL, "cookie without a proxy");
	/* tsync and new_listener share the return value: the kernel refuses them together */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8 | 1);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/p");
	expect_refused(&b, EINVAL, "tsync and new_listener");
	/* a relative path, and one longer than sun_path holds */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "proxy.sock");
	expect_refused(&b, EINVAL, "seccomp notify proxy \"proxy.sock\"");
	char longpath[120];
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, longpath);
	expect_refused(&b, EINVAL, "seccomp notify proxy");
	/* twice */
	minimal(&b);
	put(&b, LXJ_ATTR_SECCOMP, 0, filter, sizeof(filter));
	put_u32(&b, LXJ_ATTR_SECCOMP_FLAGS, 8);
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/p");
	put_str(&b, LXJ_ATTR_SECCOMP_NOTIFY_PROXY, "/q");
	expect_refused(&b, EINVAL, "seccomp notify proxy");
}

int main(int argc, char **argv)
{
	seed_dir = argc > 1 ? argv[1] : NULL;
	test_time_and_pdeath();
	test_lsm_labels();
	test_landlock();
	test_console();
	test_attach_refuses_setup_security();
	test_attach_monitor_sock();
	test_minimal();
	test_full();
	test_refusals();
	test_new_steps();
	test_attach();
	test_attach_pty();
	test_tlv_next_bounds();
	test_hooks();
	test_seccomp_notify();
	printf("plan_test: %d checks, %d failures\n", checks, failures);
	return failures ? 1 : 0;
}
