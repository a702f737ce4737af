package org.lxj.security.landlock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * Real containers (root, the real launcher, core's execute with this contributor installed) on a busybox
 * rootfs: the ruleset is enforced inside, denying what it does not allow.
 */
class LandlockRootTest {

    static Path base;
    static Path rootfs;
    static Syscalls sys;
    static int abi;

    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeAll
    static void rootBusyboxAndLandlock() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: containers are privileged");
        Path busybox = Path.of("/bin/busybox");
        assumeTrue(Files.isRegularFile(busybox), "needs /bin/busybox (Debian busybox-static)");
        sys = new JnaSyscalls();
        abi = sys.landlockAbiVersion();
        assumeTrue(abi >= 1, "the kernel has no Landlock");
        base = Files.createTempDirectory(Path.of("/tmp"), "lxj-landlock-root-");
        rootfs = busyboxRootfs(base.resolve("rootfs"), busybox);
    }

    @AfterAll
    static void removeBase() throws IOException {
        deleteTree(base);
    }

    @BeforeEach
    void setUp() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(base.resolve("lxc-" + id));
        runRoot = Path.of("/run/lxj-landlock-test-" + id);
        runtime = new RuntimeComponent(SystemConfig.defaults(), sys, new RunLayout(runRoot));
        runtime.addStorageBackend(new DirStorageBackend(sys), 0);
        runtime.setLauncher(new NativeLauncher());
        runtime.setHostFacts(new HostFacts("test", "x86_64", Set.of(), List.of("landlock"), CgroupLayout.NONE,
                List.of(), false, Set.of(), abi));
        runtime.addContributor(new LandlockContributor());
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            if (runtime != null) {
                runtime.close();
            }
        } finally {
            deleteTree(runRoot);
            deleteTree(lxcpath);
        }
    }

    record Result(int status, String out, String err) {
    }

    Result execute(String name, String landlock, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.autodev = 0\n"
                + landlock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void readOnlyRootAndWritableTmp() throws IOException {
        String file = "t-" + UUID.randomUUID();
        Result r = execute("rotmp", "lxj.landlock.fs.exec = /\nlxj.landlock.fs.rw = /tmp\n",
                "touch /tmp/" + file + "; echo tmp=$?; touch /root/" + file + "; echo root=$?; "
                        + "mkdir /mnt/" + file + "; echo mkdir=$?; cat /etc/passwd >/tmp/copy-" + file + "; echo read=$?");
        assertEquals(0, r.status(), r.err());
        assertEquals("tmp=0\nroot=1\nmkdir=1\nread=0\n", r.out(), r.err());
        assertTrue(Files.exists(rootfs.resolve("tmp/" + file)));
        assertTrue(Files.notExists(rootfs.resolve("root/" + file)));
        assertTrue(r.err().contains("Permission denied"), r.err());
    }

    @Test
    void tcpConnectIsLimitedToTheAllowedPort() throws IOException {
        assumeTrue(abi >= 4, "TCP rules need Landlock ABI 4; the host has " + abi);
        Result r = execute("net", "lxj.landlock.net.connect = 8080\n",
                "nc 127.0.0.1 8081; echo denied=$?; nc 127.0.0.1 8080; echo allowed=$?");
        assertEquals("denied=1\nallowed=1\n", r.out(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(2, lines.size(), r.err());
        assertTrue(lines.get(0).endsWith("Permission denied"), r.err());
        assertTrue(!lines.get(1).contains("Permission denied"), "port 8080 is allowed: " + r.err());
    }

    @Test
    void withoutRulesTheSameScriptWritesEverywhere() throws IOException {
        String file = "u-" + UUID.randomUUID();
        Result r = execute("free", "", "touch /root/" + file + "; echo root=$?");
        assertEquals("root=0\n", r.out(), r.err());
        Files.delete(rootfs.resolve("root/" + file));
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
