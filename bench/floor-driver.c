/*
 * floor-driver.c - bench/floor.sh's driver: one container start with no JVM at all.
 *
 *   floor-driver start LAUNCHER OPS PLAN [cgroups] [spare] [warm]
 *       Replays one start as the runtime does it, from OPS (the runtime's file system steps of one start,
 *       captured by floor.sh) and PLAN (the PLAN frame the runtime sent): the run directory and, with
 *       "cgroups", every cgroup directory and setting; the launcher spawned from a sealed memfd image as
 *       NativeLauncher does (fd 3 a SOCK_SEQPACKET socketpair, empty environment), or with "spare" a spare
 *       launcher spawned before the clock starts that gets the plan with its stdio as SCM_RIGHTS; CREATED;
 *       with "cgroups" the monitor placed in its cgroups; START; STARTED; the monitor's exit (this process is
 *       a child subreaper, so the monitor is its descendant); then the cgroups and the run directory removed.
 *       With "warm", a thread keeps the kernel's cgroup migration barrier open, as core's MigrationWarmer does:
 *       it moves itself into the pids cgroup it is already in every 2 ms, from 20 ms before the first step (a
 *       barrier that is always warm) until the monitor is placed.
 *       Prints microseconds: the first step to the last, then its phases: the directories and settings before
 *       the plan; plan (with a fresh launcher: its spawn) to CREATED; the monitor's placement; START to STARTED;
 *       STARTED to the monitor's exit; the removals.
 *   floor-driver noop
 *       Exits 0 at once: the cost of starting a small static program, as a native client would.
 *   floor-driver probe IDLE_MS
 *       The cgroup v1 migration barrier: makes a fresh pids cgroup, stays idle IDLE_MS, writes its own pid to
 *       the new cgroup.procs (timed), then back to the cgroup it came from (timed), and removes the cgroup.
 *       Prints the two times in microseconds.
 * Exit 0 on success; 1 with a message on stderr otherwise (the start's state is cleaned up either way).
 */
#define _GNU_SOURCE
#include "protocol.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_OPS 256
#define CG "/sys/fs/cgroup/"

enum kind { MKDIR, WRITE, PLAN, PLACE, START, RMDIR };
struct op {
	enum kind kind;
	char *path;
	char *data; /* WRITE: the bytes, decoded from hex */
	size_t len;
};

static struct op ops[MAX_OPS];
static int n_ops;
static int with_cgroups;

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("floor-driver: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static atomic_int warm_stop;

/* Moves its own thread into the pids cgroup it is in, every 2 ms until told to stop (MigrationWarmer's trick). */
static void *warmer(void *tasks_path)
{
	int fd = open(tasks_path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("Failed to open \"%s\": %s", (char *)tasks_path, strerror(errno));
	char tid[16];
	int n = snprintf(tid, sizeof(tid), "%ld", (long)syscall(SYS_gettid));
	struct timespec period = { 0, 2 * 1000 * 1000 };
	while (!atomic_load(&warm_stop)) {
		if (pwrite(fd, tid, (size_t)n, 0) < 0)
			die("Failed to write \"%s\": %s", (char *)tasks_path, strerror(errno));
		nanosleep(&period, NULL);
	}
	close(fd);
	return NULL;
}

/* The cgroup.procs (or, with "tasks", the tasks file) of this process's v1 pids cgroup. */
static void own_pids_file(const char *file, char *out, size_t cap)
{
	char line[4096];
	FILE *f = fopen("/proc/self/cgroup", "r");
	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		if (c2 && strncmp(c1 + 1, "pids:", 5) == 0) {
			c2[strcspn(c2, "\n")] = 0;
			snprintf(out, cap, CG "pids%s/%s", strcmp(c2 + 1, "/") ? c2 + 1 : "", file);
		}
	}
	if (f)
		fclose(f);
	if (!out[0])
		die("No v1 pids hierarchy in /proc/self/cgroup");
}

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static int is_cgroup(const char *path)
{
	return strncmp(path, CG, strlen(CG)) == 0;
}

static void read_ops(const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f)
		die("Failed to open \"%s\": %s", file, strerror(errno));
	char line[8192];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = 0;
		if (n_ops == MAX_OPS)
			die("Too many steps in \"%s\"", file);
		struct op *o = &ops[n_ops++];
		char *word = strtok(line, " "), *path = strtok(NULL, " "), *hex = strtok(NULL, " ");
		if (!word)
			die("Empty line in \"%s\"", file);
		o->path = path ? strdup(path) : NULL;
		if (strcmp(word, "mkdir") == 0)
			o->kind = MKDIR;
		else if (strcmp(word, "rmdir") == 0)
			o->kind = RMDIR;
		else if (strcmp(word, "place") == 0)
			o->kind = PLACE;
		else if (strcmp(word, "plan") == 0)
			o->kind = PLAN;
		else if (strcmp(word, "start") == 0)
			o->kind = START;
		else if (strcmp(word, "write") == 0 && hex) {
			o->kind = WRITE;
			o->len = strlen(hex) / 2;
			o->data = malloc(o->len + 1);
			for (size_t i = 0; i < o->len; i++)
				sscanf(hex + 2 * i, "%2hhx", (unsigned char *)&o->data[i]);
		} else
			die("Unknown step \"%s\" in \"%s\"", word, file);
		if (o->kind != PLAN && o->kind != START && !o->path)
			die("Step \"%s\" without a path in \"%s\"", word, file);
	}
	fclose(f);
}

