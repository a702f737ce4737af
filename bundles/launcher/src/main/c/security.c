/*
 * security.c - LSM attribute writes and the Landlock ruleset of the container's init. Both run in init after
 * the pivot: the LSM labels through a verified procfs handle opened while init is still privileged, the
 * Landlock rules on paths opened inside the container, enforced after no_new_privs and before seccomp.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset 444
#define SYS_landlock_add_rule 445
#define SYS_landlock_restrict_self 446
#endif

/* The kernel's structures (linux/landlock.h), spelled out: the build host's headers may predate ABI 4 and 6. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs, handled_access_net, scoped;
};
struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));
struct ll_net_port_attr {
	uint64_t allowed_access, port;
};
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
/* Rights that apply to a file (not only to a directory): EXECUTE, WRITE_FILE, READ_FILE, TRUNCATE, IOCTL_DEV. */
#define LL_FILE_RIGHTS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

/* Opens <pid>/task/<tid>/attr/<sub> beneath the verified procfs, without symlinks, checked to be procfs. */
static int open_attr(int procfd, const char *sub, char *shown, size_t slen)
{
	char path[256];
	snprintf(path, sizeof(path), "%d/task/%d/attr/%s", getpid(), gettid(), sub);
	snprintf(shown, slen, "/proc/thread-self/attr/%s", sub);
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, procfd, path, &how, sizeof(how));
	struct statfs sf;
	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

int lsm_write(int procfd, const struct plan_lsm_label *l, char *err, size_t errlen)
{
	char sub[160], shown[200];
	snprintf(sub, sizeof(sub), "%s/%s", l->lsm, l->attr);
	int fd = open_attr(procfd, sub, shown, sizeof(shown));
	if (fd < 0 && errno == ENOENT) /* a kernel without per-LSM directories, or an LSM that is not there */
		fd = open_attr(procfd, l->attr, shown, sizeof(shown));
	size_t len = strlen(l->value);
	ssize_t w = -1;
	if (fd >= 0) {
		w = write(fd, l->value, len);
		if (w >= 0 && (size_t)w != len)
			errno = EIO;
		int saved = errno;
		close(fd);
		errno = saved;
	}
	if (w == (ssize_t)len)
		return 0;
	int e = errno;
	snprintf(err, errlen, "Failed to write the %s label \"%s\" to \"%s\": %s", l->lsm, l->value, shown, errno_name(e));
	errno = e;
	return -1;
}

int landlock_prepare(const struct plan_landlock *ll, int *rsfd, char *err, size_t errlen)
{
	*rsfd = -1;
	struct ll_ruleset_attr attr = { ll->handled_fs, ll->handled_net, ll->scoped };
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0) {
		int e = errno;
		if (ll->best_effort && (e == ENOSYS || e == EOPNOTSUPP))
			return 0; /* no Landlock in this kernel: best effort goes on without it */
		snprintf(err, errlen, "Failed to create the Landlock ruleset (fs 0x%llx, net 0x%llx, scopes 0x%llx): %s",
			 (unsigned long long)ll->handled_fs, (unsigned long long)ll->handled_net,
			 (unsigned long long)ll->scoped, errno_name(e));
		errno = e;
		return -1;
	}
	for (size_t i = 0; i < ll->n_paths; i++) {
		const struct plan_landlock_path *r = &ll->paths[i];
		int pfd = open(r->path, O_PATH | O_CLOEXEC);
		struct stat st;
		if (pfd < 0 || fstat(pfd, &st) < 0) {
			int e = errno;
			snprintf(err, errlen, "Failed to open the Landlock rule path \"%s\": %s", r->path, errno_name(e));
			if (pfd >= 0)
				close(pfd);
			close(fd);
			errno = e;
			return -1;
		}
		struct ll_path_beneath_attr pb = { .allowed_access = r->allowed, .parent_fd = pfd };
		if (!S_ISDIR(st.st_mode))
			pb.allowed_access &= LL_FILE_RIGHTS; /* directory-only rights on a file are EINVAL */
		int rc = pb.allowed_access ? (int)syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0) : 0;
		int e = errno;
		close(pfd);
		if (rc < 0) {
			snprintf(err, errlen, "Failed to add the Landlock rule 0x%llx on \"%s\": %s",
				 (unsigned long long)r->allowed, r->path, errno_name(e));
			close(fd);
			errno = e;
			return -1;
		}
	}
	for (size_t i = 0; i < ll->n_ports; i++) {
		struct ll_net_port_attr np = { .allowed_access = ll->ports[i].allowed, .port = ll->ports[i].port };
		if (syscall(SYS_landlock_add_rule, fd, LL_RULE_NET_PORT, &np, 0) < 0) {
			int e = errno;
			snprintf(err, errlen, "Failed to add the Landlock rule 0x%llx on TCP port %llu: %s",
				 (unsigned long long)np.allowed_access, (unsigned long long)np.port, errno_name(e));
			close(fd);
			errno = e;
			return -1;
		}
	}
	*rsfd = fd;
	return 0;
}

int landlock_confine_to(int dirfd)
{
	int abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, 1 /* LANDLOCK_CREATE_RULESET_VERSION */);
	if (abi < 1)
		return 0; /* no Landlock here: nothing to confine with */
	/* Every filesystem right this ABI knows: 1 has 13, 2 adds REFER, 3 TRUNCATE, 5 IOCTL_DEV. */
	uint64_t fs = (1ULL << 13) - 1;
	if (abi >= 2)
		fs |= 1ULL << 13;
	if (abi >= 3)
		fs |= 1ULL << 14;
	if (abi >= 5)
		fs |= 1ULL << 15;
	/* TCP bind and connect (ABI 4) with no port allowed; abstract unix sockets scoped (ABI 6). Signals stay
	 * unscoped: the monitor signals init, which is outside its domain. */
	struct ll_ruleset_attr attr = { fs, abi >= 4 ? 3 : 0, abi >= 6 ? 1 : 0 };
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (fd < 0)
		return -1;
	struct ll_path_beneath_attr pb = { .allowed_access = fs, .parent_fd = dirfd };
	int rc = (int)syscall(SYS_landlock_add_rule, fd, LL_RULE_PATH_BENEATH, &pb, 0);
	if (rc == 0)
		rc = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if (rc == 0)
		rc = (int)syscall(SYS_landlock_restrict_self, fd, 0);
	int e = errno;
	close(fd);
	errno = e;
	return rc < 0 ? -1 : abi;
}

int landlock_enforce(int rsfd, char *err, size_t errlen)
{
	if (rsfd < 0)
		return 0;
	int rc = (int)syscall(SYS_landlock_restrict_self, rsfd, 0);
	int e = errno;
	close(rsfd);
	if (rc < 0) {
		snprintf(err, errlen, "Failed to enforce the Landlock ruleset: %s", errno_name(e));
		errno = e;
		return -1;
	}
	return 0;
}
