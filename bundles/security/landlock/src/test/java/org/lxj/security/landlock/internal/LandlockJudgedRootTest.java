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
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;

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
 * Landlock in real containers (root, the real launcher, core's execute with the contributor installed, a busybox
 * rootfs), each rule shown both ways: a read-only, an exec and a read-write path next to an unlisted one; an
 * allowed TCP port that really binds and carries a connection (a listener inside the container's own network
 * namespace) next to a denied port that fails with EACCES, not with a refused connection.
 */
class LandlockJudgedRootTest {

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
        base = Files.createTempDirectory(Path.of("/tmp"), "lxj-E-landlock-root-");
        rootfs = LandlockRootTest.busyboxRootfs(base.resolve("rootfs"), busybox);
        Files.writeString(rootfs.resolve("root/secret"), "secret\n");
    }

    @AfterAll
    static void removeBase() throws IOException {
        LandlockRootTest.deleteTree(base);
    }

    @BeforeEach
    void setUp() throws IOException {
        String id = UUID.randomUUID().toString().substring(0, 8);
        lxcpath = Files.createDirectories(base.resolve("lxc-" + id));
        runRoot = Path.of("/run/lxj-E-landlock-test-" + id);
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
            LandlockRootTest.deleteTree(runRoot);
            LandlockRootTest.deleteTree(lxcpath);
        }
    }

    record Result(int status, String out, String err) {
    }

    Result execute(String name, String landlock, String script) throws IOException {
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + landlock);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, err));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void eachPathRuleAllowsItsRightsAndAnUnlistedPathIsDenied() throws IOException {
        String f = "j-" + UUID.randomUUID();
        String script = "cat /etc/passwd >/tmp/" + f + "; echo ro_read=$?; "
                + "touch /etc/" + f + "; echo ro_write=$?; "
                + "/bin/true; echo exec=$?; "
                + "cat /tmp/" + f + " >/tmp/" + f + ".2; echo rw_read_write=$?; "
                + "mkdir /tmp/" + f + ".d; echo rw_mkdir=$?; "
                + "cat /root/secret; echo unlisted_read=$?; "
                + "ls /root; echo unlisted_list=$?; "
                + "touch /root/" + f + "; echo unlisted_write=$?";
        Result open = execute("pathsopen", "lxc.autodev = 0\n", script);
        Result r = execute("paths", "lxc.autodev = 0\nlxj.landlock.fs.exec = /bin\nlxj.landlock.fs.ro = /etc\n"
                + "lxj.landlock.fs.rw = /tmp\n", script.replace(f, f + "x"));
        assertEquals(0, r.status(), r.err());
        assertEquals("ro_read=0\nro_write=1\nexec=0\nrw_read_write=0\nrw_mkdir=0\nunlisted_read=1\n"
                + "unlisted_list=1\nunlisted_write=1\n", r.out(), r.err());
        assertEquals(4, r.err().lines().filter(l -> l.endsWith("Permission denied")).count(),
                "the four denials are EACCES: " + r.err());
        assertTrue(Files.isRegularFile(rootfs.resolve("tmp/" + f + "x.2")));
        assertTrue(Files.notExists(rootfs.resolve("etc/" + f + "x")));
        assertTrue(Files.notExists(rootfs.resolve("root/" + f + "x")));
        // without rules, the same script does everything: the denials above are the ruleset's
        assertEquals("ro_read=0\nro_write=0\nexec=0\nrw_read_write=0\nrw_mkdir=0\nsecret\nunlisted_read=0\n"
                + "secret\nunlisted_list=0\nunlisted_write=0\n", open.out(), open.err());
        Files.delete(rootfs.resolve("etc/" + f));
        Files.delete(rootfs.resolve("root/" + f));
    }

    /**
     * Listens on {@code port} in the background, then connects to it until the listener is up (bounded; the
     * refusals before that go to a file, and the background job's stdin is a file: the rootfs has no
     * {@code /dev/null}).
     */
    static String serveAndConnect(String tag, int port) {
        return ": >/tmp/" + tag + ".in; (nc -l -p " + port + " >/tmp/" + tag + "; echo " + tag + "_listen=$? >/tmp/"
                + tag + ".status) </tmp/" + tag + ".in & "
                + "i=0; until echo " + tag + " | nc 127.0.0.1 " + port + " 2>/tmp/" + tag + ".err; do i=$((i+1)); "
                + "[ $i -gt 500 ] && break; usleep 10000; done; wait; cat /tmp/" + tag + ".status /tmp/" + tag + "; ";
    }

    @Test
    void anAllowedPortBindsAndConnectsAndADeniedPortGetsEacces() throws IOException {
        assumeTrue(abi >= 4, "TCP rules need Landlock ABI 4; the host has " + abi);
        // autodev (the default) gives the /dev/null busybox's sh opens for a background job
        String script = "ip link set lo up; " + serveAndConnect("allowed", 8080)
                + "nc -l -p 8081; echo bind_denied=$?; "
                + "nc 127.0.0.1 8081; echo connect_denied=$?";
        Result r = execute("ports", "lxj.landlock.net.bind = 8080\nlxj.landlock.net.connect = 8080\n", script);
        assertEquals(0, r.status(), r.err());
        assertEquals("allowed_listen=0\nallowed\nbind_denied=1\nconnect_denied=1\n", r.out(),
                "8080 binds and carries a connection; 8081 neither: " + r.err());
        List<String> errors = r.err().lines().toList();
        assertEquals(2, errors.size(), r.err());
        assertTrue(errors.get(0).contains("bind") && errors.get(0).endsWith("Permission denied"), r.err());
        assertTrue(errors.get(1).endsWith("Permission denied"), "EACCES, not a refused connection: " + r.err());
    }
}
