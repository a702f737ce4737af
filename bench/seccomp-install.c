/*
 * What installing a seccomp filter costs the kernel, as the launcher does it before exec: prctl(NO_NEW_PRIVS)
 * and seccomp(SET_MODE_FILTER), timed in ROUNDS fresh forked children (a filter cannot be removed, and each
 * start installs into a new process). Usage: seccomp-install FILE.bpf ROUNDS. Prints the median and p90.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int by_value(const void *a, const void *b) {
    long x = *(const long *) a;
    long y = *(const long *) b;
    return x < y ? -1 : x > y;
}

static long install_ns(const struct sock_fprog *prog) {
    int fds[2];
    long ns = -1;
    pid_t pid;

    if (pipe(fds) != 0) {
        perror("pipe");
        exit(1);
    }
    pid = fork();
    if (pid == 0) {
        struct timespec a, b;
        long d;
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0) {
            _exit(1);
        }
        clock_gettime(CLOCK_MONOTONIC, &b);
        d = (b.tv_sec - a.tv_sec) * 1000000000L + (b.tv_nsec - a.tv_nsec);
        _exit(write(fds[1], &d, sizeof d) == sizeof d ? 0 : 1);
    }
    close(fds[1]);
    if (read(fds[0], &ns, sizeof ns) != sizeof ns) {
        ns = -1;
    }
    close(fds[0]);
    waitpid(pid, NULL, 0);
    return ns;
}

int main(int argc, char **argv) {
    static unsigned char program[1 << 16];
    struct sock_fprog prog;
    long *ns;
    int rounds;
    ssize_t n;
    int fd;

    if (argc != 3 || (rounds = atoi(argv[2])) < 1) {
        fprintf(stderr, "usage: %s FILE.bpf ROUNDS\n", argv[0]);
        return 2;
    }
    fd = open(argv[1], O_RDONLY);
    n = fd < 0 ? -1 : read(fd, program, sizeof program);
    if (n <= 0 || n % 8 != 0) {
        fprintf(stderr, "cannot read a BPF program from %s\n", argv[1]);
        return 2;
    }
    close(fd);
    prog.len = (unsigned short) (n / 8);
    prog.filter = (struct sock_filter *) program;
    ns = calloc(rounds, sizeof *ns);
    for (int i = 0; i < rounds; i++) {
        if ((ns[i] = install_ns(&prog)) < 0) {
            fprintf(stderr, "installing %s failed\n", argv[1]);
            return 1;
        }
    }
    qsort(ns, rounds, sizeof *ns, by_value);
    printf("%-20s %5zd instructions  median %7.1f us  p90 %7.1f us\n", argv[1], n / 8, ns[rounds / 2] / 1000.0,
           ns[rounds * 9 / 10] / 1000.0);
    free(ns);
    return 0;
}
