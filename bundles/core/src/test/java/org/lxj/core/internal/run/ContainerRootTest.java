package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.core.internal.run.RootRuns.Result;
import org.lxj.core.internal.runtime.RuntimeComponent;

/**
 * Real containers (root, real kernel) through the runtime's verbs with the real launcher, on a busybox rootfs made
 * from the host's static busybox. Facts are read inside the containers through execute and attach. Every test
 * cleans up after itself: containers killed, mounts detached, run and temp directories removed.
 */
class ContainerRootTest {
    static final Duration BOUND = RootRuns.BOUND;
    static RootRuns.Host host;
    static Path rootfs;

    RootRuns runs;
    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeAll
    static void rootAndBusybox() throws IOException {
        host = RootRuns.Host.open("lxj-core-root-");
        rootfs = host.rootfs();
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        runs = new RootRuns(host, "lxj-test-", RootRuns.NO_CGROUPS);
        lxcpath = runs.lxcpath;
        runRoot = runs.runRoot;
        runtime = newRuntime();
    }

    RuntimeComponent newRuntime() {
        return runs.newRuntime();
    }

    @AfterEach
    void tearDown() throws IOException {
        runs.close();
    }

    /** Defines a container on the shared busybox rootfs with a base config plus {@code extra} lines. */
    void define(String name, String extra) throws IOException {
        runs.define(name, "lxc.uts.name = " + name + "-host\n" + extra);
    }

    static String sleeper() {
        return "lxc.init.cmd = /bin/sh -c 'trap \"\" PWR; while :; do sleep 1; done'\n";
    }

    Result attach(String name, String script) {
        return runs.attach(runtime, name, script);
    }

    Result execute(String name, String script, Map<String, String> overrides) {
        return runs.execute(runtime, name, script, overrides);
    }

    void start(String name) {
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
    }

    @Test
    void runningContainerIsIsolated() throws IOException {
        define("iso", sleeper());
        start("iso");
        StringBuilder host = new StringBuilder();
        for (String ns : List.of("pid", "mnt", "uts", "ipc", "net")) {
            host.append(Files.readSymbolicLink(Path.of("/proc/self/ns", ns))).append('\n');
        }
        Result r = attach("iso", "for n in pid mnt uts ipc net; do readlink /proc/self/ns/$n; done");
        assertEquals(0, r.status(), r.err());
        String[] inside = r.out().split("\n");
        String[] outside = host.toString().split("\n");
        assertEquals(5, inside.length, r.out());
        for (int i = 0; i < 5; i++) {
            assertNotEquals(outside[i], inside[i], "namespace " + outside[i] + " is the host's");
        }
        assertEquals("iso-host\n", attach("iso", "hostname").out());
        Result dev = attach("iso", "cat /proc/net/dev");
        List<String> ifaces = dev.out().lines().filter(l -> l.contains(":")).map(l -> l.split(":")[0].trim()).toList();
        assertEquals(List.of("lo"), ifaces, dev.out());
        assertEquals("1\n", attach("iso", "cat /proc/1/cmdline | tr '\\0' '\\n' | grep -c trap").out());
        long pid = runtime.get(lxcpath, "iso").initPid().orElseThrow();
        assertTrue(Files.exists(Path.of("/proc", Long.toString(pid))), "initPid is a live host pid");
    }

