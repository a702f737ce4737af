/*
 * mounts.c - mounts whose targets are resolved inside the rootfs by fd and attached through the fd
 * (new mount API: open_tree/fsopen/fsmount/move_mount), so a symlink in the rootfs can never
 * divert a mount to the host (CVE-2021-30465, CVE-2015-1335).
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static int walk_nofollow(int rootfd, const char *path)
{
	char buf[PLAN_MAX_STRING];
	if (strlen(path) >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(buf, path);
	int cur = fcntl(rootfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return -1;
	char *save = NULL;
	for (char *c = strtok_r(buf, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			close(cur);
			errno = EXDEV;
			return -1;
		}
		int next = openat(cur, c, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		close(cur);
		if (next < 0)
			return -1;
		struct stat st;
		if (fstat(next, &st) < 0 || S_ISLNK(st.st_mode)) {
			close(next);
			errno = ELOOP;
			return -1;
		}
		cur = next;
	}
	return cur;
}

int resolve_in_root(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == E2BIG))
		return walk_nofollow(rootfd, path);
	return fd;
}

int resolve_no_symlinks(int rootfd, const char *path)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS,
	};
	int fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == E2BIG))
		return walk_nofollow(rootfd, path);
	return fd;
}

/* Splits "/a/b/c" into its parent's fd (created as directories when missing) and "c". */
int open_parent_in_root(int rootfd, const char *path, char *base, size_t blen)
{
	char parent[PLAN_MAX_STRING];
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(parent)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(parent, path, len);
	parent[len] = '\0';
	char *slash = strrchr(parent, '/');
	if (!slash || slash[1] == '\0' || strlen(slash + 1) >= blen) {
		errno = EINVAL;
		return -1;
	}
	strcpy(base, slash + 1);
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	return mkpath_in_root(rootfd, parent, LXJ_CREATE_DIR);
}

int mkpath_in_root(int rootfd, const char *path, uint32_t create)
{
	int fd = resolve_in_root(rootfd, path);
	if (fd >= 0 || errno != ENOENT || create == LXJ_CREATE_NONE)
		return fd;
	char parent[PLAN_MAX_STRING];
	size_t len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(parent)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(parent, path, len);
	parent[len] = '\0';
	char *slash = strrchr(parent, '/');
	if (!slash || slash[1] == '\0') {
		errno = EINVAL;
		return -1;
	}
	char base[PLAN_MAX_STRING];
	strcpy(base, slash + 1);
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	int pfd = mkpath_in_root(rootfd, parent, LXJ_CREATE_DIR);
	if (pfd < 0)
		return -1;
	int r;
	if (create == LXJ_CREATE_DIR) {
		r = mkdirat(pfd, base, 0755);
	} else {
		r = openat(pfd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (r >= 0)
			close(r);
	}
	int saved = errno;
	close(pfd);
	if (r < 0 && saved != EEXIST) {
		errno = saved;
		return -1;
	}
	return resolve_in_root(rootfd, path);
}

static unsigned int ms_to_attr(uint64_t ms, __u64 *clr)
{
	unsigned int a = 0;
	if (ms & MS_RDONLY)
		a |= MOUNT_ATTR_RDONLY;
	if (ms & MS_NOSUID)
		a |= MOUNT_ATTR_NOSUID;
	if (ms & MS_NODEV)
		a |= MOUNT_ATTR_NODEV;
	if (ms & MS_NOEXEC)
		a |= MOUNT_ATTR_NOEXEC;
	if (ms & MS_NODIRATIME)
		a |= MOUNT_ATTR_NODIRATIME;
	if (ms & (MS_NOATIME | MS_STRICTATIME | MS_RELATIME)) {
		if (clr)
			*clr |= MOUNT_ATTR__ATIME;
		if (ms & MS_NOATIME)
			a |= MOUNT_ATTR_NOATIME;
		else if (ms & MS_STRICTATIME)
			a |= MOUNT_ATTR_STRICTATIME;
	}
	return a;
}

#define PROPAGATION_FLAGS (MS_SHARED | MS_SLAVE | MS_PRIVATE | MS_UNBINDABLE)

/* Reads the filesystem context's first message (e.g. "e tmpfs: Bad value for 'mode'") into err. */
static void fs_context_message(int fsfd, char *err, size_t errlen)
{
	char msg[256];
	ssize_t n = read(fsfd, msg, sizeof(msg) - 1);
	if (n > 2) {
		msg[n] = '\0';
		snprintf(err, errlen, " (%s)", msg + 2);
	}
}

static int new_fs(const struct plan_mount *m, char *detail, size_t dlen)
{
	int fsfd = fsopen(m->fstype, FSOPEN_CLOEXEC);
	if (fsfd < 0)
		return -1;
	int r = 0;
	if (m->source)
		r = fsconfig(fsfd, FSCONFIG_SET_STRING, "source", m->source, 0);
	char opts[PLAN_MAX_STRING];
	if (r == 0 && m->data) {
		snprintf(opts, sizeof(opts), "%s", m->data);
		char *save = NULL;
		for (char *o = strtok_r(opts, ",", &save); o && r == 0; o = strtok_r(NULL, ",", &save)) {
			char *eq = strchr(o, '=');
			if (eq) {
				*eq = '\0';
				r = fsconfig(fsfd, FSCONFIG_SET_STRING, o, eq + 1, 0);
			} else {
				r = fsconfig(fsfd, FSCONFIG_SET_FLAG, o, NULL, 0);
			}
		}
	}
	if (r == 0)
		r = fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0);
	int mfd = -1;
	if (r == 0)
		mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, ms_to_attr(m->flags, NULL));
	if (mfd < 0) {
		int saved = errno;
		fs_context_message(fsfd, detail, dlen);
		close(fsfd);
		errno = saved;
		return -1;
	}
	close(fsfd);
	return mfd;
}

