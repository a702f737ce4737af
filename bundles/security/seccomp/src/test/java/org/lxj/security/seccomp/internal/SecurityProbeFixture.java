package org.lxj.security.seccomp.internal;

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
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.storage.dir.internal.DirStorageBackend;

/**
 * The shared set-up of this bundle's root tests: real containers (root, real kernel, the real launcher) on one
 * busybox rootfs per test class, run through core's {@code execute} with the contributors a test installs, and a
 * teardown that never crosses into a mount. One instance per class ({@link #open}); one {@link Containers} per test.
 */
final class SecurityProbeFixture {

    /** What a container's {@code /bin/sh -c script} returned and wrote. */
    record Result(int status, String out, String err) {
    }

    private static final int MNT_DETACH = 2;

    final Syscalls sys;
    final Optional<LibSeccomp> lib;
    final Path base;
    final Path rootfs;

    private SecurityProbeFixture(Syscalls sys, Optional<LibSeccomp> lib, Path base, Path rootfs) {
        this.sys = sys;
        this.lib = lib;
        this.base = base;
        this.rootfs = rootfs;
    }

    /** Skips the class unless it runs as root on x86_64 with the host's static busybox; returns that busybox. */
    static Path assumeRootBusyboxX86(String whyX86) {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
        assumeTrue(System.getProperty("os.arch").equals("amd64"), whyX86);
        return busybox;
    }

    /** Loads libseccomp (or skips the class) and makes the busybox rootfs under a new {@code /tmp/<prefix>*}. */
    static SecurityProbeFixture open(Path busybox, String prefix) throws IOException {
        Optional<LibSeccomp> lib;
        try {
            lib = Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            lib = Optional.empty();
        }
        assumeTrue(lib.isPresent(), "needs libseccomp.so.2 (Debian libseccomp2)");
        Syscalls sys = new JnaSyscalls();
        Path base = Files.createTempDirectory(Path.of("/tmp"), prefix);
        return new SecurityProbeFixture(sys, lib, base, busyboxRootfs(base.resolve("rootfs"), busybox));
    }

    /** Skips the class unless the kernel offers seccomp user notification. */
    static void assumeUserNotif() throws IOException {
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/kernel/seccomp/actions_avail"))) {
            assumeTrue(new String(in.readAllBytes(), StandardCharsets.US_ASCII).contains("user_notif"),
                    "needs seccomp user_notif");
        }
    }

    /** The seccomp contributor the tests install: this bundle's, compiling with the loaded libseccomp. */
    SeccompContributor seccomp() {
        return new SeccompContributor(() -> 0, List.of(new LibseccompCompiler(sys, lib)));
    }

    /** Removes the class's tree once nothing is mounted below it. */
    void close() throws IOException {
        detachMountsUnder(base);
        deleteTree(base);
    }

    /**
     * A runtime with the dir backend, the native launcher, x86_64 host facts without LSMs and {@code contributors},
     * its containers under a fresh lxcpath and run root {@code /run/<runPrefix><id>}.
     */
    Containers containers(String runPrefix, LaunchContributor... contributors) throws IOException {
        return new Containers(runPrefix, contributors);
    }

    /** One test's runtime, lxcpath and run root; {@link #close} stops it and removes both trees. */
    final class Containers implements AutoCloseable {
        final Path lxcpath;
        final Path runRoot;
        final RuntimeComponent runtime;

        private Containers(String runPrefix, LaunchContributor... contributors) throws IOException {
            String id = UUID.randomUUID().toString().substring(0, 8);
            lxcpath = Files.createDirectories(base.resolve("lxc-" + id));
            runRoot = Path.of("/run/" + runPrefix + id);
            runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
            try {
                runtime.addStorageBackend(new DirStorageBackend(sys), 0);
                runtime.setLauncher(new NativeLauncher());
                runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of(), CgroupLayout.NONE,
                        List.of(), false, Set.of(), 0));
                for (LaunchContributor c : contributors) {
                    runtime.addContributor(c);
                }
            } catch (RuntimeException e) {
                try {
                    close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        }

        /** Writes {@code text} to {@code file} in container {@code name}'s directory. */
        Path write(String name, String file, String text) throws IOException {
            return Files.writeString(Files.createDirectories(lxcpath.resolve(name)).resolve(file), text);
        }

        /**
         * Runs {@code /bin/sh -c script} in container {@code name}: the busybox rootfs, its name as hostname, an
         * empty network, {@code proc:mixed sys:ro}, then the lines of {@code keys}.
         */
        Result execute(String name, String keys, String script) throws IOException {
            write(name, "config", "lxc.rootfs.path = dir:" + rootfs + "\n"
                    + "lxc.uts.name = " + name + "\n"
                    + "lxc.net.0.type = empty\n"
                    + "lxc.mount.auto = proc:mixed sys:ro\n"
                    + keys);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script),
                    Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                    new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }

        @Override
        public void close() throws IOException {
            try {
                runtime.close();
            } finally {
                detachMountsUnder(runRoot);
                detachMountsUnder(lxcpath);
                deleteTree(runRoot);
                deleteTree(lxcpath);
            }
        }
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

    /** Mount points at or below {@code dir} in this process's mount namespace, deepest first. */
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

    void detachMountsUnder(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        for (Path p : mountsUnder(dir)) {
            try {
                sys.umount2(p.toString(), MNT_DETACH);
            } catch (RuntimeException e) {
                System.err.println("teardown: umount " + p + ": " + e.getMessage());
            }
        }
    }

    /** Deletes a tree, refusing to descend when something is still mounted below it. */
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
