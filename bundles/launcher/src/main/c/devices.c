/*
 * devices.c - device nodes, symlinks, proc writes through a verified procfs, the verified working
 * directory, and namespace joins. Everything inside the rootfs is reached by fd, never by a string
 * path the container controls.
 */
#include "launcher.h"
#include "protocol.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef PROC_ROOT_INO
#define PROC_ROOT_INO 1
#endif

static mode_t node_type(uint32_t t)
{
	return t == 'c' ? S_IFCHR : t == 'b' ? S_IFBLK : S_IFIFO;
}

static int same_node(const struct stat *st, const struct plan_device *d)
{
	if ((st->st_mode & S_IFMT) != node_type(d->type))
		return 0;
	return d->type == 'p' || (major(st->st_rdev) == d->major && minor(st->st_rdev) == d->minor);
}

static int bind_device(int rootfd, const struct plan_device *d, char *err, size_t errlen)
{
	/* The host's node, opened before the pivot and verified by type and number. */
	int hfd = open(d->path, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (hfd < 0) {
		snprintf(err, errlen, "Failed to open the host device \"%s\": %s", d->path, errno_name(errno));
		return -1;
	}
	if (fstat(hfd, &st) < 0 || !same_node(&st, d)) {
		close(hfd);
		snprintf(err, errlen, "Host node \"%s\" is not the device %c %u:%u", d->path, (char)d->type, d->major,
			 d->minor);
		errno = ENODEV;
		return -1;
	}
	int tfd = mkpath_in_root(rootfd, d->path, LXJ_CREATE_FILE);
	int tree = tfd < 0 ? -1 : open_tree(hfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
	int r = tree < 0 ? -1 : move_mount(tree, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
	int saved = errno;
	if (tree >= 0)
		close(tree);
	if (tfd >= 0)
		close(tfd);
	close(hfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to bind the device \"%s\": %s", d->path, errno_name(saved));
		errno = saved;
	}
	return r;
}

int make_device(int rootfd, const struct plan_device *d, char *err, size_t errlen)
{
	if (d->bind)
		return bind_device(rootfd, d, err, errlen);
	char base[NAME_MAX + 1];
	int pfd = open_parent_in_root(rootfd, d->path, base, sizeof(base));
	if (pfd < 0) {
		snprintf(err, errlen, "Failed to resolve the directory of device \"%s\": %s", d->path, errno_name(errno));
		return -1;
	}
	mode_t old = umask(0);
	int r = mknodat(pfd, base, node_type(d->type) | (d->mode & 07777), makedev(d->major, d->minor));
	umask(old);
	int saved = errno;
	if (r < 0 && saved == EEXIST) {
		struct stat st;
		if (fstatat(pfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && same_node(&st, d)) {
			r = 0;
		} else {
			close(pfd);
			snprintf(err, errlen, "Failed to create device \"%s\": something else exists there", d->path);
			errno = EEXIST;
			return -1;
		}
	}
	if (r == 0 && fchownat(pfd, base, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0) {
		saved = errno;
		r = -1;
	}
	close(pfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to create device \"%s\" (%c %u:%u): %s", d->path, (char)d->type, d->major,
			 d->minor, errno_name(saved));
		errno = saved;
	}
	return r;
}

int make_symlink(int rootfd, const struct plan_symlink *l, char *err, size_t errlen)
{
	char base[NAME_MAX + 1];
	int pfd = open_parent_in_root(rootfd, l->path, base, sizeof(base));
	if (pfd < 0) {
		snprintf(err, errlen, "Failed to resolve the directory of symlink \"%s\": %s", l->path, errno_name(errno));
		return -1;
	}
	int r = symlinkat(l->target, pfd, base);
	int saved = errno;
	if (r < 0 && saved == EEXIST) {
		char cur[PATH_MAX];
		ssize_t n = readlinkat(pfd, base, cur, sizeof(cur) - 1);
		if (n >= 0) {
			cur[n] = '\0';
			if (strcmp(cur, l->target) == 0)
				r = 0;
		}
	}
	close(pfd);
	if (r < 0) {
		snprintf(err, errlen, "Failed to create symlink \"%s\" -> \"%s\": %s", l->path, l->target,
			 errno_name(saved == EEXIST ? EEXIST : saved));
		errno = saved;
	}
	return r;
}

/* A procfs of the caller's pid namespace: a private, detached instance the container cannot cover. */
int open_private_proc(void)
{
	int fsfd = fsopen("proc", FSOPEN_CLOEXEC);
	int mfd = -1;
	if (fsfd >= 0) {
		if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, NULL, NULL, 0) == 0)
			mfd = fsmount(fsfd, FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
		close(fsfd);
	}
	if (mfd < 0) /* fall back to the container's /proc, verified to be the root of a procfs */
		mfd = open("/proc", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (mfd < 0)
		return -1;
	struct statfs sf;
	struct stat st;
	if (fstatfs(mfd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC || fstat(mfd, &st) < 0 || st.st_ino != PROC_ROOT_INO) {
		close(mfd);
		errno = ENODEV;
		return -1;
	}
	return mfd;
}

int proc_write(int procfd, const struct plan_proc_write *w, char *err, size_t errlen)
{
	char path[PATH_MAX];
	if (strncmp(w->file, "self/", 5) == 0)
		snprintf(path, sizeof(path), "%d/%s", getpid(), w->file + 5);
	else
		snprintf(path, sizeof(path), "%s", w->file);
	struct open_how how = {
		.flags = O_WRONLY | O_CLOEXEC | O_NOCTTY,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV,
	};
	int fd = (int)syscall(SYS_openat2, procfd, path, &how, sizeof(how));
	struct statfs sf;
	if (fd >= 0 && (fstatfs(fd, &sf) < 0 || sf.f_type != PROC_SUPER_MAGIC)) {
		close(fd);
		fd = -1;
		errno = ENODEV;
	}
	if (fd < 0) {
		snprintf(err, errlen, "Failed to open \"/proc/%s\": %s", w->file, errno_name(errno));
		return -1;
	}
	size_t len = strlen(w->value);
	ssize_t n = write(fd, w->value, len);
	int saved = n < 0 ? errno : EIO;
	close(fd);
	if (n != (ssize_t)len) {
		snprintf(err, errlen, "Failed to write \"%s\" to \"/proc/%s\": %s", w->value, w->file, errno_name(saved));
		errno = saved;
		return -1;
	}
	return 0;
}

int enter_cwd(const char *cwd, char *err, size_t errlen)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int fd = root < 0 ? -1 : resolve_in_root(root, cwd);
	int saved = errno;
	if (root >= 0)
		close(root);
	if (fd < 0) {
		snprintf(err, errlen, "Failed to resolve the working directory \"%s\" inside the container: %s", cwd,
			 errno_name(saved));
		errno = saved;
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISDIR(st.st_mode) || fchdir(fd) < 0) {
		saved = errno ? errno : ENOTDIR;
		close(fd);
		snprintf(err, errlen, "Failed to change to the working directory \"%s\": %s", cwd, errno_name(saved));
		errno = saved;
		return -1;
	}
	close(fd);
	/* A directory outside the root (a leaked fd, CVE-2024-21626) makes getcwd fail or say "(unreachable)". */
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)) || buf[0] != '/') {
		snprintf(err, errlen, "Working directory \"%s\" is outside the container", cwd);
		errno = EPERM;
		return -1;
	}
	return 0;
}