static int clone_tree(int rootfd, const struct plan_mount *m, char *err, size_t errlen)
{
	int sfd = m->relative ? resolve_in_root(rootfd, m->source) : open(m->source, O_PATH | O_CLOEXEC);
	if (sfd < 0)
		return -1;
	if (m->has_device) {
		struct stat st;
		if (fstat(sfd, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != m->dev_major ||
		    minor(st.st_rdev) != m->dev_minor) {
			close(sfd);
			snprintf(err, errlen, " (not the character device %u:%u)", m->dev_major, m->dev_minor);
			errno = ENODEV;
			return -1;
		}
	}
	unsigned int rec = (m->flags & MS_REC) ? AT_RECURSIVE : 0;
	int tree = open_tree(sfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | rec);
	int saved = errno;
	close(sfd);
	errno = saved;
	if (tree < 0)
		return -1;
	struct mount_attr attr = { 0 };
	attr.attr_set = ms_to_attr(m->flags, &attr.attr_clr);
	if ((attr.attr_set || attr.attr_clr) &&
	    mount_setattr(tree, "", AT_EMPTY_PATH | rec, &attr, sizeof(attr)) < 0) {
		saved = errno;
		close(tree);
		errno = saved;
		return -1;
	}
	return tree;
}

int mount_entry(int rootfd, const struct plan_mount *m, char *err, size_t errlen)
{
	const char *what = m->source ? m->source : m->fstype;
	char detail[300] = "";
	if (m->fstype && (strcmp(m->fstype, "proc") == 0 || strcmp(m->fstype, "sysfs") == 0)) {
		/* procfs and sysfs go exactly where named: a symlink on the way is refused (CVE-2015-1335). */
		int nfd = resolve_no_symlinks(rootfd, m->target);
		if (nfd < 0 && errno != ENOENT) {
			int saved = errno;
			snprintf(err, errlen, "Refusing to mount \"%s\" on \"%s\": a symlink in the rootfs is on the way: %s",
				 m->fstype, m->target, errno_name(saved));
			errno = saved;
			return -1;
		}
		if (nfd >= 0)
			close(nfd);
	}
	int tfd = mkpath_in_root(rootfd, m->target, m->create);
	if (tfd < 0) {
		snprintf(err, errlen, "Failed to resolve mount target \"%s\" inside the rootfs: %s", m->target,
			 errno_name(errno));
		return -1;
	}
	int mfd = -1, r = 0;
	if ((m->flags & MS_REMOUNT) && (m->flags & MS_BIND)) {
		struct mount_attr attr = { 0 };
		attr.attr_set = ms_to_attr(m->flags, &attr.attr_clr);
		attr.attr_clr |= MOUNT_ATTR_RDONLY & ~attr.attr_set;
		r = mount_setattr(tfd, "", AT_EMPTY_PATH | ((m->flags & MS_REC) ? AT_RECURSIVE : 0), &attr, sizeof(attr));
	} else if (m->flags & MS_BIND) {
		mfd = clone_tree(rootfd, m, detail, sizeof(detail));
		r = mfd < 0 ? -1 : 0;
	} else if (m->fstype) {
		mfd = new_fs(m, detail, sizeof(detail));
		r = mfd < 0 ? -1 : 0;
	} else if (!(m->flags & PROPAGATION_FLAGS)) {
		errno = EINVAL;
		r = -1;
	}
	if (r == 0 && mfd >= 0)
		r = move_mount(mfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	if (r == 0 && (m->flags & PROPAGATION_FLAGS)) {
		struct mount_attr attr = { .propagation = m->flags & PROPAGATION_FLAGS };
		r = mount_setattr(mfd >= 0 ? mfd : tfd, "", AT_EMPTY_PATH | ((m->flags & MS_REC) ? AT_RECURSIVE : 0),
				  &attr, sizeof(attr));
	}
	if (r == 0 && m->propagation) {
		struct mount_attr attr = { .propagation = m->propagation & PROPAGATION_FLAGS };
		r = mount_setattr(mfd >= 0 ? mfd : tfd, "", AT_EMPTY_PATH | ((m->propagation & MS_REC) ? AT_RECURSIVE : 0),
				  &attr, sizeof(attr));
	}
	int saved = errno;
	if (mfd >= 0)
		close(mfd);
	close(tfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to mount \"%s\" on \"%s\"%s: %s", what, m->target, detail, errno_name(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

int open_verified_devnull(void)
{
	int fd = open("/dev/null", O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	return fd;
}

int mask_path(int rootfd, const char *path, int devnull, char *err, size_t errlen)
{
	int tfd = resolve_in_root(rootfd, path);
	if (tfd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "Failed to resolve masked path \"%s\": %s", path, errno_name(errno));
		return -1;
	}
	struct stat st;
	int mfd = -1;
	if (fstat(tfd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			struct plan_mount m = { .fstype = "tmpfs", .source = "tmpfs", .data = "nr_inodes=1,size=0",
						.flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC };
			char detail[300];
			mfd = new_fs(&m, detail, sizeof(detail));
		} else {
			mfd = open_tree(devnull, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
		}
	}
	int r = mfd < 0 ? -1 : move_mount(mfd, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int saved = errno;
	if (mfd >= 0)
		close(mfd);
	close(tfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to mask \"%s\": %s", path, errno_name(saved));
		errno = saved;
	}
	return r;
}

int readonly_path(int rootfd, const char *path, char *err, size_t errlen)
{
	int tfd = resolve_in_root(rootfd, path);
	if (tfd < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "Failed to resolve read-only path \"%s\": %s", path, errno_name(errno));
		return -1;
	}
	int tree = open_tree(tfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH | AT_RECURSIVE);
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV };
	int r = tree < 0 ? -1 : mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr));
	if (r == 0)
		r = move_mount(tree, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int saved = errno;
	if (tree >= 0)
		close(tree);
	close(tfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to make \"%s\" read-only: %s", path, errno_name(saved));
		errno = saved;
	}
	return r;
}
