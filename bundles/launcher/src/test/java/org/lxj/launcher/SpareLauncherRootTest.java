package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rootfs;

/** Root tests of the spare launcher the runtime's component keeps: used by the next start, replaced, retired. */
class SpareLauncherRootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> ENV = List.of("PATH=/bin");
    private static final ConsoleSpec INHERIT = new ConsoleSpec(ConsoleSpec.Console.INHERIT, 0, "", 0, Optional.empty(),
            0, 0, 0);

    interface TestLibC extends Library {
        TestLibC INSTANCE = Native.load("c", TestLibC.class);

        int open(String path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private LaunchFixture fixture;
    private NativeLauncher spares;
    private Path out;
    private int outFd;

    @BeforeEach
    void setUp() throws IOException {
        fixture = LaunchFixture.busybox("creates namespaces and mounts", "lxj-spare-it-", TIMEOUT,
                TestLibC.INSTANCE::close, List.of("bin", "proc", "dev", "tmp"), "sh", "echo", "true", "ls", "cat");
        spares = new NativeLauncher(NativeLauncher.DEFAULT_LIBEXEC, true);
        out = fixture.work.resolve("out.txt");
        outFd = fixture.track(TestLibC.INSTANCE.open(out.toString(), 01 | 0100 | 02000 | 02000000, 0644));
    }

    @AfterEach
    void tearDown() {
        try {
            if (spares != null) {
                spares.close();
            }
        } finally {
            if (fixture != null) {
                fixture.close();
            }
        }
    }

    private LaunchPlan plan(String... argv) {
        return plan(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET), argv).build();
    }

    private LaunchPlan.Builder plan(EnumSet<Namespace> namespaces, String... argv) {
        LaunchPlan.Builder b = LaunchPlan.builder();
        namespaces.forEach(b::cloneNamespace);
        return b.rootfs(Rootfs.of(fixture.rootfs))
                .mount(MountStep.filesystem("proc", Path.of("/proc"),
                        EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), ""))
                .hostname("lxj-spare-it")
                .console(INHERIT)
                .process(ProcessSpec.root(List.of(argv), ENV));
    }

    /** Runs a command to its exit through the spare-keeping launcher; returns the monitor's pid. */
    private int run(String run, String... argv) throws Exception {
        PreparedLaunch l = spares.prepare(plan(argv), fixture.work.resolve(run), new LaunchStdio(-1, outFd, outFd),
                new LaunchOptions("s2-spare-" + run, true));
        fixture.launches.add(l);
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), Files.readString(out));
        fixture.awaitGone(l.monitorPid());
        return l.monitorPid();
    }

    private static final String HOST_NET = netOf(ProcessHandle.current().pid());

    private static String netOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/net")).toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The network namespace the spare holding {@code socket} made ahead: the one fd it has to a namespace. */
    private static String madeAhead(String socket) throws IOException {
        List<String> held = new java.util.ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + holderOf(socket) + "/fd"))) {
            for (Path fd : ds) {
                String link = Files.readSymbolicLink(fd).toString();
                if (link.matches("[a-z]+:\\[\\d+]") && !link.startsWith("socket:")) {
                    held.add(link);
                }
            }
        }
        assertEquals(1, held.size(), "one namespace held: " + held);
        assertTrue(held.get(0).startsWith("net:["), held.toString());
        return held.get(0);
    }

    /** Prepares (init cloned, waiting for START) through the spare-keeping launcher, to be started by the caller. */
    private PreparedLaunch prepare(LaunchPlan plan, String run) throws Exception {
        PreparedLaunch l = spares.prepare(plan, fixture.work.resolve(run), new LaunchStdio(-1, outFd, outFd),
                new LaunchOptions("s2-spare-" + run, true));
        fixture.launches.add(l);
        return l;
    }

    /** The process whose fd 3 is this socket (the spare's end of its control socket). */
    private static int holderOf(String socket) throws IOException {
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                try {
                    if (Files.readSymbolicLink(p.resolve("fd/3")).toString().equals(socket)) {
                        return Integer.parseInt(p.getFileName().toString());
                    }
                } catch (NoSuchFileException | java.nio.file.NotLinkException | java.nio.file.AccessDeniedException e) {
                    // not that process (or gone meanwhile)
                } catch (java.nio.file.FileSystemException e) {
                    // ESRCH and the like: gone meanwhile
                }
            }
        }
        throw new AssertionError("No process holds " + socket + " as fd 3");
    }

    /** Exited: gone, or a zombie its new parent has not reaped yet (its descriptors are closed either way). */
    private static boolean exited(int pid) throws IOException {
        try (InputStream in = Files.newInputStream(Path.of("/proc/" + pid + "/stat"))) {
            String stat = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (NoSuchFileException e) {
            return true;
        }
    }

    private static void awaitExited(int pid) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!exited(pid)) {
            assertTrue(System.nanoTime() < deadline, "Process " + pid + " still runs after " + TIMEOUT.toSeconds() + " s");
            Thread.sleep(5); // polling for the condition, not waiting for correctness
        }
    }

    @Test
    void warmUpSpawnsASpareThatTheFirstStartTakes() throws Exception {
        assertEquals(Optional.empty(), spares.awaitSpare(Duration.ZERO), "no spare before warmUp");
        spares.warmUp();
        String socket = spares.awaitSpare(TIMEOUT).orElseThrow(() -> new AssertionError("no spare after warmUp"));
        int spare = holderOf(socket);
        int monitor = run("run1", "true");
        assertEquals(spare, monitor, "the first start's monitor is the spare warmUp spawned");
    }

    @Test
    void theNextStartTakesTheSpareSpawnedAfterTheFirst() throws Exception {
        assertEquals(Optional.empty(), spares.awaitSpare(Duration.ZERO), "no spare before the first start");
        run("run1", "true");
        String socket = spares.awaitSpare(TIMEOUT).orElseThrow(() -> new AssertionError("no spare after a start"));
        int spare = holderOf(socket);
        // exactly what a freshly spawned launcher has: fds 0-2 (here /dev/null) and the control socket, nothing else
        TreeMap<String, String> fds = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + spare + "/fd"))) {
            for (Path fd : ds) {
                fds.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
            }
        }
        // and the network namespace it made ahead for the next init
        String ahead = madeAhead(socket);
        fds.values().remove(ahead);
        assertEquals(List.of("0", "1", "2", "3"), List.copyOf(fds.keySet()), fds.toString());
        assertEquals(List.of("/dev/null", "/dev/null", "/dev/null"), List.of(fds.get("0"), fds.get("1"), fds.get("2")));
        assertNotEquals(HOST_NET, ahead, "a namespace of its own, not the host's");
        assertEquals(HOST_NET, netOf(spare), "the spare itself stays in the host's network namespace");
        assertEquals(0, Files.readAllBytes(Path.of("/proc/" + spare + "/environ")).length, "an empty environment");
        assertEquals(Path.of("/"), Files.readSymbolicLink(Path.of("/proc/" + spare + "/cwd")));
        assertTrue(Files.readSymbolicLink(Path.of("/proc/" + spare + "/exe")).toString().startsWith("/memfd:lxj-launcher"));

        int monitor = run("run2", "sh", "-c", "echo second; ls /proc/$$/fd; true");
        assertEquals(spare, monitor, "the second start's monitor is the spare spawned before it was requested");
        assertEquals("second\n0\n1\n2\n", Files.readString(out), "the container got the stdio sent with the plan");
        String next = spares.awaitSpare(TIMEOUT).orElseThrow(() -> new AssertionError("no new spare after a take"));
        assertNotEquals(socket, next);
    }

    @Test
    void initIsClonedIntoTheNetworkNamespaceTheSpareMadeAheadAndTheMonitorStaysInTheHosts() throws Exception {
        run("run1", "true");
        String ahead = madeAhead(spares.awaitSpare(TIMEOUT).orElseThrow());
        PreparedLaunch l = prepare(plan("true"), "run2");
        assertEquals(ahead, netOf(l.initPid()), "init is in the namespace made ahead");
        assertEquals(HOST_NET, netOf(l.monitorPid()), "its monitor went back to the host's");
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), Files.readString(out));
        fixture.awaitGone(l.monitorPid());
    }

    @Test
    void aPlanWithAUserNamespaceGetsANetworkNamespaceOwnedByItNotTheOneMadeAhead() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "needs user namespaces");
        run("run1", "true");
        String ahead = madeAhead(spares.awaitSpare(TIMEOUT).orElseThrow());
        LaunchPlan plan = plan(EnumSet.of(Namespace.USER, Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC,
                Namespace.NET), "true")
                .idMapping(new org.lxj.spi.launch.IdMapping(org.lxj.spi.launch.IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new org.lxj.spi.launch.IdMapping(org.lxj.spi.launch.IdMapping.Kind.GID, 0, 100000, 65536))
                .build();
        PreparedLaunch l = prepare(plan, "run2");
        String net = netOf(l.initPid());
        assertNotEquals(ahead, net, "a namespace made ahead belongs to the host's user namespace: not for this init");
        assertNotEquals(HOST_NET, net);
        assertEquals(HOST_NET, netOf(l.monitorPid()));
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), Files.readString(out));
        fixture.awaitGone(l.monitorPid());
    }

    @Test
    void aPlanWithoutANetworkNamespaceKeepsTheHostsAndDropsTheOneMadeAhead() throws Exception {
        run("run1", "true");
        madeAhead(spares.awaitSpare(TIMEOUT).orElseThrow());
        PreparedLaunch l = prepare(plan(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC), "true")
                .build(), "run2");
        assertEquals(HOST_NET, netOf(l.initPid()));
        TreeMap<String, String> held = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + l.monitorPid() + "/fd"))) {
            for (Path fd : ds) {
                held.put(fd.getFileName().toString(), Files.readSymbolicLink(fd).toString());
            }
        }
        assertTrue(held.values().stream().noneMatch(v -> v.startsWith("net:")), "the monitor let it go: " + held);
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), Files.readString(out));
        fixture.awaitGone(l.monitorPid());
    }

    @Test
    void aDeadSpareIsReplacedNeverUsed() throws Exception {
        run("run1", "true");
        int dead = holderOf(spares.awaitSpare(TIMEOUT).orElseThrow());
        ProcessHandle.of(dead).orElseThrow().destroyForcibly();
        awaitExited(dead);
        int monitor = run("run2", "echo", "fresh");
        assertNotEquals(dead, monitor);
        assertEquals("fresh\n", Files.readString(out));
        int replacement = holderOf(spares.awaitSpare(TIMEOUT).orElseThrow(() -> new AssertionError("not replaced")));
        assertNotEquals(dead, replacement);
        assertTrue(!exited(replacement), "the replacement waits");
    }

    @Test
    void deactivationRetiresTheSpare() throws Exception {
        run("run1", "true");
        int spare = holderOf(spares.awaitSpare(TIMEOUT).orElseThrow());
        spares.close();
        awaitExited(spare);
        assertEquals(Optional.empty(), spares.awaitSpare(Duration.ZERO));
    }
}
