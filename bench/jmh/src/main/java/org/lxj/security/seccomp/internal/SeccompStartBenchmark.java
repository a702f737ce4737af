package org.lxj.security.seccomp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.plan.LaunchRequest;
import org.lxj.core.internal.plan.PlanAssembler;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.internal.PlanEncoder;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.namespace.internal.NamespaceComponent;
import org.lxj.security.caps.internal.CapsContributor;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What seccomp adds to a start after the first: the busybox template's config with and without
 * {@code lxc.seccomp.profile}, assembled (the contributor reads the policy file, hashes it and hits the compiler's
 * cache) and encoded for the launcher (the BPF program travels in the plan). The first start's libseccomp compile
 * happens in the setup, as the first start of a running daemon pays it. This class sits in the seccomp bundle's
 * internal package so it can build the contributor with its compiler the way DS injects it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SeccompStartBenchmark {

    private static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of("proc", "sysfs", "tmpfs",
            "devpts", "mqueue", "cgroup", "cgroup2"), List.of(), CgroupLayout.HYBRID,
            List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory")),
                    new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of())),
            false, Set.of("kill_process", "kill_thread", "trap", "errno", "user_notif", "trace", "log", "allow"), 0);

    /** LXC's common.seccomp, the denylist containers from LXC's common.conf get. */
    static final String COMMON = "2\ndenylist\nreject_force_umount  # comment this to allow umount -f;  not recommended\n"
            + "[all]\nkexec_load errno 1\nopen_by_handle_at errno 1\ninit_module errno 1\nfinit_module errno 1\n"
            + "delete_module errno 1\n";

    /** An allowlist of the syscalls busybox's shell and applets need, about a hundred names. */
    static final String ALLOWLIST = "2\nallowlist errno 38\n[all]\n" + String.join("\n", List.of("read", "write",
            "open", "openat", "close", "close_range", "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "ppoll",
            "lseek", "mmap", "mprotect", "munmap", "madvise", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn",
            "rt_sigsuspend", "rt_sigtimedwait", "ioctl", "pread64", "readv", "writev", "access", "faccessat",
            "faccessat2", "pipe", "pipe2", "dup", "dup2", "dup3", "getpid", "getppid", "gettid", "sendmsg", "recvmsg",
            "sendto", "recvfrom", "clone", "clone3", "fork", "vfork", "execve", "exit", "exit_group", "wait4",
            "waitid", "kill", "tgkill", "uname", "fcntl", "getdents64", "getcwd", "chdir", "fchdir", "readlink",
            "readlinkat", "umask", "getrlimit", "prlimit64", "setrlimit", "getuid", "getgid", "geteuid", "getegid",
            "getgroups", "setgroups", "setresuid", "setresgid", "setuid", "setgid", "getpgrp", "setpgid", "getpgid",
            "setsid", "capget", "capset", "prctl", "arch_prctl", "set_tid_address", "set_robust_list", "futex",
            "sigaltstack", "clock_gettime", "gettimeofday", "time", "nanosleep", "clock_nanosleep", "getrandom",
            "rseq", "sysinfo", "times", "utimensat", "unlink", "unlinkat", "rmdir", "creat")) + "\n";

    @Param({"common", "allowlist"})
    public String policy;

    private Path dir;
    private ContainerContext without;
    private ContainerContext with;
    private List<LaunchContributor> plain;
    private List<LaunchContributor> secured;
    private SeccompContributor seccomp;
    private LibseccompCompiler compiler;
    private LaunchPlan planWithout;
    private LaunchPlan planWith;
    private final LaunchOptions options = new LaunchOptions("b1", false);

    @Setup(Level.Trial)
    public void setUp() throws IOException, LaunchException {
        dir = Files.createTempDirectory("lxj-jmh-seccomp");
        Path rootfs = Files.createDirectories(dir.resolve("b1/rootfs"));
        for (String d : List.of("lib", "usr/lib", "lib64", "proc", "sys", "dev", "sbin")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        String text;
        try (InputStream in = SeccompStartBenchmark.class.getResourceAsStream("/busybox.conf")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("@ROOTFS@", rootfs.toString());
        }
        Path profile = Files.writeString(dir.resolve("b1/policy.seccomp"), policy.equals("common") ? COMMON : ALLOWLIST);
        without = context(rootfs, dir.resolve("b1/config"), text);
        with = context(rootfs, dir.resolve("b1/config-seccomp"), text + "lxc.seccomp.profile = " + profile + "\n");
        compiler = new LibseccompCompiler(new JnaSyscalls());
        if (!compiler.detect(HOST).available()) {
            throw new IllegalStateException("libseccomp.so.2 is not loadable: " + compiler.detect(HOST).reason());
        }
        seccomp = new SeccompContributor(() -> 0, List.of(compiler));
        plain = List.of(new NamespaceComponent(), new CapsContributor());
        secured = List.of(new NamespaceComponent(), new CapsContributor(), seccomp);
        planWithout = PlanAssembler.assemble(without, LaunchRequest.start(), plain);
        planWith = PlanAssembler.assemble(with, LaunchRequest.start(), secured);
        if (planWith.seccomp().isEmpty() || compiler.compiles() != 1) {
            throw new IllegalStateException("the seccomp plan has no program or the compiler ran "
                    + compiler.compiles() + " times");
        }
    }

    private ContainerContext context(Path rootfs, Path file, String text) throws IOException {
        Files.writeString(file, text);
        ContainerConfig config = new ConfigParser().parse(file);
        return new ContainerContext("b1", dir, config, dir.resolve("run/b1"), rootfs, HOST);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        // one compile for the assembled plan, one for the contributor alone (no capability sets): every other
        // start was a cache hit
        if (compiler.compiles() > 2) {
            throw new IllegalStateException("the compiler ran " + compiler.compiles() + " times: a start missed the cache");
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** The seccomp contributor alone: read the policy file, hash it, take the program from the cache. */
    @Benchmark
    public LaunchPlan.Builder seccompContribute() {
        LaunchPlan.Builder b = LaunchPlan.builder();
        seccomp.contribute(with, b);
        return b;
    }

    /** Assemble and encode without seccomp: the baseline of a start's Java work after parsing. */
    @Benchmark
    public byte[] assembleEncodeWithout() throws LaunchException {
        return PlanEncoder.encode(PlanAssembler.assemble(without, LaunchRequest.start(), plain), without.runDir(),
                options);
    }

    /** The same with {@code lxc.seccomp.profile}: the difference to the baseline is what seccomp adds. */
    @Benchmark
    public byte[] assembleEncodeWith() throws LaunchException {
        return PlanEncoder.encode(PlanAssembler.assemble(with, LaunchRequest.start(), secured), with.runDir(),
                options);
    }

    /** Encoding only, with the program in the plan. */
    @Benchmark
    public byte[] encodeWith() throws LaunchException {
        return PlanEncoder.encode(planWith, with.runDir(), options);
    }

    /** Encoding only, without a program. */
    @Benchmark
    public byte[] encodeWithout() throws LaunchException {
        return PlanEncoder.encode(planWithout, without.runDir(), options);
    }
}
