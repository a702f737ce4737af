/* plan.c - strict TLV parsing of the launch plan. No syscalls: fuzzed and unit-tested alone. */
#include "plan.h"
#include "protocol.h"

#include <errno.h>
#include <sched.h>
#include <stddef.h>

#define PLAN_CLONE_NEWTIME 0x00000080ULL
#define PLAN_PROPAGATION ((uint64_t)(MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE))
#include <sys/mount.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int tlv_next(const uint8_t *buf, size_t len, size_t *off, struct tlv *out)
{
	if (*off == len)
		return 0;
	if (*off > len || len - *off < LXJ_TLV_HEADER_SIZE)
		return -1;
	const uint8_t *p = buf + *off;
	memcpy(&out->type, p, 2);
	memcpy(&out->flags, p + 2, 2);
	memcpy(&out->len, p + 4, 4);
	size_t rest = len - *off - LXJ_TLV_HEADER_SIZE;
	if (out->len > rest)
		return -1;
	out->payload = p + LXJ_TLV_HEADER_SIZE;
	*off += LXJ_TLV_HEADER_SIZE + (size_t)out->len;
	return 1;
}

size_t tlv_put(uint8_t *buf, size_t cap, size_t off, uint16_t type, uint16_t flags, const void *payload, uint32_t len)
{
	if (off > cap || cap - off < LXJ_TLV_HEADER_SIZE || cap - off - LXJ_TLV_HEADER_SIZE < len)
		return 0;
	memcpy(buf + off, &type, 2);
	memcpy(buf + off + 2, &flags, 2);
	memcpy(buf + off + 4, &len, 4);
	if (len)
		memcpy(buf + off + LXJ_TLV_HEADER_SIZE, payload, len);
	return off + LXJ_TLV_HEADER_SIZE + len;
}

struct perr {
	char *buf;
	size_t len;
	int *err;
};

static int fail(struct perr *pe, int e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct perr *pe, int e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (pe->buf && pe->len)
		vsnprintf(pe->buf, pe->len, fmt, ap);
	va_end(ap);
	if (pe->err)
		*pe->err = e;
	return -1;
}

/* A string payload: at least the NUL, NUL only at the end, bounded. */
static int get_str(struct perr *pe, const struct tlv *t, const char *what, const char **out)
{
	if (t->len == 0 || t->len > PLAN_MAX_STRING)
		return fail(pe, EINVAL, "Invalid plan: %s has length %u", what, t->len);
	if (t->payload[t->len - 1] != '\0' || memchr(t->payload, '\0', t->len - 1) != NULL)
		return fail(pe, EINVAL, "Invalid plan: %s is not a NUL-terminated string", what);
	*out = (const char *)t->payload;
	return 0;
}

static int get_u32(struct perr *pe, const struct tlv *t, const char *what, uint32_t *out)
{
	if (t->len != 4)
		return fail(pe, EINVAL, "Invalid plan: %s has length %u, expected 4", what, t->len);
	memcpy(out, t->payload, 4);
	return 0;
}

static int get_u64(struct perr *pe, const struct tlv *t, const char *what, uint64_t *out)
{
	if (t->len != 8)
		return fail(pe, EINVAL, "Invalid plan: %s has length %u, expected 8", what, t->len);
	memcpy(out, t->payload, 8);
	return 0;
}

static int get_bool(struct perr *pe, const struct tlv *t, const char *what, int *out)
{
	uint32_t v = 0;
	if (get_u32(pe, t, what, &v) < 0)
		return -1;
	if (v > 1)
		return fail(pe, EINVAL, "Invalid plan: %s must be 0 or 1, got %u", what, v);
	*out = (int)v;
	return 0;
}

static int once(struct perr *pe, const void *slot_set, const char *what)
{
	if (slot_set)
		return fail(pe, EINVAL, "Invalid plan: %s appears twice", what);
	return 0;
}

static int unknown(struct perr *pe, const struct tlv *t, const char *where)
{
	if (t->flags & LXJ_FLAG_OPTIONAL)
		return 0;
	return fail(pe, EOPNOTSUPP, "Invalid plan: unknown %s attribute %u", where, t->type);
}

/* Paths inside the container: absolute, no empty or ".." components. */
static int check_inner_path(struct perr *pe, const char *p, const char *what)
{
	if (p[0] != '/')
		return fail(pe, EINVAL, "Invalid plan: %s \"%s\" is not absolute", what, p);
	for (const char *c = p; *c;) {
		while (*c == '/')
			c++;
		const char *e = strchrnul(c, '/');
		if (e - c == 2 && c[0] == '.' && c[1] == '.')
			return fail(pe, EINVAL, "Invalid plan: %s \"%s\" contains \"..\"", what, p);
		c = e;
	}
	return 0;
}