static void *read_file(const char *file, size_t *len)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0)
		die("Failed to open \"%s\": %s", file, strerror(errno));
	void *buf = malloc((size_t)st.st_size);
	if (read(fd, buf, (size_t)st.st_size) != st.st_size)
		die("Failed to read \"%s\"", file);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

static int write_text(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t w = write(fd, data, len);
	int saved = errno;
	close(fd);
	errno = saved;
	return w == (ssize_t)len ? 0 : -1;
}

/* rmdir, after unlinking the files a run directory holds; a cgroup still busy with a dying task is retried */
static int remove_dir(const char *path)
{
	if (!is_cgroup(path)) {
		DIR *d = opendir(path);
		if (d) {
			struct dirent *e;
			while ((e = readdir(d)))
				if (e->d_type != DT_DIR)
					unlinkat(dirfd(d), e->d_name, 0);
			closedir(d);
		}
	}
	for (int i = 0; i < 200; i++) {
		if (rmdir(path) == 0 || errno == ENOENT)
			return 0;
		if (errno != EBUSY)
			return -1;
		usleep(500);
	}
	return -1;
}

static int applies(const struct op *o)
{
	return with_cgroups || !is_cgroup(o->path);
}

/* Undo after a failed step: the directories this start made (and did not remove yet), newest first. */
static void cleanup(int failed)
{
	for (int i = failed - 1; i >= 0; i--)
		if (ops[i].kind == MKDIR && applies(&ops[i]))
			remove_dir(ops[i].path);
}

static int send_frame(int fd, uint16_t type, const void *payload, uint32_t len, const int *fds, int nfds)
{
	uint8_t hdr[8];
	memcpy(hdr, &type, 2);
	memset(hdr + 2, 0, 2);
	memcpy(hdr + 4, &len, 4);
	struct iovec iov[2] = { { hdr, 8 }, { (void *)payload, len } };
	char cbuf[CMSG_SPACE(3 * sizeof(int))];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };
	if (nfds) {
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(nfds * sizeof(int));
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfds * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfds * sizeof(int));
	}
	return sendmsg(fd, &mh, MSG_NOSIGNAL) < 0 ? -1 : 0;
}

/* Receives one frame; returns its type and the value of u32 attribute want (0 when absent). */
static int recv_frame(int fd, uint16_t want, uint32_t *value)
{
	static uint8_t buf[LXJ_MAX_MESSAGE];
	ssize_t n;
	do
		n = recv(fd, buf, sizeof(buf), 0);
	while (n < 0 && errno == EINTR);
	if (n < 8)
		return -1;
	uint16_t type;
	uint32_t len;
	memcpy(&type, buf, 2);
	memcpy(&len, buf + 4, 4);
	*value = 0;
	for (size_t off = 8; off + 8 <= (size_t)n && off < 8 + (size_t)len;) {
		uint16_t at;
		uint32_t al;
		memcpy(&at, buf + off, 2);
		memcpy(&al, buf + off + 4, 4);
		if (off + 8 + al > (size_t)n)
			break;
		if (type == LXJ_MSG_ERROR && at == LXJ_ERR_MESSAGE)
			fprintf(stderr, "floor-driver: the launcher reports: %.*s\n", (int)al, (char *)buf + off + 8);
		if (at == want && al == 4)
			memcpy(value, buf + off + 8, 4);
		off += 8 + al;
	}
	return type;
}