    @Test
    void aDirRootfsGetsNoMountPointInTheRunDirectory() throws IOException {
        // the dir bundle's backend, ranked above the bind-mounting one these tests use otherwise
        runtime.addStorageBackend(new org.lxj.storage.dir.internal.DirStorageBackend(host.sys()), 10);
        define("lies", sleeper());
        start("lies");
        Path dir = new RunLayout(runRoot).dir(lxcpath, "lies");
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.contains("state.json"), names.toString());
            assertFalse(names.contains("rootfs"), "no mount point made for it: " + names);
        }
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(dir.toString()),
                "nothing is mounted in the run directory");
        assertEquals("ok\n", attach("lies", "test -x /bin/busybox && echo ok").out());
        runtime.stop(lxcpath, "lies", new StopOptions(false, true, false, false, BOUND));
        assertFalse(Files.exists(dir), "the run directory is gone after the stop");
    }

    @Test
    void devHoldsTheStandardNodesAndMaskedPathsReadEmpty() throws IOException {
        define("dev", sleeper());
        start("dev");
        Result ls = attach("dev", "ls /dev");
        List<String> names = Arrays.asList(ls.out().split("\\s+"));
        for (String n : List.of("null", "zero", "full", "random", "urandom", "tty", "ptmx", "pts", "shm", "mqueue",
                "fd", "stdin", "stdout", "stderr")) {
            assertTrue(names.contains(n), n + " missing in " + names);
        }
        assertEquals("1:3\n", attach("dev", "stat -c '%t:%T' /dev/null").out());
        assertEquals("1:9\n", attach("dev", "stat -c '%t:%T' /dev/urandom").out());
        assertEquals(0, attach("dev", "echo x > /dev/null && head -c 4 /dev/zero | wc -c | grep -q 4").status());
        if (Files.exists(Path.of("/proc/keys"))) {
            Result keys = attach("dev", "cat /proc/keys");
            assertEquals("", keys.out(), "masked /proc/keys reads empty");
        }
        assertNotEquals(0, attach("dev", "echo 1 > /proc/sysrq-trigger").status(), "sysrq-trigger is read-only");
        assertNotEquals(0, attach("dev", "echo 1 > /proc/sys/kernel/sysrq").status(), "/proc/sys is read-only");
    }

    @Test
    void readOnlyRootfs() throws IOException {
        define("ro", sleeper() + "lxc.rootfs.options = ro\n");
        start("ro");
        Result r = attach("ro", "touch /should-fail");
        assertNotEquals(0, r.status());
        assertTrue(r.err().contains("Read-only file system"), r.err());
        assertFalse(Files.exists(rootfs.resolve("should-fail")));
        assertEquals(0, attach("ro", "touch /dev/shm/ok").status(), "/dev/shm stays writable");
    }

    @Test
    void initIdentityEnvironmentLimitsAndSysctl() throws IOException {
        define("who", """
                lxc.init.uid = 1000
                lxc.init.gid = 1001
                lxc.init.cwd = /tmp
                lxc.environment = FOO=bar baz
                lxc.prlimit.nofile = 1000:2000
                lxc.sysctl.net.ipv4.ip_default_ttl = 33
                """);
        Result r = execute("who", "id -u; id -g; pwd; echo \"$FOO\"; echo $container; ulimit -n; "
                + "cat /proc/sys/net/ipv4/ip_default_ttl", Map.of());
        assertEquals(0, r.status(), r.err());
        assertEquals("1000\n1001\n/tmp\nbar baz\nlxc\n1000\n33\n", r.out());
        define("who-init", sleeper() + "lxc.init.uid = 1000\nlxc.init.gid = 1001\n");
        start("who-init");
        long pid = runtime.get(lxcpath, "who-init").initPid().orElseThrow();
        List<String> status = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"));
        assertTrue(status.stream().anyMatch(l -> l.matches("Uid:\\s+1000\\s+1000\\s+1000\\s+1000")), status.toString());
        assertTrue(status.stream().anyMatch(l -> l.matches("Gid:\\s+1001\\s+1001\\s+1001\\s+1001")), status.toString());
    }

    @Test
    void executeRunsAsPid2AndPropagatesExitStatuses() throws IOException {
        define("ex", "");
        assertEquals("2\n", execute("ex", "echo $$", Map.of()).out());
        for (int code : List.of(0, 1, 42)) {
            assertEquals(code, execute("ex", "exit " + code, Map.of()).status());
        }
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, "ex").state());
        assertEquals("from stdin\n", executeWithInput("ex", "cat", "from stdin\n"));
        Result over = execute("ex", "echo \"$X\"; hostname; echo err >&2", Map.of("lxc.environment", "X=over",
                "lxc.uts.name", "overridden"));
        assertEquals("over\noverridden\n", over.out());
        assertEquals("err\n", over.err());
    }

    String executeWithInput(String name, String script, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
                        new ByteArrayOutputStream()));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void attachPropagatesExitStatusesAndRefusesStoppedContainers() throws IOException {
        define("at", sleeper());
        start("at");
        for (int code : List.of(0, 1, 42)) {
            assertEquals(code, attach("at", "exit " + code).status());
        }
        assertThrows(ContainerBusyException.class, () -> runtime.start(lxcpath, "at", StartOptions.DEFAULT));
        runtime.stop(lxcpath, "at", new StopOptions(false, true, false, false, BOUND));
        assertThrows(ContainerNotRunningException.class, () -> attach("at", "true"));
    }

    @Test
    void stopKillsAnInitIgnoringTheHaltSignalAfterTheTimeout() throws IOException {
        define("stubborn", sleeper());
        start("stubborn");
        runtime.stop(lxcpath, "stubborn", new StopOptions(false, false, false, false, Duration.ofSeconds(2)));
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, "stubborn").state());
        assertFalse(Files.exists(new RunLayout(runRoot).dir(lxcpath, "stubborn")));
        ContainerNotRunningException e = assertThrows(ContainerNotRunningException.class,
                () -> runtime.stop(lxcpath, "stubborn", StopOptions.DEFAULT));
        assertEquals(2, e.exitStatus());
        assertFalse(Cleanup.mountsUnder(runRoot).iterator().hasNext(), "rootfs unmounted");
    }

    @Test
    void shortLivedInitReachesStoppedTwentyTimes() throws IOException {
        define("brief", "lxc.init.cmd = /bin/true\n");
        for (int i = 0; i < 20; i++) {
            runtime.start(lxcpath, "brief", StartOptions.DEFAULT);
            assertTrue(runtime.waitFor(lxcpath, "brief", Set.of(ContainerState.STOPPED), BOUND), "round " + i);
        }
        assertFalse(Files.exists(new RunLayout(runRoot).dir(lxcpath, "brief")));
        assertFalse(Cleanup.mountsUnder(runRoot).iterator().hasNext());
    }

    @Test
    void failedStartsLeaveNothingBehind() throws IOException {
        define("badmount", sleeper() + "lxc.mount.entry = /nonexistent-lxj-source mnt none bind,create=dir 0 0\n");
        LxjException e = assertThrows(LxjException.class, () -> runtime.start(lxcpath, "badmount", StartOptions.DEFAULT));
        assertTrue(e.getMessage().contains("ENOENT"), e.getMessage());
        assertTrue(e.getMessage().contains("nonexistent-lxj-source"), e.getMessage());
        assertNothingLeft("badmount");
        define("noinit", "lxc.init.cmd = /sbin/no-such-init\n");
        LxjException e2 = assertThrows(LxjException.class, () -> runtime.start(lxcpath, "noinit", StartOptions.DEFAULT));
        assertTrue(e2.getMessage().contains("ENOENT"), e2.getMessage());
        assertNothingLeft("noinit");
    }

    void assertNothingLeft(String name) throws IOException {
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, name).state());
        assertFalse(Files.exists(new RunLayout(runRoot).dir(lxcpath, name), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Cleanup.mountsUnder(runRoot).iterator().hasNext(), "no mount left under the run directory");
        assertFalse(Cleanup.mountsUnder(rootfs).iterator().hasNext(), "no mount left on the rootfs");
        assertTrue(Cleanup.processesWithCwdOrRootUnder(rootfs).isEmpty(), "no process left in the rootfs");
    }

    @Test
    void aRestartedRuntimeFindsRunningContainersAndStopsThem() throws IOException {
        List<String> names = List.of("r1", "r2", "r3");
        for (String n : names) {
            define(n, sleeper());
            start(n);
        }
        List<Long> pids = names.stream().map(n -> runtime.get(lxcpath, n).initPid().orElseThrow()).toList();
        runtime.close();
        runtime = newRuntime();
        for (int i = 0; i < names.size(); i++) {
            assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, names.get(i)).state());
            assertEquals(pids.get(i), runtime.get(lxcpath, names.get(i)).initPid().orElseThrow());
        }
        for (String n : names) {
            runtime.stop(lxcpath, n, new StopOptions(false, false, false, false, Duration.ofSeconds(2)));
            assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, n).state());
        }
        for (long pid : pids) {
            assertFalse(Files.exists(Path.of("/proc", Long.toString(pid))), "init " + pid + " is gone");
        }
        assertFalse(Cleanup.mountsUnder(runRoot).iterator().hasNext());
    }

    static final Comparator<Path> DEEPEST_FIRST = Comparator.reverseOrder();
}
