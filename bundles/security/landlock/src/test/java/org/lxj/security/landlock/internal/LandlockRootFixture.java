package org.lxj.security.landlock.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
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
import org.lxj.storage.dir.internal.DirStorageBackend;

/**
 * The shared set-up of this module's root tests: a {@link Host} per test class (root, the host's static busybox
 * and a kernel with Landlock assumed; a temp base holding a busybox rootfs), then one fixture per test: an lxcpath
 * below the base, a run root {@code /run/<prefix><id>} and a runtime with the dir storage backend, the real launcher
 * and the Landlock contributor. {@link #close} closes the runtime and removes the run root and the lxcpath.
 */
final class LandlockRootFixture implements AutoCloseable {

    /** What a test class shares: the syscalls, the host's Landlock ABI, a temp base and the busybox rootfs in it. */
    record Host(Syscalls sys, int abi, Path base, Path rootfs) implements AutoCloseable {
        /** Assumes root, {@code /bin/busybox} and Landlock; makes {@code /tmp/<prefix>…/rootfs}. */
        static Host open(String prefix) throws IOException {
            assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
            Path busybox = Path.of("/bin/busybox");
            assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
            Syscalls sys = new JnaSyscalls();
            int abi = sys.landlockAbiVersion();
            assumeTrue(abi >= 1, "the kernel has no Landlock");
            Path base = Files.createTempDirectory(Path.of("/tmp"), prefix);
            try {
                return new Host(sys, abi, base, busyboxRootfs(base.resolve("rootfs"), busybox));
            } catch (IOException | RuntimeException e) {
                deleteTree(base);
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            deleteTree(base);
        }
    }

    /** What a command printed and its exit status. */
    record Result(int status, String out, String err) {
    }

    final Host host;
    final Path lxcpath;
    final Path runRoot;
    final RuntimeComponent runtime;

    LandlockRootFixture(Host host, String runPrefix) throws IOException {
        this.host = host;
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(host.base().resolve("lxc-" + id));
        runRoot = Path.of("/run/" + runPrefix + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), host.sys(), new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(host.sys()), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of("landlock"), CgroupLayout.NONE,
                List.of(), false, Set.of(), host.abi()));
        runtime.addContributor(new LandlockContributor());
    }

    /** Defines {@code name} on the busybox rootfs, no network, plus {@code config} lines; runs the script in it. */
    Result execute(String name, String config, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + host.rootfs() + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + config);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        try {
            runtime.close();
        } finally {
            deleteTree(runRoot);
            deleteTree(lxcpath);
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

    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            if (Path.of(line.split(" ")[4].replace("\\040", " ")).startsWith(dir)) {
                System.err.println("teardown: not deleting " + dir + ", a mount remains: " + line);
                return;
            }
        }
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(all::add);
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