/* The launcher image as NativeLauncher makes it: a sealed memfd copy of the binary. */
static int sealed_image(const char *launcher)
{
	int src = open(launcher, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (src < 0 || fstat(src, &st) < 0)
		die("Failed to open the launcher \"%s\": %s", launcher, strerror(errno));
	int mfd = memfd_create("lxj-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING | 0x0010U /* MFD_EXEC */);
	if (mfd < 0)
		mfd = memfd_create("lxj-launcher", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (mfd < 0)
		die("Failed to create a memfd: %s", strerror(errno));
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = sendfile(mfd, src, NULL, (size_t)(st.st_size - done));
		if (n <= 0)
			die("Failed to copy the launcher: %s", strerror(errno));
		done += n;
	}
	close(src);
	if (fcntl(mfd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		die("Failed to seal the launcher image: %s", strerror(errno));
	return mfd;
}

/* Spawns the image with fd 3 = our end's peer, 0-2 = /dev/null; returns our end of the socketpair. */
static int spawn_launcher(int image, int devnull, int spare, pid_t *pid)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		die("Failed to create the control socket: %s", strerror(errno));
	char exe[64];
	snprintf(exe, sizeof(exe), "/proc/%d/fd/%d", (int)getpid(), image);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	for (int i = 0; i < 3; i++)
		posix_spawn_file_actions_adddup2(&fa, devnull, i);
	posix_spawn_file_actions_adddup2(&fa, sv[1], 3);
	posix_spawnattr_t sa;
	posix_spawnattr_init(&sa);
	sigset_t all, none;
	sigfillset(&all);
	sigemptyset(&none);
	posix_spawnattr_setsigdefault(&sa, &all);
	posix_spawnattr_setsigmask(&sa, &none);
	posix_spawnattr_setflags(&sa, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	char *argv[] = { "lxj-launcher", spare ? "spare" : NULL, NULL };
	char *envp[] = { NULL };
	int rc = posix_spawn(pid, exe, &fa, &sa, argv, envp);
	if (rc != 0)
		die("Failed to spawn the launcher: %s", strerror(rc));
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	close(sv[1]);
	return sv[0];
}

static int start(const char *launcher, const char *opsfile, const char *planfile, int spare, int warm)
{
	read_ops(opsfile);
	size_t plan_len;
	uint8_t *plan = read_file(planfile, &plan_len);
	if (plan_len < 8)
		die("\"%s\" holds no frame", planfile);
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die("Failed to become a child subreaper: %s", strerror(errno));
	int image = sealed_image(launcher);
	int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);
	int ctl = -1;
	pid_t first;
	if (spare) { /* made ahead, as the runtime does after each start: not part of the start */
		ctl = spawn_launcher(image, devnull, 1, &first);
		waitpid(first, NULL, 0);
		struct timespec settle = { 0, 10 * 1000 * 1000 };
		nanosleep(&settle, NULL);
	}
	pthread_t warm_thread;
	static char tasks[4200];
	if (warm) {
		own_pids_file("tasks", tasks, sizeof(tasks));
		if (pthread_create(&warm_thread, NULL, warmer, tasks) != 0)
			die("Failed to start the warmer thread");
		struct timespec lead = { 0, 20 * 1000 * 1000 };
		nanosleep(&lead, NULL);
	}
	uint64_t t0 = now_us(), t_plan = 0, t_created = 0, t_start = 0, t_started = 0, t_exited = 0;
	int i, ok = 0;
	pid_t monitor = 0;
	uint32_t v;
	for (i = 0; i < n_ops; i++) {
		struct op *o = &ops[i];
		if (o->kind == MKDIR && applies(o)) {
			if (mkdir(o->path, is_cgroup(o->path) ? 0755 : 0700) < 0) {
				fprintf(stderr, "floor-driver: Failed to create \"%s\": %s\n", o->path, strerror(errno));
				break;
			}
		} else if (o->kind == WRITE && with_cgroups) {
			if (write_text(o->path, o->data, o->len) < 0) {
				fprintf(stderr, "floor-driver: Failed to write \"%s\": %s\n", o->path, strerror(errno));
				break;
			}
		} else if (o->kind == PLAN) {
			t_plan = now_us();
			if (!spare)
				ctl = spawn_launcher(image, devnull, 0, &first);
			int fds[3] = { devnull, devnull, devnull };
			uint32_t len;
			memcpy(&len, plan + 4, 4);
			if (len + 8 != plan_len || send_frame(ctl, LXJ_MSG_PLAN, plan + 8, len, fds, spare ? 3 : 0) < 0) {
				fprintf(stderr, "floor-driver: Failed to send the plan: %s\n", strerror(errno));
				break;
			}
			/* CLONED (the pids, at once) comes first; the daemon records the container on it meanwhile */
			int t = recv_frame(ctl, LXJ_REPLY_MONITOR_PID, &v);
			if (t == LXJ_MSG_CLONED)
				t = recv_frame(ctl, LXJ_REPLY_MONITOR_PID, &v);
			if (t != LXJ_MSG_CREATED) {
				fprintf(stderr, "floor-driver: No CREATED from the launcher\n");
				break;
			}
			monitor = (pid_t)v;
			t_created = now_us();
		} else if (o->kind == PLACE && with_cgroups) {
			char pid[16];
			int n = snprintf(pid, sizeof(pid), "%d", (int)monitor);
			/* the daemon moves its monitor off the start's path, after READY: captured after START, the move
			 * finds the monitor of /bin/true gone (ESRCH), and an exited monitor needs no move */
			if (write_text(o->path, pid, (size_t)n) < 0 && errno != ESRCH) {
				fprintf(stderr, "floor-driver: Failed to move %d into \"%s\": %s\n", (int)monitor, o->path,
					strerror(errno));
				break;
			}
		} else if (o->kind == START) {
			if (warm && !atomic_exchange(&warm_stop, 1))
				pthread_join(warm_thread, NULL); /* the last move of the start is done */
			t_start = now_us();
			if (send_frame(ctl, LXJ_MSG_START, NULL, 0, NULL, 0) < 0 ||
			    recv_frame(ctl, LXJ_REPLY_MONITOR_PID, &v) != LXJ_MSG_STARTED) {
				fprintf(stderr, "floor-driver: No STARTED from the launcher\n");
				break;
			}
			t_started = now_us();
			close(ctl);
			ctl = -1;
			/* the container runs /bin/true: wait for its monitor (and reap the launcher's first process) */
			pid_t got;
			int status = 0;
			while ((got = waitpid(-1, &status, 0)) != monitor)
				if (got < 0) {
					fprintf(stderr, "floor-driver: Lost the monitor %d: %s\n", (int)monitor, strerror(errno));
					break;
				}
			if (got != monitor || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "floor-driver: The monitor ended with status 0x%x\n", status);
				break;
			}
			t_exited = now_us();
		} else if (o->kind == RMDIR && applies(o)) {
			if (remove_dir(o->path) < 0) {
				fprintf(stderr, "floor-driver: Failed to remove \"%s\": %s\n", o->path, strerror(errno));
				break;
			}
		}
	}
	ok = i == n_ops;
	uint64_t t1 = now_us();
	if (warm && !atomic_exchange(&warm_stop, 1))
		pthread_join(warm_thread, NULL);
	if (ctl >= 0)
		close(ctl); /* EOF before START: the monitor kills init and leaves */
	while (waitpid(-1, NULL, 0) > 0)
		;
	if (!ok)
		cleanup(i);
	else
		printf("%llu %llu %llu %llu %llu %llu %llu\n", (unsigned long long)(t1 - t0),
		       (unsigned long long)(t_plan - t0), (unsigned long long)(t_created - t_plan),
		       (unsigned long long)(t_start - t_created), (unsigned long long)(t_started - t_start),
		       (unsigned long long)(t_exited - t_started), (unsigned long long)(t1 - t_exited));
	return ok ? 0 : 1;
}

static int probe(int idle_ms)
{
	char home[4200], fresh[128];
	own_pids_file("cgroup.procs", home, sizeof(home));
	snprintf(fresh, sizeof(fresh), CG "pids/lxjfloor-probe.%d", (int)getpid());
	if (mkdir(fresh, 0755) < 0)
		die("Failed to create \"%s\": %s", fresh, strerror(errno));
	char procs[160], pid[16];
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", fresh);
	int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	struct timespec idle = { idle_ms / 1000, (long)(idle_ms % 1000) * 1000000L };
	nanosleep(&idle, NULL);
	uint64_t t0 = now_us();
	int r1 = write_text(procs, pid, (size_t)n);
	uint64_t t1 = now_us();
	int r2 = write_text(home, pid, (size_t)n);
	uint64_t t2 = now_us();
	int e = errno;
	rmdir(fresh);
	if (r1 < 0 || r2 < 0)
		die("Failed to move %s between \"%s\" and \"%s\": %s", pid, procs, home, strerror(e));
	printf("%llu %llu\n", (unsigned long long)(t1 - t0), (unsigned long long)(t2 - t1));
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && strcmp(argv[1], "start") == 0) {
		int spare = 0, warm = 0;
		for (int i = 5; i < argc; i++) {
			if (strcmp(argv[i], "cgroups") == 0)
				with_cgroups = 1;
			else if (strcmp(argv[i], "spare") == 0)
				spare = 1;
			else if (strcmp(argv[i], "warm") == 0)
				warm = 1;
			else
				die("Unknown option \"%s\"", argv[i]);
		}
		return start(argv[2], argv[3], argv[4], spare, warm);
	}
	if (argc == 2 && strcmp(argv[1], "noop") == 0)
		return 0;
	if (argc == 3 && strcmp(argv[1], "probe") == 0)
		return probe(atoi(argv[2]));
	fprintf(stderr, "usage: floor-driver start LAUNCHER OPS PLAN [cgroups] [spare] [warm] | noop | probe IDLE_MS\n");
	return 2;
}
