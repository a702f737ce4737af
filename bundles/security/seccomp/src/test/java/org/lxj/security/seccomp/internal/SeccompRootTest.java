package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.Stdio;
import org.lxj.api.config.SystemConfig;
import org.lxj.core.internal.run.RunLayout;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.storage.dir.internal.DirStorageBackend;

/**
 * Real containers (root, real kernel, the real launcher) on a busybox rootfs, started through core's
 * {@code execute} with this bundle's contributor installed: the compiled filter is enforced inside.
 */
class SeccompRootTest {

    static Path base;
    static Path rootfs;
    static Syscalls sys;
    static Optional<LibSeccomp> lib;

    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeAll
    static void rootBusyboxAndLibseccomp() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the host facts below are x86_64's");
        try {
            lib = Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            lib = Optional.empty();
        }
        assumeTrue(lib.isPresent(), "needs libseccomp.so.2 (Debian libseccomp2)");
        sys = new JnaSyscalls();
        base = Files.createTempDirectory(Path.of("/tmp"), "lxj-seccomp-root-");
        rootfs = busyboxRootfs(base.resolve("rootfs"), busybox);
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (base != null) {
            detachMountsUnder(base);
            deleteTree(base);
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(base.resolve("lxc-" + id));
        runRoot = Path.of("/run/lxj-seccomp-test-" + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(sys), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of(), CgroupLayout.NONE, List.of(),
                false, Set.of(), 0));
        runtime.addContributor(new SeccompContributor(() -> 0, List.of(new LibseccompCompiler(sys, lib))));
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            detachMountsUnder(runRoot);
            detachMountsUnder(lxcpath);
            deleteTree(runRoot);
            deleteTree(lxcpath);
        }
    }

    record Result(int status, String out, String err) {
    }

    Result execute(String name, String policy, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Path profile = Files.writeString(dir.resolve("policy.seccomp"), policy);
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed sys:ro\n"
                + "lxc.seccomp.profile = " + profile + "\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void denylistRefusesMkdirWithEpermWhileTouchWorks() throws IOException {
        Result r = execute("deny", "2\ndenylist\n[all]\nmkdir errno 1\n",
                "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?; test -d /tmp/x; echo exists=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\nexists=1\n", r.out(), r.err());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
    }

    @Test
    void dockerProfileIsFlattenedAndEnforced() throws IOException {
        String docker = """
                {
                  "defaultAction": "SCMP_ACT_ALLOW",
                  "archMap": [{"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86"]}],
                  "syscalls": [
                    {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                    {"names": ["rmdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                     "excludes": {"caps": ["CAP_SYS_ADMIN"]}}
                  ]
                }
                """;
        Path gone = Files.createDirectories(rootfs.resolve("tmp/docker-rmdir-" + UUID.randomUUID()));
        Result r = execute("docker", docker, "mkdir /tmp/x; echo mkdir=$?; touch /tmp/y; echo touch=$?; "
                + "rmdir /tmp/" + gone.getFileName() + "; echo rmdir=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("mkdir=1\ntouch=0\nrmdir=0\n", r.out(), "rmdir is left out for a container with CAP_SYS_ADMIN; "
                + "stderr: " + r.err());
        assertTrue(r.err().contains("Operation not permitted"), r.err());
    }

    @Test
    void rejectForceUmountGivesEaccesOnlyForMntForce() throws IOException {
        Result r = execute("umount", "2\ndenylist\nreject_force_umount\n",
                "mount -t tmpfs none /mnt && umount -f /mnt; echo force=$?; umount -l /mnt; echo lazy=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("force=1\nlazy=0\n", r.out(), r.err());
        assertTrue(r.err().contains("Permission denied"), r.err());
    }

    @Test
    void trapDeliversSigsys() throws IOException {
        Result r = execute("trap", "2\ndenylist trap\nmkdir\n", "mkdir /tmp/z; echo status=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("status=159\n", r.out(), "128 + SIGSYS (31); stderr: " + r.err());
    }

    /** What the launcher after the filter, busybox's sh and its applets need; {@code mkdir} is not listed. */
    static final String ALLOWED = String.join("\n", List.of("read", "write", "open", "openat", "close",
            "close_range", "stat", "fstat", "lstat", "newfstatat", "statx", "poll", "ppoll", "lseek", "mmap",
            "mprotect", "munmap", "madvise", "brk", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
            "rt_sigtimedwait", "ioctl", "pread64", "readv", "writev", "access", "faccessat", "faccessat2", "pipe",
            "pipe2", "dup", "dup2", "dup3", "getpid", "getppid", "gettid", "sendmsg", "recvmsg", "sendto", "recvfrom",
            "clone", "clone3", "fork", "vfork", "execve", "exit", "exit_group", "wait4", "waitid", "kill", "tgkill",
            "uname", "fcntl",
            "getdents64", "getcwd", "chdir", "fchdir", "readlink", "readlinkat", "umask", "getrlimit",
            "prlimit64", "setrlimit", "getuid", "getgid", "geteuid", "getegid", "getgroups", "setgroups",
            "setresuid", "setresgid", "setuid", "setgid", "getpgrp", "setpgid", "getpgid", "setsid", "capget",
            "capset", "prctl", "arch_prctl", "set_tid_address", "set_robust_list", "futex", "sigaltstack",
            "clock_gettime", "gettimeofday", "time", "nanosleep", "clock_nanosleep", "getrandom", "rseq",
            "sysinfo", "times", "utimensat", "unlink", "unlinkat", "rmdir", "creat"));

    @Test
    void allowlistTrapDeliversSigsysForAnUnlistedSyscall() throws IOException {
        Result r = execute("allow", "2\nallowlist trap\n[all]\n" + ALLOWED + "\n",
                "touch /tmp/t; echo touch=$?; mkdir /tmp/q; echo mkdir=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("touch=0\nmkdir=159\n", r.out(), "128 + SIGSYS (31); stderr: " + r.err());
    }

    static Path busyboxRootfs(Path root, Path busybox) throws IOException {
        for (String d : List.of("bin", "etc", "proc", "sys", "dev", "tmp", "root", "mnt")) {
            Files.createDirectories(root.resolve(d));
        }
        Files.setPosixFilePermissions(root.resolve("tmp"), PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.copy(busybox, root.resolve("bin/busybox"), StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(root.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Process p = new ProcessBuilder(busybox.toString(), "--list").redirectErrorStream(true).start();
        List<String> applets = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                .map(String::trim).filter(s -> !s.isEmpty() && !s.contains("/") && !s.equals("busybox")).toList();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(busybox + " --list failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        for (String applet : applets) {
            Files.createSymbolicLink(root.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\n");
        return root;
    }

    static List<Path> mountsUnder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            Path p = Path.of(line.split(" ")[4].replace("\\040", " "));
            if (p.startsWith(dir)) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return out;
    }

    static void detachMountsUnder(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        for (Path p : mountsUnder(dir)) {
            try {
                sys.umount2(p.toString(), 2);
            } catch (RuntimeException e) {
                System.err.println("teardown: umount " + p + ": " + e.getMessage());
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        if (!mountsUnder(dir).isEmpty()) {
            System.err.println("teardown: not deleting " + dir + ", mounts remain: " + mountsUnder(dir));
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
    }
}