static const char *ns_name(uint64_t ns)
{
	switch (ns) {
	case CLONE_NEWNS: return "mnt";
	case CLONE_NEWUTS: return "uts";
	case CLONE_NEWIPC: return "ipc";
	case CLONE_NEWUSER: return "user";
	case CLONE_NEWPID: return "pid";
	case CLONE_NEWNET: return "net";
	case CLONE_NEWCGROUP: return "cgroup";
	default: return "time";
	}
}

static int join_one(const struct plan_join *j, char *err, size_t errlen)
{
	int fd;
	if (j->path)
		fd = open(j->path, O_RDONLY | O_CLOEXEC);
	else
		fd = (int)syscall(SYS_pidfd_open, (pid_t)j->pid, 0);
	if (fd < 0) {
		if (j->path)
			snprintf(err, errlen, "Failed to open the %s namespace \"%s\": %s", ns_name(j->ns), j->path,
				 errno_name(errno));
		else
			snprintf(err, errlen, "Failed to open process %u to join its %s namespace: %s", j->pid, ns_name(j->ns),
				 errno_name(errno));
		return -1;
	}
	int r = setns(fd, (int)j->ns);
	int saved = errno;
	close(fd);
	if (r < 0) {
		if (j->path)
			snprintf(err, errlen, "Failed to join the %s namespace \"%s\": %s", ns_name(j->ns), j->path,
				 errno_name(saved));
		else
			snprintf(err, errlen, "Failed to join the %s namespace of %u: %s", ns_name(j->ns), j->pid,
				 errno_name(saved));
		errno = saved;
	}
	return r;
}

int join_namespaces(const struct plan *p, char *err, size_t errlen)
{
	/* The user namespace first: it grants the capabilities to join the others. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < p->n_joins; i++) {
			const struct plan_join *j = &p->joins[i];
			if ((pass == 0) != (j->ns == CLONE_NEWUSER))
				continue;
			if (join_one(j, err, errlen) < 0)
				return -1;
		}
	return 0;
}
