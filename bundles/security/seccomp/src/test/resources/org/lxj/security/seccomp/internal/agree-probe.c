/*
 * Runs syscalls under a seccomp filter loaded into the kernel, one forked child per call, and prints what
 * the kernel did with each. Usage: agree-probe FILTER|- ROW...; FILTER holds struct sock_filter entries
 * ("-": no filter, the baseline); a ROW is ABI:NR[:A0,A1,...] with ABI 64 (syscall), x32 (NR | 0x40000000)
 * or 32 (int $0x80, up to 5 arguments). Prints "ROW OUTCOME" a line, OUTCOME one of ok, errno=N, trap (the
 * SIGSYS handler ran), signal=N (the child was killed) or load=N (installing the filter failed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int out_fd = -1;

static void on_sigsys(int sig, siginfo_t *si, void *ctx) {
    (void) sig; (void) si; (void) ctx;
    (void) !write(out_fd, "trap", 4);
    _exit(0);
}

static long call32(long nr, unsigned long a, unsigned long b, unsigned long c, unsigned long d, unsigned long e) {
    long r;
    __asm__ volatile("int $0x80"
                     : "=a"(r)
                     : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                     : "memory", "cc", "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15");
    return r;
}

static void child(const struct sock_fprog *prog, const char *abi, long nr, const unsigned long *a, int fd) {
    char buf[64];
    int n;
    long r;
    int err = 0;
    struct rlimit none = {0, 0};
    struct sigaction sa;

    out_fd = fd;
    setrlimit(RLIMIT_CORE, &none); /* KILL_PROCESS dumps core: not here */
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_sigsys;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSYS, &sa, NULL);
    if (prog != NULL) {
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0) {
            n = snprintf(buf, sizeof buf, "load=%d", errno);
            (void) !write(fd, buf, n);
            _exit(3);
        }
    }
    if (strcmp(abi, "32") == 0) {
        int v = (int) call32(nr, a[0] & 0xffffffffUL, a[1] & 0xffffffffUL, a[2] & 0xffffffffUL,
                             a[3] & 0xffffffffUL, a[4] & 0xffffffffUL);
        r = v;
        if (v < 0 && v > -4096) {
            err = -v;
            r = -1;
        }
    } else {
        long number = strcmp(abi, "x32") == 0 ? (nr | 0x40000000L) : nr;
        r = syscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
        err = r == -1 ? errno : 0;
    }
    n = r == -1 ? snprintf(buf, sizeof buf, "errno=%d", err) : snprintf(buf, sizeof buf, "ok");
    (void) !write(fd, buf, n);
    _exit(0);
}

static int run(const struct sock_fprog *prog, const char *row) {
    char abi[8];
    unsigned long a[6] = {0, 0, 0, 0, 0, 0};
    char *end;
    const char *p = strchr(row, ':');
    long nr;
    int fds[2];
    int status;
    char got[64];
    ssize_t len;
    pid_t pid;

    if (p == NULL || p - row >= (long) sizeof abi) {
        fprintf(stderr, "bad row %s\n", row);
        return -1;
    }
    memcpy(abi, row, p - row);
    abi[p - row] = 0;
    nr = strtol(p + 1, &end, 0);
    for (int i = 0; *end == ':' || *end == ','; i++) {
        if (i == 6) {
            fprintf(stderr, "more than 6 arguments in %s\n", row);
            return -1;
        }
        a[i] = strtoul(end + 1, &end, 0);
    }
    if (*end != 0) {
        fprintf(stderr, "bad row %s\n", row);
        return -1;
    }
    if (pipe2(fds, O_CLOEXEC) != 0) {
        perror("pipe2");
        return -1;
    }
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("fork");
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        child(prog, abi, nr, a, fds[1]);
    }
    close(fds[1]);
    len = read(fds[0], got, sizeof got - 1);
    close(fds[0]);
    got[len > 0 ? len : 0] = 0;
    if (waitpid(pid, &status, 0) != pid) {
        perror("waitpid");
        return -1;
    }
    if (WIFSIGNALED(status)) {
        printf("%s signal=%d\n", row, WTERMSIG(status));
    } else {
        printf("%s %s\n", row, got);
    }
    return 0;
}

int main(int argc, char **argv) {
    static unsigned char program[65536];
    struct sock_fprog prog;
    const struct sock_fprog *use = NULL;

    if (argc < 2) {
        fprintf(stderr, "usage: %s FILTER|- ROW...\n", argv[0]);
        return 2;
    }
    if (strcmp(argv[1], "-") != 0) {
        int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, program, sizeof program);
        if (n <= 0 || n % 8 != 0 || n == (ssize_t) sizeof program) {
            fprintf(stderr, "cannot read a BPF program from %s\n", argv[1]);
            return 2;
        }
        close(fd);
        prog.len = (unsigned short) (n / 8);
        prog.filter = (struct sock_filter *) program;
        use = &prog;
    }
    for (int i = 2; i < argc; i++) {
        if (run(use, argv[i]) != 0) {
            return 2;
        }
    }
    return 0;
}