static int parse_mount(struct perr *pe, const struct tlv *outer, struct plan_mount *m)
{
	size_t off = 0;
	struct tlv t;
	int r, seen_flags = 0, seen_create = 0, seen_opt = 0;
	memset(m, 0, sizeof(*m));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: mount attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_MOUNT_SOURCE:
			if (once(pe, m->source, "mount source") || get_str(pe, &t, "mount source", &m->source))
				return -1;
			break;
		case LXJ_MOUNT_TARGET:
			if (once(pe, m->target, "mount target") || get_str(pe, &t, "mount target", &m->target))
				return -1;
			break;
		case LXJ_MOUNT_FSTYPE:
			if (once(pe, m->fstype, "mount fstype") || get_str(pe, &t, "mount fstype", &m->fstype))
				return -1;
			break;
		case LXJ_MOUNT_DATA:
			if (once(pe, m->data, "mount data") || get_str(pe, &t, "mount data", &m->data))
				return -1;
			break;
		case LXJ_MOUNT_FLAGS:
			if (once(pe, seen_flags ? pe : NULL, "mount flags") || get_u64(pe, &t, "mount flags", &m->flags))
				return -1;
			seen_flags = 1;
			break;
		case LXJ_MOUNT_CREATE:
			if (once(pe, seen_create ? pe : NULL, "mount create") || get_u32(pe, &t, "mount create", &m->create))
				return -1;
			if (m->create > LXJ_CREATE_FILE)
				return fail(pe, EINVAL, "Invalid plan: mount create mode %u", m->create);
			seen_create = 1;
			break;
		case LXJ_MOUNT_OPTIONAL:
			if (once(pe, seen_opt ? pe : NULL, "mount optional") || get_bool(pe, &t, "mount optional", &m->optional))
				return -1;
			seen_opt = 1;
			break;
		case LXJ_MOUNT_PROPAGATION:
			if (once(pe, m->propagation ? pe : NULL, "mount propagation") ||
			    get_u64(pe, &t, "mount propagation", &m->propagation))
				return -1;
			if (m->propagation == 0 || (m->propagation & ~(uint64_t)(MS_REC | PLAN_PROPAGATION)) ||
			    __builtin_popcountll(m->propagation & PLAN_PROPAGATION) != 1)
				return fail(pe, EINVAL, "Invalid plan: mount propagation 0x%llx",
					    (unsigned long long)m->propagation);
			break;
		case LXJ_MOUNT_RELATIVE:
			if (once(pe, m->relative ? pe : NULL, "mount relative") || get_bool(pe, &t, "mount relative", &m->relative))
				return -1;
			break;
		case LXJ_MOUNT_DEVICE:
			if (once(pe, m->has_device ? pe : NULL, "mount device"))
				return -1;
			if (t.len != 8)
				return fail(pe, EINVAL, "Invalid plan: mount device has length %u, expected 8", t.len);
			memcpy(&m->dev_major, t.payload, 4);
			memcpy(&m->dev_minor, t.payload + 4, 4);
			m->has_device = 1;
			break;
		default:
			if (unknown(pe, &t, "mount"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a mount");
	if (!m->target)
		return fail(pe, EINVAL, "Invalid plan: mount without a target");
	if (check_inner_path(pe, m->target, "mount target"))
		return -1;
	if (!m->fstype && !m->source)
		return fail(pe, EINVAL, "Invalid plan: mount of \"%s\" has neither a source nor a filesystem type", m->target);
	if (m->has_device && !m->source)
		return fail(pe, EINVAL, "Invalid plan: device check on \"%s\" without a source", m->target);
	if (m->relative && (!m->source || check_inner_path(pe, m->source, "relative mount source")))
		return m->source ? -1 : fail(pe, EINVAL, "Invalid plan: relative mount of \"%s\" without a source", m->target);
	return 0;
}

/* Generic nested parser: each known sub-attribute at most once. */
#define SUB_ONCE(bit)                                                                         \
	do {                                                                                  \
		if (seen & (bit))                                                             \
			return fail(pe, EINVAL, "Invalid plan: %s attribute %u appears twice", what, t.type); \
		seen |= (bit);                                                                \
	} while (0)

static int parse_device(struct perr *pe, const struct tlv *outer, struct plan_device *d)
{
	const char *what = "device";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	memset(d, 0, sizeof(*d));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: device attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_DEV_PATH: SUB_ONCE(1); if (get_str(pe, &t, "device path", &d->path)) return -1; break;
		case LXJ_DEV_TYPE: SUB_ONCE(2); if (get_u32(pe, &t, "device type", &d->type)) return -1; break;
		case LXJ_DEV_MAJOR: SUB_ONCE(4); if (get_u32(pe, &t, "device major", &d->major)) return -1; break;
		case LXJ_DEV_MINOR: SUB_ONCE(8); if (get_u32(pe, &t, "device minor", &d->minor)) return -1; break;
		case LXJ_DEV_MODE: SUB_ONCE(16); if (get_u32(pe, &t, "device mode", &d->mode)) return -1; break;
		case LXJ_DEV_UID: SUB_ONCE(32); if (get_u32(pe, &t, "device uid", &d->uid)) return -1; break;
		case LXJ_DEV_GID: SUB_ONCE(64); if (get_u32(pe, &t, "device gid", &d->gid)) return -1; break;
		case LXJ_DEV_BIND: SUB_ONCE(128); if (get_bool(pe, &t, "device bind", &d->bind)) return -1; break;
		default:
			if (unknown(pe, &t, "device"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a device");
	if ((seen & 7) != 7)
		return fail(pe, EINVAL, "Invalid plan: device needs a path, a type and a major number");
	if (check_inner_path(pe, d->path, "device path"))
		return -1;
	if (d->type != 'c' && d->type != 'b' && d->type != 'p')
		return fail(pe, EINVAL, "Invalid plan: device type %u of \"%s\"", d->type, d->path);
	if (d->major > 0xFFF || d->minor > 0xFFFFF || (d->mode & ~07777u))
		return fail(pe, EINVAL, "Invalid plan: device \"%s\" has an invalid number or mode", d->path);
	if (d->bind && d->type == 'p')
		return fail(pe, EINVAL, "Invalid plan: fifo \"%s\" cannot be bound from the host", d->path);
	return 0;
}

static int parse_pair(struct perr *pe, const struct tlv *outer, const char *what, uint16_t ta, uint16_t tb,
		      const char **a, const char **b)
{
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	*a = *b = NULL;
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: %s attribute %u has unknown flags 0x%x", what, t.type, t.flags);
		if (t.type == ta) {
			SUB_ONCE(1);
			if (get_str(pe, &t, what, a))
				return -1;
		} else if (t.type == tb) {
			SUB_ONCE(2);
			if (get_str(pe, &t, what, b))
				return -1;
		} else if (unknown(pe, &t, what)) {
			return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a %s", what);
	if (seen != 3)
		return fail(pe, EINVAL, "Invalid plan: incomplete %s", what);
	return 0;
}

/* A proc write goes under /proc/sys or /proc/self only, relative, without "." or ".." components. */
static int check_proc_file(struct perr *pe, const char *f)
{
	if (strncmp(f, "sys/", 4) != 0 && strncmp(f, "self/", 5) != 0)
		return fail(pe, EPERM, "Invalid plan: proc write \"/proc/%s\" is outside /proc/sys and /proc/self", f);
	for (const char *c = f; *c;) {
		const char *e = strchrnul(c, '/');
		if (e == c || (e - c == 1 && c[0] == '.') || (e - c == 2 && c[0] == '.' && c[1] == '.'))
			return fail(pe, EINVAL, "Invalid plan: proc write \"/proc/%s\" has an empty, \".\" or \"..\" component", f);
		c = *e ? e + 1 : e;
	}
	if (f[strlen(f) - 1] == '/')
		return fail(pe, EINVAL, "Invalid plan: proc write \"/proc/%s\" names a directory", f);
	return 0;
}

#define PLAN_NAMESPACES                                                                                           \
	((uint64_t)(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | \
		    CLONE_NEWNET | PLAN_CLONE_NEWTIME))

static int parse_join(struct perr *pe, const struct tlv *outer, struct plan_join *j)
{
	const char *what = "join";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	memset(j, 0, sizeof(*j));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: join attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_JOIN_NS: SUB_ONCE(1); if (get_u64(pe, &t, "join namespace", &j->ns)) return -1; break;
		case LXJ_JOIN_PATH: SUB_ONCE(2); if (get_str(pe, &t, "join path", &j->path)) return -1; break;
		case LXJ_JOIN_PID: SUB_ONCE(4); if (get_u32(pe, &t, "join pid", &j->pid)) return -1; break;
		default:
			if (unknown(pe, &t, "join"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a join");
	if (!(seen & 1) || __builtin_popcountll(j->ns) != 1 || (j->ns & ~PLAN_NAMESPACES))
		return fail(pe, EINVAL, "Invalid plan: join needs exactly one namespace flag");
	if (((seen & 2) != 0) == ((seen & 4) != 0))
		return fail(pe, EINVAL, "Invalid plan: join needs exactly one of a path and a pid");
	if ((seen & 4) && (j->pid == 0 || j->pid > 0x3FFFFFFF))
		return fail(pe, EINVAL, "Invalid plan: join pid %u", j->pid);
	if ((seen & 2) && j->path[0] != '/')
		return fail(pe, EINVAL, "Invalid plan: join path \"%s\" is not absolute", j->path);
	return 0;
}

static int parse_rlimit(struct perr *pe, const struct tlv *outer, struct plan_rlimit *rl)
{
	size_t off = 0;
	struct tlv t;
	int r, seen = 0;
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: rlimit attribute %u has unknown flags 0x%x", t.type, t.flags);
		int bit;
		switch (t.type) {
		case LXJ_RLIMIT_RESOURCE:
			bit = 1;
			if (!(seen & bit) && get_u32(pe, &t, "rlimit resource", &rl->resource))
				return -1;
			break;
		case LXJ_RLIMIT_SOFT:
			bit = 2;
			if (!(seen & bit) && get_u64(pe, &t, "rlimit soft", &rl->soft))
				return -1;
			break;
		case LXJ_RLIMIT_HARD:
			bit = 4;
			if (!(seen & bit) && get_u64(pe, &t, "rlimit hard", &rl->hard))
				return -1;
			break;
		default:
			if (unknown(pe, &t, "rlimit"))
				return -1;
			continue;
		}
		if (seen & bit)
			return fail(pe, EINVAL, "Invalid plan: rlimit attribute %u appears twice", t.type);
		seen |= bit;
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside an rlimit");
	if (seen != 7)
		return fail(pe, EINVAL, "Invalid plan: rlimit needs resource, soft and hard");
	if (rl->resource >= 64)
		return fail(pe, EINVAL, "Invalid plan: rlimit resource %u", rl->resource);
	if (rl->soft > rl->hard)
		return fail(pe, EINVAL, "Invalid plan: rlimit %u soft limit above hard limit", rl->resource);
	return 0;
}

static int parse_hook(struct perr *pe, const struct tlv *outer, struct plan_hook *h)
{
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	memset(h, 0, sizeof(*h));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: hook attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_HOOK_STAGE:
			if (seen & 1)
				return fail(pe, EINVAL, "Invalid plan: hook stage appears twice");
			seen |= 1;
			if (get_u32(pe, &t, "hook stage", &h->stage))
				return -1;
			break;
		case LXJ_HOOK_NS_ENV:
			if (seen & 2)
				return fail(pe, EINVAL, "Invalid plan: hook namespace style appears twice");
			seen |= 2;
			if (get_bool(pe, &t, "hook namespace style", &h->ns_env))
				return -1;
			break;
		case LXJ_HOOK_ARG:
			if (h->n_args >= PLAN_MAX_HOOK_ARGS)
				return fail(pe, E2BIG, "Invalid plan: more than %d hook arguments", PLAN_MAX_HOOK_ARGS);
			if (get_str(pe, &t, "hook argument", &h->args[h->n_args]))
				return -1;
			h->n_args++;
			break;
		case LXJ_HOOK_ENV:
			if (h->n_env >= PLAN_MAX_HOOK_ENV)
				return fail(pe, E2BIG, "Invalid plan: more than %d hook environment entries", PLAN_MAX_HOOK_ENV);
			if (get_str(pe, &t, "hook environment", &h->env[h->n_env]))
				return -1;
			if (!strchr(h->env[h->n_env], '=') || h->env[h->n_env][0] == '=')
				return fail(pe, EINVAL, "Invalid plan: hook environment entry \"%s\" is not NAME=value",
					    h->env[h->n_env]);
			h->n_env++;
			break;
		default:
			if (unknown(pe, &t, "hook"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a hook");
	if (!(seen & 1) || h->stage < LXJ_HOOK_PRE_MOUNT || h->stage > LXJ_HOOK_STOP)
		return fail(pe, EINVAL, "Invalid plan: hook needs a stage from %d to %d", LXJ_HOOK_PRE_MOUNT, LXJ_HOOK_STOP);
	if (h->n_args == 0 || h->args[0][0] != '/')
		return fail(pe, EINVAL, "Invalid plan: hook needs an absolute program");
	if (h->ns_env && h->stage != LXJ_HOOK_STOP)
		return fail(pe, EINVAL, "Invalid plan: only stop hooks get namespace references");
	h->args[h->n_args] = NULL;
	h->env[h->n_env] = NULL;
	return 0;
}

/* LSM and attribute names: a non-empty run of [a-z] (plus [0-9_] for LSM names). */
static int check_name(struct perr *pe, const char *n, int digits, const char *what)
{
	if (!*n)
		return fail(pe, EINVAL, "Invalid plan: empty %s", what);
	for (const char *c = n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (digits && ((*c >= '0' && *c <= '9') || *c == '_'))))
			return fail(pe, EINVAL, "Invalid plan: %s \"%s\" has a character other than %s", what, n,
				    digits ? "[a-z0-9_]" : "[a-z]");
	return 0;
}

static int parse_lsm(struct perr *pe, const struct tlv *outer, struct plan_lsm_label *l)
{
	const char *what = "LSM label";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	memset(l, 0, sizeof(*l));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: LSM label attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_LSM_NAME: SUB_ONCE(1); if (get_str(pe, &t, "LSM name", &l->lsm)) return -1; break;
		case LXJ_LSM_ATTR: SUB_ONCE(2); if (get_str(pe, &t, "LSM attribute", &l->attr)) return -1; break;
		case LXJ_LSM_VALUE: SUB_ONCE(4); if (get_str(pe, &t, "LSM label value", &l->value)) return -1; break;
		case LXJ_LSM_OPTIONAL: SUB_ONCE(8); if (get_bool(pe, &t, "LSM label optional", &l->optional)) return -1; break;
		default:
			if (unknown(pe, &t, "LSM label"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside an LSM label");
	if ((seen & 7) != 7)
		return fail(pe, EINVAL, "Invalid plan: LSM label needs a name, an attribute and a value");
	if (check_name(pe, l->lsm, 1, "LSM name") || check_name(pe, l->attr, 0, "LSM attribute"))
		return -1;
	if (!l->value[0])
		return fail(pe, EINVAL, "Invalid plan: empty LSM label for %s/%s", l->lsm, l->attr);
	return 0;
}

static int parse_landlock(struct perr *pe, const struct tlv *outer, struct plan_landlock *ll)
{
	const char *what = "Landlock";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	ll->handled_fs = ll->handled_net = ll->scoped = 0;
	ll->best_effort = 0;
	ll->n_paths = ll->n_ports = 0;
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: Landlock attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_LANDLOCK_HANDLED_FS: SUB_ONCE(1); if (get_u64(pe, &t, "Landlock handled fs", &ll->handled_fs)) return -1; break;
		case LXJ_LANDLOCK_HANDLED_NET: SUB_ONCE(2); if (get_u64(pe, &t, "Landlock handled net", &ll->handled_net)) return -1; break;
		case LXJ_LANDLOCK_SCOPED: SUB_ONCE(4); if (get_u64(pe, &t, "Landlock scopes", &ll->scoped)) return -1; break;
		case LXJ_LANDLOCK_BEST_EFFORT: SUB_ONCE(8); if (get_bool(pe, &t, "Landlock best effort", &ll->best_effort)) return -1; break;
		case LXJ_LANDLOCK_PATH_RULE: {
			if (ll->n_paths >= PLAN_MAX_LANDLOCK_PATHS)
				return fail(pe, E2BIG, "Invalid plan: more than %d Landlock path rules", PLAN_MAX_LANDLOCK_PATHS);
			struct plan_landlock_path *pr = &ll->paths[ll->n_paths];
			if (t.len < 9)
				return fail(pe, EINVAL, "Invalid plan: Landlock path rule has length %u", t.len);
			memcpy(&pr->allowed, t.payload, 8);
			struct tlv rest = { .type = t.type, .len = t.len - 8, .payload = t.payload + 8 };
			if (get_str(pe, &rest, "Landlock rule path", &pr->path) ||
			    check_inner_path(pe, pr->path, "Landlock rule path"))
				return -1;
			ll->n_paths++;
			break;
		}
		case LXJ_LANDLOCK_PORT_RULE: {
			if (ll->n_ports >= PLAN_MAX_LANDLOCK_PORTS)
				return fail(pe, E2BIG, "Invalid plan: more than %d Landlock port rules", PLAN_MAX_LANDLOCK_PORTS);
			struct plan_landlock_port *pr = &ll->ports[ll->n_ports];
			if (t.len != 16)
				return fail(pe, EINVAL, "Invalid plan: Landlock port rule has length %u, expected 16", t.len);
			memcpy(&pr->port, t.payload, 8);
			memcpy(&pr->allowed, t.payload + 8, 8);
			if (pr->port > 65535)
				return fail(pe, EINVAL, "Invalid plan: Landlock port %llu", (unsigned long long)pr->port);
			ll->n_ports++;
			break;
		}
		default:
			if (unknown(pe, &t, "Landlock"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside a Landlock ruleset");
	if (!ll->handled_fs && !ll->handled_net && !ll->scoped)
		return fail(pe, EINVAL, "Invalid plan: Landlock ruleset handles no rights and no scopes");
	for (size_t i = 0; i < ll->n_paths; i++)
		if (!ll->paths[i].allowed || (ll->paths[i].allowed & ~ll->handled_fs))
			return fail(pe, EINVAL, "Invalid plan: Landlock rights 0x%llx of \"%s\" are not a non-empty subset of 0x%llx",
				    (unsigned long long)ll->paths[i].allowed, ll->paths[i].path,
				    (unsigned long long)ll->handled_fs);
	for (size_t i = 0; i < ll->n_ports; i++)
		if (!ll->ports[i].allowed || (ll->ports[i].allowed & ~ll->handled_net))
			return fail(pe, EINVAL, "Invalid plan: Landlock rights 0x%llx of port %llu are not a non-empty subset of 0x%llx",
				    (unsigned long long)ll->ports[i].allowed, (unsigned long long)ll->ports[i].port,
				    (unsigned long long)ll->handled_net);
	return 0;
}

/* The console and ttys: each sub-attribute at most once, MODE required, values bounded. */
static int parse_console(struct perr *pe, const struct tlv *outer, struct plan_console *c)
{
	const char *what = "console";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	memset(c, 0, sizeof(*c));
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: console attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_CONSOLE_MODE: SUB_ONCE(1); if (get_u32(pe, &t, "console mode", &c->mode)) return -1; break;
		case LXJ_CONSOLE_TTYS: SUB_ONCE(2); if (get_u32(pe, &t, "tty count", &c->ttys)) return -1; break;
		case LXJ_CONSOLE_TTY_DIR: SUB_ONCE(4); if (get_str(pe, &t, "tty dir", &c->tty_dir)) return -1; break;
		case LXJ_CONSOLE_LOG_FILE: SUB_ONCE(8); if (get_str(pe, &t, "console log file", &c->log_file)) return -1; break;
		case LXJ_CONSOLE_LOG_SIZE: SUB_ONCE(16); if (get_u64(pe, &t, "console log size", &c->log_size)) return -1; break;
		case LXJ_CONSOLE_LOG_ROTATE: SUB_ONCE(32); if (get_bool(pe, &t, "console log rotate", &c->log_rotate)) return -1; break;
		case LXJ_CONSOLE_BUFFER_SIZE: SUB_ONCE(64); if (get_u32(pe, &t, "console buffer size", &c->buffer_size)) return -1; break;
		case LXJ_CONSOLE_ROWS: SUB_ONCE(128); if (get_u32(pe, &t, "console rows", &c->rows)) return -1; break;
		case LXJ_CONSOLE_COLS: SUB_ONCE(256); if (get_u32(pe, &t, "console columns", &c->cols)) return -1; break;
		case LXJ_CONSOLE_UID: SUB_ONCE(512); if (get_u32(pe, &t, "console uid", &c->uid)) return -1; break;
		case LXJ_CONSOLE_GID: SUB_ONCE(1024); if (get_u32(pe, &t, "console gid", &c->gid)) return -1; break;
		default:
			if (unknown(pe, &t, "console"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside the console");
	if (!(seen & 1) || (c->mode != LXJ_CONSOLE_MODE_PTY && c->mode != LXJ_CONSOLE_MODE_NONE))
		return fail(pe, EINVAL, "Invalid plan: console mode missing or %u", c->mode);
	if (c->ttys > PLAN_MAX_TTYS)
		return fail(pe, E2BIG, "Invalid plan: %u ttys, at most %d", c->ttys, PLAN_MAX_TTYS);
	if (c->tty_dir && (!c->tty_dir[0] || strchr(c->tty_dir, '/') || strcmp(c->tty_dir, ".") == 0 ||
			   strcmp(c->tty_dir, "..") == 0 || strlen(c->tty_dir) > 255))
		return fail(pe, EINVAL, "Invalid plan: tty dir \"%s\" is not a single name under /dev", c->tty_dir);
	if (c->log_file && check_inner_path(pe, c->log_file, "console log file"))
		return -1;
	if (c->mode == LXJ_CONSOLE_MODE_NONE && (c->log_file || c->buffer_size || c->rows || c->cols))
		return fail(pe, EINVAL, "Invalid plan: a console log, buffer or size without a console");
	if (!c->log_file && ((seen & 16) || (seen & 32)))
		return fail(pe, EINVAL, "Invalid plan: console log size or rotation without a log file");
	if (c->rows > 0xFFFF || c->cols > 0xFFFF)
		return fail(pe, EINVAL, "Invalid plan: console size %ux%u", c->rows, c->cols);
	if (((seen & 512) != 0) != ((seen & 1024) != 0))
		return fail(pe, EINVAL, "Invalid plan: console uid and gid come together");
	c->has_owner = (seen & 512) != 0;
	return 0;
}

/* Attach with a pty: FDS required (a non-empty TTY_* mask), LOG absolute, ROWS and COLS together and 1..65535. */
static int parse_attach_pty(struct perr *pe, const struct tlv *outer, struct plan *p)
{
	const char *what = "attach pty";
	size_t off = 0;
	struct tlv t;
	int r;
	unsigned seen = 0;
	while ((r = tlv_next(outer->payload, outer->len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(pe, EINVAL, "Invalid plan: attach pty attribute %u has unknown flags 0x%x", t.type, t.flags);
		switch (t.type) {
		case LXJ_APTY_FDS: SUB_ONCE(1); if (get_u32(pe, &t, "attach pty fds", &p->apty_fds)) return -1; break;
		case LXJ_APTY_LOG: SUB_ONCE(2); if (get_str(pe, &t, "attach pty log", &p->apty_log)) return -1; break;
		case LXJ_APTY_ROWS: SUB_ONCE(4); if (get_u32(pe, &t, "attach pty rows", &p->apty_rows)) return -1; break;
		case LXJ_APTY_COLS: SUB_ONCE(8); if (get_u32(pe, &t, "attach pty columns", &p->apty_cols)) return -1; break;
		default:
			if (unknown(pe, &t, "attach pty"))
				return -1;
		}
	}
	if (r < 0)
		return fail(pe, EINVAL, "Invalid plan: truncated attribute inside the attach pty");
	if (!(seen & 1) || p->apty_fds == 0 || (p->apty_fds & ~(uint32_t)(LXJ_TTY_IN | LXJ_TTY_OUT | LXJ_TTY_ERR)))
		return fail(pe, EINVAL, "Invalid plan: attach pty fds missing or 0x%x", p->apty_fds);
	if (p->apty_log && p->apty_log[0] != '/')
		return fail(pe, EINVAL, "Invalid plan: attach pty log \"%s\" is not absolute", p->apty_log);
	if (((seen & 4) != 0) != ((seen & 8) != 0))
		return fail(pe, EINVAL, "Invalid plan: attach pty rows and columns come together");
	if ((seen & 4) && (p->apty_rows == 0 || p->apty_rows > 0xFFFF || p->apty_cols == 0 || p->apty_cols > 0xFFFF))
		return fail(pe, EINVAL, "Invalid plan: attach pty size %ux%u", p->apty_rows, p->apty_cols);
	p->has_attach_pty = 1;
	return 0;
}

/* A clock offset: s64 seconds, s64 nanoseconds in 0..999999999, seconds within the kernel's KTIME_SEC_MAX. */
static int get_offset(struct perr *pe, const struct tlv *t, const char *what, int64_t out[2])
{
	if (t->len != 16)
		return fail(pe, EINVAL, "Invalid plan: %s has length %u, expected 16", what, t->len);
	memcpy(out, t->payload, 16);
	if (out[1] < 0 || out[1] > 999999999 || out[0] > 9223372035LL || out[0] < -9223372035LL)
		return fail(pe, EINVAL, "Invalid plan: %s %lld.%09lld is out of range", what, (long long)out[0],
			    (long long)out[1]);
	return 0;
}

static int add_str(struct perr *pe, const struct tlv *t, const char *what, const char **arr, size_t *n, size_t max)
{
	if (*n >= max)
		return fail(pe, E2BIG, "Invalid plan: more than %zu %s entries", max, what);
	if (get_str(pe, t, what, &arr[*n]))
		return -1;
	(*n)++;
	return 0;
}

#define ONCE_STR(field, name)                                                   \
	if (once(&pe, p->field, name) || get_str(&pe, &t, name, &p->field))     \
		return -1;                                                      \
	break

#define SCALAR(n, getter, what, field)                                  \
	bit = 1u << (n);                                                \
	if (!(seen & bit) && getter(&pe, &t, what, field))              \
		return -1;                                              \
	break

static int parse_any(const uint8_t *buf, size_t len, struct plan *p, char *err, size_t errlen, int *err_errno,
		     int attach)
{
	struct perr pe = { err, errlen, err_errno };
	size_t off = 0;
	struct tlv t;
	int r, first = 1;
	unsigned seen = 0; /* bits for scalar attributes */

	/* Only the head: the arrays' pages stay untouched until an entry is parsed (the monitor's memory). */
	memset(p, 0, PLAN_HEAD_SIZE);
	if (len > LXJ_MAX_MESSAGE)
		return fail(&pe, E2BIG, "Invalid plan: %zu bytes exceed the limit of %d", len, LXJ_MAX_MESSAGE);
	while ((r = tlv_next(buf, len, &off, &t)) > 0) {
		if (t.flags & ~LXJ_FLAG_OPTIONAL)
			return fail(&pe, EINVAL, "Invalid plan: attribute %u has unknown flags 0x%x", t.type, t.flags);
		if (first) {
			if (t.type != LXJ_ATTR_VERSION)
				return fail(&pe, EINVAL, "Invalid plan: the first attribute is %u, not the version", t.type);
			if (get_u32(&pe, &t, "version", &p->version))
				return -1;
			if (p->version != LXJ_PROTOCOL_VERSION)
				return fail(&pe, EPROTONOSUPPORT, "Invalid plan: version %u, this launcher speaks %d", p->version, LXJ_PROTOCOL_VERSION);
			first = 0;
			continue;
		}
		unsigned bit = 0;
		switch (t.type) {
		case LXJ_ATTR_VERSION:
			return fail(&pe, EINVAL, "Invalid plan: version appears twice");
		case LXJ_ATTR_CONTAINER_ID: ONCE_STR(container_id, "container id");
		case LXJ_ATTR_RUN_DIR: ONCE_STR(run_dir, "run dir");
		case LXJ_ATTR_UID_MAP: ONCE_STR(uid_map, "uid map");
		case LXJ_ATTR_GID_MAP: ONCE_STR(gid_map, "gid map");
		case LXJ_ATTR_CGROUP_PATH: ONCE_STR(cgroup_path, "cgroup path");
		case LXJ_ATTR_ROOTFS: ONCE_STR(rootfs, "rootfs");
		case LXJ_ATTR_HOSTNAME: ONCE_STR(hostname, "hostname");
		case LXJ_ATTR_DOMAINNAME: ONCE_STR(domainname, "domainname");
		case LXJ_ATTR_CWD: ONCE_STR(cwd, "cwd");
		case LXJ_ATTR_SECCOMP_NOTIFY_PROXY: ONCE_STR(notify_proxy, "seccomp notify proxy");
		case LXJ_ATTR_SECCOMP_NOTIFY_COOKIE: ONCE_STR(notify_cookie, "seccomp notify cookie");
		case LXJ_ATTR_ATTACH_MONITOR_SOCK: ONCE_STR(attach_monitor_sock, "attach monitor socket");
		case LXJ_ATTR_CLONE_FLAGS:
			bit = 1u << 0;
			if (!(seen & bit) && get_u64(&pe, &t, "clone flags", &p->clone_flags))
				return -1;
			break;
		case LXJ_ATTR_SETGROUPS_DENY:
			bit = 1u << 1;
			if (!(seen & bit) && get_bool(&pe, &t, "setgroups deny", &p->setgroups_deny))
				return -1;
			break;
		case LXJ_ATTR_ROOTFS_PROPAGATION:
			bit = 1u << 2;
			if (!(seen & bit) && get_u64(&pe, &t, "rootfs propagation", &p->rootfs_propagation))
				return -1;
			break;
		case LXJ_ATTR_NO_PIVOT:
			bit = 1u << 3;
			if (!(seen & bit) && get_bool(&pe, &t, "no pivot", &p->no_pivot))
				return -1;
			break;
		case LXJ_ATTR_CAPS:
			bit = 1u << 4;
			if (!(seen & bit)) {
				if (t.len != sizeof(p->caps))
					return fail(&pe, EINVAL, "Invalid plan: caps has length %u, expected %zu", t.len, sizeof(p->caps));
				memcpy(p->caps, t.payload, sizeof(p->caps));
				p->has_caps = 1;
			}
			break;
		case LXJ_ATTR_NO_NEW_PRIVS:
			bit = 1u << 5;
			if (!(seen & bit) && get_bool(&pe, &t, "no new privs", &p->no_new_privs))
				return -1;
			break;
		case LXJ_ATTR_UID:
			bit = 1u << 6;
			if (!(seen & bit) && get_u32(&pe, &t, "uid", &p->uid))
				return -1;
			p->has_uid = 1;
			break;
		case LXJ_ATTR_GID:
			bit = 1u << 7;
			if (!(seen & bit) && get_u32(&pe, &t, "gid", &p->gid))
				return -1;
			p->has_gid = 1;
			break;
		case LXJ_ATTR_BUILTIN_INIT:
			bit = 1u << 8;
			if (!(seen & bit) && get_bool(&pe, &t, "builtin init", &p->builtin_init))
				return -1;
			break;
		case LXJ_ATTR_ROOTFS_READONLY: SCALAR(9, get_bool, "rootfs readonly", &p->rootfs_readonly);
		case LXJ_ATTR_UMASK:
			p->has_umask = 1;
			SCALAR(10, get_u32, "umask", &p->umask);
		case LXJ_ATTR_SECUREBITS:
			p->has_securebits = 1;
			SCALAR(11, get_u32, "securebits", &p->securebits);
		case LXJ_ATTR_PERSONALITY:
			p->has_personality = 1;
			SCALAR(12, get_u32, "personality", &p->personality);
		case LXJ_ATTR_SESSION_KEYRING: SCALAR(13, get_bool, "session keyring", &p->session_keyring);
		case LXJ_ATTR_SECCOMP_FLAGS: SCALAR(14, get_u32, "seccomp flags", &p->seccomp_flags);
		case LXJ_ATTR_ATTACH_PID: SCALAR(15, get_u32, "attach pid", &p->attach_pid);
		case LXJ_ATTR_ATTACH_START_TIME: SCALAR(16, get_u64, "attach start time", &p->attach_start_time);
		case LXJ_ATTR_ATTACH_NAMESPACES: SCALAR(17, get_u64, "attach namespaces", &p->attach_ns);
		case LXJ_ATTR_REMOUNT_SYS: SCALAR(18, get_bool, "remount sys", &p->remount_sys);
		case LXJ_ATTR_ATTACH_CGROUP:
			if (add_str(&pe, &t, "attach cgroup", p->attach_cgroups, &p->n_attach_cgroups, PLAN_MAX_ATTACH_CGROUPS))
				return -1;
			if (p->attach_cgroups[p->n_attach_cgroups - 1][0] != '/')
				return fail(&pe, EINVAL, "Invalid plan: attach cgroup \"%s\" is not absolute",
					    p->attach_cgroups[p->n_attach_cgroups - 1]);
			break;
		case LXJ_ATTR_SECCOMP:
			bit = 1u << 19;
			if (!(seen & bit)) {
				if (t.len == 0 || t.len % 8 != 0 || t.len > PLAN_MAX_SECCOMP)
					return fail(&pe, EINVAL, "Invalid plan: seccomp filter of %u bytes", t.len);
				p->seccomp = t.payload;
				p->seccomp_len = t.len;
			}
			break;
		case LXJ_ATTR_TIME_MONOTONIC:
			p->has_time_monotonic = 1;
			SCALAR(20, get_offset, "monotonic clock offset", p->time_monotonic);
		case LXJ_ATTR_TIME_BOOTTIME:
			p->has_time_boottime = 1;
			SCALAR(21, get_offset, "boottime clock offset", p->time_boottime);
		case LXJ_ATTR_PDEATH_SIGNAL:
			p->has_pdeath_signal = 1;
			SCALAR(22, get_u32, "parent death signal", &p->pdeath_signal);
		case LXJ_ATTR_LANDLOCK:
			bit = 1u << 23;
			if (!(seen & bit) && parse_landlock(&pe, &t, &p->landlock))
				return -1;
			p->has_landlock = 1;
			break;
		case LXJ_ATTR_ATTACH_PTY:
			bit = 1u << 25;
			if (!(seen & bit) && parse_attach_pty(&pe, &t, p))
				return -1;
			break;
		case LXJ_ATTR_CONSOLE:
			bit = 1u << 24;
			if (!(seen & bit) && parse_console(&pe, &t, &p->console))
				return -1;
			p->has_console = 1;
			break;
		case LXJ_ATTR_LSM_LABEL:
			if (p->n_lsm_labels >= PLAN_MAX_LSM_LABELS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d LSM labels", PLAN_MAX_LSM_LABELS);
			if (parse_lsm(&pe, &t, &p->lsm_labels[p->n_lsm_labels]))
				return -1;
			p->n_lsm_labels++;
			break;
		case LXJ_ATTR_GROUP:
			if (p->n_groups >= PLAN_MAX_GROUPS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d supplementary groups", PLAN_MAX_GROUPS);
			if (get_u32(&pe, &t, "group", &p->groups[p->n_groups]))
				return -1;
			p->n_groups++;
			break;
		case LXJ_ATTR_CGROUP_PROCS:
			if (add_str(&pe, &t, "cgroup.procs file", p->cgroup_procs, &p->n_cgroup_procs, PLAN_MAX_CGROUP_PROCS))
				return -1;
			if (p->cgroup_procs[p->n_cgroup_procs - 1][0] != '/')
				return fail(&pe, EINVAL, "Invalid plan: cgroup.procs file \"%s\" is not absolute",
					    p->cgroup_procs[p->n_cgroup_procs - 1]);
			break;
		case LXJ_ATTR_DEVICE:
			if (p->n_devices >= PLAN_MAX_DEVICES)
				return fail(&pe, E2BIG, "Invalid plan: more than %d devices", PLAN_MAX_DEVICES);
			if (parse_device(&pe, &t, &p->devices[p->n_devices]))
				return -1;
			p->n_devices++;
			break;
		case LXJ_ATTR_SYMLINK:
			if (p->n_symlinks >= PLAN_MAX_SYMLINKS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d symlinks", PLAN_MAX_SYMLINKS);
			if (parse_pair(&pe, &t, "symlink", LXJ_LINK_PATH, LXJ_LINK_TARGET, &p->symlinks[p->n_symlinks].path,
				       &p->symlinks[p->n_symlinks].target) ||
			    check_inner_path(&pe, p->symlinks[p->n_symlinks].path, "symlink path"))
				return -1;
			p->n_symlinks++;
			break;
		case LXJ_ATTR_PROC_WRITE:
			if (p->n_proc_writes >= PLAN_MAX_PROC_WRITES)
				return fail(&pe, E2BIG, "Invalid plan: more than %d proc writes", PLAN_MAX_PROC_WRITES);
			if (parse_pair(&pe, &t, "proc write", LXJ_PROC_FILE, LXJ_PROC_VALUE,
				       &p->proc_writes[p->n_proc_writes].file, &p->proc_writes[p->n_proc_writes].value) ||
			    check_proc_file(&pe, p->proc_writes[p->n_proc_writes].file))
				return -1;
			p->n_proc_writes++;
			break;
		case LXJ_ATTR_JOIN:
			if (p->n_joins >= PLAN_MAX_JOINS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d namespace joins", PLAN_MAX_JOINS);
			if (parse_join(&pe, &t, &p->joins[p->n_joins]))
				return -1;
			for (size_t i = 0; i < p->n_joins; i++)
				if (p->joins[i].ns == p->joins[p->n_joins].ns)
					return fail(&pe, EINVAL, "Invalid plan: namespace 0x%llx joined twice",
						    (unsigned long long)p->joins[i].ns);
			p->n_joins++;
			break;
		case LXJ_ATTR_MOUNT:
			if (p->n_mounts >= PLAN_MAX_MOUNTS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d mounts", PLAN_MAX_MOUNTS);
			if (parse_mount(&pe, &t, &p->mounts[p->n_mounts]))
				return -1;
			p->n_mounts++;
			break;
		case LXJ_ATTR_HOOK:
			if (p->n_hooks >= PLAN_MAX_HOOKS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d hooks", PLAN_MAX_HOOKS);
			if (parse_hook(&pe, &t, &p->hooks[p->n_hooks]))
				return -1;
			p->n_hooks++;
			break;
		case LXJ_ATTR_RLIMIT:
			if (p->n_rlimits >= PLAN_MAX_RLIMITS)
				return fail(&pe, E2BIG, "Invalid plan: more than %d rlimits", PLAN_MAX_RLIMITS);
			if (parse_rlimit(&pe, &t, &p->rlimits[p->n_rlimits]))
				return -1;
			p->n_rlimits++;
			break;
		case LXJ_ATTR_MASKED_PATH:
			if (add_str(&pe, &t, "masked path", p->masked, &p->n_masked, PLAN_MAX_PATHS) ||
			    check_inner_path(&pe, p->masked[p->n_masked - 1], "masked path"))
				return -1;
			break;
		case LXJ_ATTR_READONLY_PATH:
			if (add_str(&pe, &t, "readonly path", p->readonly, &p->n_readonly, PLAN_MAX_PATHS) ||
			    check_inner_path(&pe, p->readonly[p->n_readonly - 1], "readonly path"))
				return -1;
			break;
		case LXJ_ATTR_ARG:
			if (add_str(&pe, &t, "argument", p->args, &p->n_args, PLAN_MAX_ARGS))
				return -1;
			break;
		case LXJ_ATTR_ENV:
			if (add_str(&pe, &t, "environment", p->env, &p->n_env, PLAN_MAX_ENV))
				return -1;
			if (!strchr(p->env[p->n_env - 1], '='))
				return fail(&pe, EINVAL, "Invalid plan: environment entry \"%s\" has no '='", p->env[p->n_env - 1]);
			break;
		default:
			if (unknown(&pe, &t, "plan"))
				return -1;
			continue;
		}
		if (bit) {
			if (seen & bit)
				return fail(&pe, EINVAL, "Invalid plan: attribute %u appears twice", t.type);
			seen |= bit;
		}
	}
	if (r < 0)
		return fail(&pe, EINVAL, "Invalid plan: truncated attribute at offset %zu", off);
	if (first)
		return fail(&pe, EINVAL, "Invalid plan: empty");
	if (attach) {
		if (!(seen & (1u << 15)) || p->attach_pid < 2 || p->attach_pid > 0x3FFFFFFF)
			return fail(&pe, EINVAL, "Invalid plan: attach needs the init pid");
		if (!(seen & (1u << 16)))
			return fail(&pe, EINVAL, "Invalid plan: attach needs the init start time");
		if (p->attach_ns & ~PLAN_NAMESPACES)
			return fail(&pe, EINVAL, "Invalid plan: attach namespaces 0x%llx name more than namespaces",
				    (unsigned long long)p->attach_ns);
		if (p->rootfs || p->run_dir || p->n_mounts || p->n_devices || p->n_symlinks || p->n_joins || p->clone_flags ||
		    p->uid_map || p->gid_map || p->n_masked || p->n_readonly || p->builtin_init || p->n_proc_writes ||
		    p->n_hooks || p->has_time_monotonic || p->has_time_boottime || p->has_pdeath_signal ||
		    p->has_console)
			return fail(&pe, EINVAL, "Invalid plan: attach carries container setup attributes");
		/* init's filter, LSM labels, Landlock and no_new_privs are allowed: the attached command gets them too */
		if (p->attach_monitor_sock && (p->attach_monitor_sock[0] != '/' || strlen(p->attach_monitor_sock) > 107))
			return fail(&pe, EINVAL, "Invalid plan: attach monitor socket \"%s\"", p->attach_monitor_sock);
		if (!(p->seccomp_flags & 8) != !p->attach_monitor_sock)
			return fail(&pe, EINVAL, "Invalid plan: %s", p->attach_monitor_sock
				    ? "attach monitor socket without a seccomp listener"
				    : "attach seccomp listener without the monitor socket");
		if (p->remount_sys && !(p->attach_ns & CLONE_NEWNS))
			return fail(&pe, EINVAL, "Invalid plan: remounting /sys needs the mount namespace");
	} else {
		if (seen & ((1u << 15) | (1u << 16) | (1u << 17) | (1u << 18) | (1u << 25)) || p->n_attach_cgroups ||
		    p->attach_monitor_sock)
			return fail(&pe, EINVAL, "Invalid plan: a launch plan carries attach attributes");
		if (p->rootfs && p->rootfs[0] != '/')
			return fail(&pe, EINVAL, "Invalid plan: rootfs \"%s\" is not absolute", p->rootfs);
		if (!p->run_dir || p->run_dir[0] != '/')
			return fail(&pe, EINVAL, "Invalid plan: run dir missing or not absolute");
		if (!p->rootfs && (p->no_pivot || p->rootfs_readonly || p->rootfs_propagation))
			return fail(&pe, EINVAL, "Invalid plan: rootfs options without a rootfs");
		if ((p->rootfs || p->n_mounts || p->n_devices || p->n_symlinks || p->n_masked || p->n_readonly) &&
		    !(p->clone_flags & CLONE_NEWNS)) {
			int joined = 0;
			for (size_t i = 0; i < p->n_joins; i++)
				joined |= p->joins[i].ns == CLONE_NEWNS;
			if (!joined)
				return fail(&pe, EINVAL, "Invalid plan: mounts need a new or joined mount namespace");
		}
		for (size_t i = 0; i < p->n_joins; i++)
			if (p->joins[i].ns & p->clone_flags)
				return fail(&pe, EINVAL, "Invalid plan: namespace 0x%llx is both created and joined",
					    (unsigned long long)p->joins[i].ns);
		if (p->has_console && (p->console.mode == LXJ_CONSOLE_MODE_PTY || p->console.ttys) &&
		    !(p->clone_flags & CLONE_NEWNS))
			return fail(&pe, EINVAL, "Invalid plan: a console or ttys need a new mount namespace");
		/* without a rootfs the binds (and a tty dir's symlinks) would land in the host's /dev */
		if (p->has_console && (p->console.mode == LXJ_CONSOLE_MODE_PTY || p->console.ttys) && !p->rootfs)
			return fail(&pe, EINVAL, "Invalid plan: a console or ttys need a rootfs");
		if (p->hostname && !(p->clone_flags & CLONE_NEWUTS))
			return fail(&pe, EINVAL, "Invalid plan: a hostname needs a new UTS namespace");
		for (size_t i = 0; i < p->n_hooks; i++)
			if (p->hooks[i].stage != LXJ_HOOK_STOP && p->hooks[i].stage != LXJ_HOOK_START &&
			    !(p->clone_flags & CLONE_NEWNS))
				return fail(&pe, EINVAL, "Invalid plan: mount-stage hooks need a new mount namespace");
	}
	if ((p->has_time_monotonic || p->has_time_boottime) && !(p->clone_flags & PLAN_CLONE_NEWTIME))
		return fail(&pe, EINVAL, "Invalid plan: clock offsets need a new time namespace");
	if (p->has_pdeath_signal && p->pdeath_signal > 64)
		return fail(&pe, EINVAL, "Invalid plan: parent death signal %u", p->pdeath_signal);
	if (p->has_umask && p->umask > 0777)
		return fail(&pe, EINVAL, "Invalid plan: umask %o", p->umask);
	if (p->seccomp_flags & ~(uint32_t)(1 | 2 | 4 | 8 | 32))
		return fail(&pe, EINVAL, "Invalid plan: seccomp flags 0x%x", p->seccomp_flags);
	/* NEW_LISTENER returns the listener instead of 0, which TSYNC's failure report shares */
	if ((p->seccomp_flags & 8) && (p->seccomp_flags & 1))
		return fail(&pe, EINVAL, "Invalid plan: seccomp flags 0x%x combine tsync and new_listener", p->seccomp_flags);
	if (!(p->seccomp_flags & 8) != !p->notify_proxy)
		return fail(&pe, EINVAL, "Invalid plan: %s", p->notify_proxy ? "seccomp notify proxy without a listener"
			    : "seccomp listener without a notify proxy");
	if (p->notify_cookie && !p->notify_proxy)
		return fail(&pe, EINVAL, "Invalid plan: seccomp notify cookie without a proxy");
	if (p->notify_proxy && (p->notify_proxy[0] == '\0' || strlen(p->notify_proxy) > 107 ||
				(p->notify_proxy[0] != '/' && p->notify_proxy[0] != '@')))
		return fail(&pe, EINVAL, "Invalid plan: seccomp notify proxy \"%s\"", p->notify_proxy);
	if (p->seccomp_flags && !p->seccomp)
		return fail(&pe, EINVAL, "Invalid plan: seccomp flags without a filter");
	if (p->n_args == 0)
		return fail(&pe, EINVAL, "Invalid plan: no command");
	if (p->cwd && check_inner_path(&pe, p->cwd, "cwd"))
		return -1;
	if (p->hostname && strlen(p->hostname) > 64)
		return fail(&pe, ENAMETOOLONG, "Invalid plan: hostname longer than 64 bytes");
	if (p->domainname && strlen(p->domainname) > 64)
		return fail(&pe, ENAMETOOLONG, "Invalid plan: domainname longer than 64 bytes");
	if (p->clone_flags & ~PLAN_NAMESPACES)
		return fail(&pe, EINVAL, "Invalid plan: clone flags 0x%llx name more than namespaces",
			    (unsigned long long)p->clone_flags);
	if ((p->uid_map || p->gid_map) && !(p->clone_flags & CLONE_NEWUSER))
		return fail(&pe, EINVAL, "Invalid plan: uid map without a new user namespace");
	p->args[p->n_args] = NULL;
	p->env[p->n_env] = NULL;
	return 0;
}

int plan_parse(const uint8_t *buf, size_t len, struct plan *p, char *err, size_t errlen, int *err_errno)
{
	return parse_any(buf, len, p, err, errlen, err_errno, 0);
}

int plan_parse_attach(const uint8_t *buf, size_t len, struct plan *p, char *err, size_t errlen, int *err_errno)
{
	int r = parse_any(buf, len, p, err, errlen, err_errno, 1);
	if (r == 0)
		p->attach = 1;
	return r;
}
