package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.lxj.launcher.LaunchFixture.INHERIT;
import static org.lxj.launcher.LaunchFixture.NAMESPACES;
import static org.lxj.launcher.LaunchFixture.mountsUnder;
import static org.lxj.launcher.LaunchFixture.quietly;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.ProcWrite;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rootfs;
import org.lxj.spi.launch.Symlink;
import org.lxj.spi.launch.TimeOffsets;

/** Root integration tests: real namespaces and mounts, a busybox rootfs, the built-in init, attach. */
class LauncherRootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> ENV = List.of("PATH=/bin");
    private static final String[] APPLETS = { "sh", "echo", "cat", "ls", "hostname", "sleep", "true", "false", "ps",
        "readlink", "touch", "grep", "wc", "id", "test", "stat" };

    /** The test's own libc calls: pipes and descriptors to hand to the launcher as stdio. */
    interface TestLibC extends Library {
        TestLibC INSTANCE = Native.load("c", TestLibC.class);

        int pipe2(int[] fds, int flags) throws LastErrorException;

        int open(String path, int flags, int mode) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        long read(int fd, byte[] buf, long count) throws LastErrorException;

        int poll(byte[] fds, long nfds, int timeoutMillis) throws LastErrorException;

        long syscall(long number, Object... args) throws LastErrorException;
    }

    private static final int O_WRONLY = 1;
    private static final int O_CREAT = 0100;
    private static final int O_APPEND = 02000;
    private static final int O_CLOEXEC = 02000000;

    private LaunchFixture fixture;
    private Path work;
    private Path rootfs;
    private Path runDir;
    private Path out;
    private int outFd = -1;
    private List<PreparedLaunch> launches;
    private List<AttachedProcess> attached;
    private NativeLauncher launcher;

    @BeforeEach
    void setUp() throws IOException {
        fixture = LaunchFixture.busybox("creates namespaces and mounts", "lxj-launcher-it-", TIMEOUT,
                TestLibC.INSTANCE::close, List.of("bin", "proc", "dev", "tmp", "etc", "sys"), APPLETS);
        work = fixture.work;
        rootfs = fixture.rootfs;
        launches = fixture.launches;
        attached = fixture.attached;
        launcher = fixture.launcher;
        runDir = work.resolve("run");
        out = work.resolve("out.txt");
        outFd = fixture.track(TestLibC.INSTANCE.open(out.toString(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    }

    @AfterEach
    void tearDown() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private LaunchPlan.Builder plan(String... argv) {
        LaunchPlan.Builder b = LaunchPlan.builder();
        NAMESPACES.forEach(b::cloneNamespace);
        return b.rootfs(Rootfs.of(rootfs))
                .mount(MountStep.filesystem("proc", Path.of("/proc"),
                        EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), ""))
                .maskPath(Path.of("/proc/kcore"))
                .readOnlyPath(Path.of("/proc/sys"))
                .hostname("lxj-it")
                .console(INHERIT)
                .process(ProcessSpec.root(List.of(argv), ENV));
    }

    private LaunchStdio toOut() {
        return new LaunchStdio(-1, outFd, outFd);
    }

    private PreparedLaunch prepare(LaunchPlan plan, boolean builtinInit) throws LaunchException {
        return prepare(plan, runDir, toOut(), builtinInit);
    }

    private PreparedLaunch prepare(LaunchPlan plan, Path run, LaunchStdio stdio, boolean builtinInit)
            throws LaunchException {
        return prepare(plan, run, stdio, new LaunchOptions("it", builtinInit));
    }

    private PreparedLaunch prepare(LaunchPlan plan, Path run, LaunchStdio stdio, LaunchOptions options)
            throws LaunchException {
        PreparedLaunch l = launcher.prepare(plan, run, stdio, options);
        launches.add(l);
        return l;
    }

    private ExitStatus run(LaunchPlan plan) throws Exception {
        PreparedLaunch l = prepare(plan, true);
        MonitorClient client = l.start();
        ExitStatus status = client.awaitExit(TIMEOUT);
        fixture.awaitGone(l.monitorPid());
        return status;
    }

    private String output() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** Reads a pipe byte by byte until what was read ends with {@code end}, waiting at most {@link #TIMEOUT}. */
    private static String readUntil(int fd, String end) {
        StringBuilder sb = new StringBuilder();
        byte[] one = new byte[1];
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!sb.toString().endsWith(end)) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("No \"" + end.strip() + "\" after " + TIMEOUT.toSeconds() + " s; read: " + sb);
            }
            byte[] pfd = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(fd)
                    .putShort((short) 1).putShort((short) 0).array();
            if (TestLibC.INSTANCE.poll(pfd, 1, (int) left) == 0) {
                continue;
            }
            if (TestLibC.INSTANCE.read(fd, one, 1) <= 0) {
                throw new AssertionError("EOF before \"" + end.strip() + "\"; read: " + sb);
            }
            sb.append((char) (one[0] & 0xff));
        }
        return sb.toString();
    }

    /** Reads a pipe until EOF (every writer closed), waiting at most {@link #TIMEOUT} in all. */
    private static String readToEof(int fd) {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("A writer of the pipe is still open after " + TIMEOUT.toSeconds() + " s; read: " + sb);
            }
            byte[] pfd = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder()).putInt(fd)
                    .putShort((short) 1).putShort((short) 0).array();
            if (TestLibC.INSTANCE.poll(pfd, 1, (int) left) == 0) {
                continue;
            }
            long n = TestLibC.INSTANCE.read(fd, buf, buf.length);
            if (n <= 0) {
                return sb.toString();
            }
            sb.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void clonedIsToldThePidsOnceBeforeThePrepareReturns() throws Exception {
        List<int[]> told = new ArrayList<>();
        List<Boolean> initAlive = new ArrayList<>();
        PreparedLaunch l = launcher.prepare(plan("true").build(), runDir, toOut(), new LaunchOptions("it", true),
                (monitor, init) -> {
                    told.add(new int[] {monitor, init});
                    initAlive.add(Files.exists(Path.of("/proc/" + init)));
                    return false;
                });
        launches.add(l);
        assertEquals(1, told.size());
        assertEquals(l.monitorPid(), told.get(0)[0]);
        assertEquals(l.initPid(), told.get(0)[1]);
        assertEquals(List.of(true), initAlive, "init exists when the caller is told");
        assertEquals(0, l.start().awaitExit(TIMEOUT).code());
    }

    /** Polls the output file for {@code text}, up to {@code wait}; what it holds then. */
    private String awaitOutput(String text, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!output().contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return output();
    }

    @Test
    void initWaitsForStartUnlessClonedAsksForAnEarlyStart() throws Exception {
        LaunchPlan plan = plan("sh", "-c", "echo ran").build();
        PreparedLaunch waiting = launcher.prepare(plan, runDir, toOut(), new LaunchOptions("it", true), (m, i) -> false);
        launches.add(waiting);
        assertEquals("", awaitOutput("ran", Duration.ofMillis(300)), "init waits for start()");
        assertEquals(0, waiting.start().awaitExit(TIMEOUT).code());
        assertEquals("ran\n", output());
        fixture.awaitGone(waiting.monitorPid());

        Files.writeString(out, "");
        PreparedLaunch early = launcher.prepare(plan, work.resolve("run2"), toOut(), new LaunchOptions("it", true),
                (m, i) -> true);
        launches.add(early);
        assertEquals("ran\n", awaitOutput("ran", TIMEOUT), "init ran without start()");
        assertEquals(0, early.start().awaitExit(TIMEOUT).code(), "start() only waited for the exec");
    }

    @Test
    void anEarlyStartedLaunchThatIsAbortedIsKilled() throws Exception {
        PreparedLaunch early = launcher.prepare(plan("sleep", "1000").build(), runDir, toOut(),
                new LaunchOptions("it", true), (m, i) -> true);
        launches.add(early);
        early.abort();
        fixture.awaitGone(early.initPid());
        fixture.awaitGone(early.monitorPid());
    }

    @Test
    void aClonedThatThrowsAbortsTheLaunchAndLeavesNothing() throws Exception {
        int[] pids = new int[2];
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> launcher.prepare(
                plan("true").build(), runDir, toOut(), new LaunchOptions("it", true), (monitor, init) -> {
                    pids[0] = monitor;
                    pids[1] = init;
                    throw new IllegalStateException("the state could not be written");
                }));
        assertEquals("the state could not be written", thrown.getMessage());
        assertTrue(pids[0] > 0 && pids[1] > 0);
        fixture.awaitGone(pids[1]);
        fixture.awaitGone(pids[0]);
        assertFalse(Files.exists(runDir.resolve("monitor.sock")), "no monitor socket stays");
        assertEquals(List.of(), mountsUnder(rootfs), "no mount stays");
    }

    @Test
    void commandRunsAsPid2UnderTheBuiltinInit() throws Exception {
        ExitStatus s = run(plan("sh", "-c", "echo $$").build());
        assertEquals(0, s.code());
        assertEquals("2\n", output());
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 42 })
    void exitStatusPropagates(int code) throws Exception {
        ExitStatus s = run(plan("sh", "-c", "exit " + code).build());
        assertEquals(code, s.code());
        assertEquals(0, s.signal());
        assertEquals(s, new MonitorClient(runDir).exitStatus().orElseThrow());
    }

    @Test
    void namespacesDifferFromTheHosts() throws Exception {
        List<String> kinds = List.of("pid", "mnt", "uts", "ipc", "net");
        StringBuilder cmd = new StringBuilder();
        for (String k : kinds) {
            cmd.append("readlink /proc/self/ns/").append(k).append("; ");
        }
        assertEquals(0, run(plan("sh", "-c", cmd.toString()).build()).code());
        List<String> inside = output().lines().toList();
        assertEquals(kinds.size(), inside.size(), output());
        for (int i = 0; i < kinds.size(); i++) {
            String host = Files.readSymbolicLink(Path.of("/proc/self/ns/" + kinds.get(i))).toString();
            assertTrue(inside.get(i).startsWith(kinds.get(i) + ":["), inside.get(i));
            assertNotEquals(host, inside.get(i), kinds.get(i) + " namespace is the host's");
        }
    }

    @Test
    void hostnameIsApplied() throws Exception {
        assertEquals(0, run(plan("hostname").build()).code());
        assertEquals("lxj-it\n", output());
    }

    @Test
    void onlyStdioIsOpenInside() throws Exception {
        assertEquals(0, run(plan("sh", "-c", "ls /proc/$$/fd; echo init; ls /proc/1/fd").build()).code());
        assertEquals("0\n1\n2\ninit\n0\n1\n2\n", output());
    }

    @Test
    void maskedAndReadonlyPathsApply() throws Exception {
        assertEquals(0, run(plan("sh", "-c", "cat /proc/kcore | wc -c; echo 1 > /proc/sys/kernel/sysrq || echo refused")
                .build()).code(), output());
        assertTrue(output().contains("refused"), output());
    }

    @Test
    void mountTargetThroughASymlinkLandsInsideTheRootfs() throws Exception {
        Path marker = work.resolve("host-marker");
        Files.createDirectory(marker);
        Files.writeString(marker.resolve("keep"), "host");
        Files.createSymbolicLink(rootfs.resolve("evil"), Path.of("/"));
        String target = "/evil" + marker;
        ExitStatus s = run(plan("sh", "-c", "touch " + target + "/inside && grep -c ' " + marker + " ' /proc/self/mountinfo")
                .mount(MountStep.filesystem("tmpfs", Path.of(target), Set.of(), "mode=0755"))
                .build());
        assertEquals(0, s.code(), output());
        assertEquals("1\n", output());
        try (Stream<Path> files = Files.list(marker)) {
            assertEquals(List.of(marker.resolve("keep")), files.toList());
        }
        assertTrue(Files.isDirectory(rootfs.resolve(work.getRoot().relativize(marker)), LinkOption.NOFOLLOW_LINKS),
                "the target was not created inside the rootfs");
    }

    @Test
    void launcherRunsFromASealedMemfd() throws Exception {
        PreparedLaunch l = prepare(plan("true").build(), true);
        for (int pid : new int[] { l.monitorPid(), l.initPid() }) {
            String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            assertTrue(exe.startsWith("/memfd:lxj-launcher"), pid + " runs " + exe);
        }
        assertEquals(Path.of("/"), Files.readSymbolicLink(Path.of("/proc/" + l.monitorPid() + "/cwd")),
                "the monitor does not pin the JVM's working directory");
        assertEquals(0, l.start().awaitExit(TIMEOUT).code());
    }

    @Test
    void monitorsShareOneSealedImageThatTheHostCannotWrite() throws Exception {
        PreparedLaunch a = prepare(plan("true").build(), runDir, toOut(), true);
        PreparedLaunch b = prepare(plan("true").build(), work.resolve("run2"), toOut(), true);
        Path exeA = Path.of("/proc/" + a.monitorPid() + "/exe");
        Path exeB = Path.of("/proc/" + b.monitorPid() + "/exe");
        assertEquals(Files.getAttribute(exeA, "unix:ino"), Files.getAttribute(exeB, "unix:ino"),
                "both monitors run from the same memfd");
        assertEquals(Files.getAttribute(exeA, "unix:dev"), Files.getAttribute(exeB, "unix:dev"));
        java.io.IOException e = assertThrows(java.io.IOException.class,
                () -> Files.newOutputStream(exeA, java.nio.file.StandardOpenOption.WRITE).close());
        assertTrue(e.getMessage() != null, "the sealed image refused a writer");
        assertEquals(0, a.start().awaitExit(TIMEOUT).code());
        assertEquals(0, b.start().awaitExit(TIMEOUT).code());
    }

    @Test
    void timeNamespaceOffsetsShowInsideTheContainer() throws Exception {
        long day = 86400;
        double hostBefore = uptime(Files.readString(Path.of("/proc/uptime")));
        LaunchPlan p = plan("cat", "/proc/uptime").cloneNamespace(Namespace.TIME)
                .timeOffsets(new TimeOffsets(Duration.ofSeconds(-10), Duration.ofSeconds(day))).build();
        assertEquals(0, run(p).code(), output());
        double hostAfter = uptime(Files.readString(Path.of("/proc/uptime")));
        double inside = uptime(output());
        assertTrue(inside >= hostBefore + day - 0.01 && inside <= hostAfter + day + 0.01,
                "uptime inside " + inside + ", host " + hostBefore + ".." + hostAfter);
    }

    @Test
    void stopHooksRunWithTheHostClocksNotTheContainerOffsets() throws Exception {
        long day = 86400;
        Path mark = work.resolve("stop-hook-uptime");
        double hostBefore = uptime(Files.readString(Path.of("/proc/uptime")));
        LaunchPlan p = plan("cat", "/proc/uptime").cloneNamespace(Namespace.TIME)
                .timeOffsets(new TimeOffsets(Duration.ZERO, Duration.ofSeconds(day)))
                .hook(new Hook(Hook.Stage.STOP, List.of("/bin/sh", "-c",
                        "{ cat /proc/uptime; cat /proc/self/timens_offsets; } > " + mark), ENV))
                .build();
        assertEquals(0, run(p).code(), output());
        double hostAfter = uptime(Files.readString(Path.of("/proc/uptime")));
        double inside = uptime(output());
        assertTrue(inside >= hostBefore + day - 0.01, "the init itself sees the offset: " + inside);
        List<String> hook = Files.readAllLines(mark);
        double inHook = uptime(hook.get(0));
        assertTrue(inHook >= hostBefore - 0.01 && inHook <= hostAfter + 0.01,
                "uptime in the stop hook " + inHook + ", host " + hostBefore + ".." + hostAfter);
        assertEquals(List.of("monotonic           0         0", "boottime            0         0"),
                hook.subList(1, hook.size()), "the stop hook's time namespace has no offsets");
    }

    private static double uptime(String procUptime) {
        return Double.parseDouble(procUptime.trim().split("\\s+")[0]);
    }

    @Test
    void initGetsTheParentDeathSignalWhenItsMonitorDies() throws Exception {
        int[] p = new int[2];
        TestLibC.INSTANCE.pipe2(p, O_CLOEXEC);
        fixture.track(p[0]);
        PreparedLaunch l;
        try {
            l = prepare(plan("sh", "-c", "trap 'echo got TERM; exit 7' TERM; echo ready; while :; do sleep 1; done")
                    .build(), runDir, new LaunchStdio(-1, p[1], p[1]), new LaunchOptions("it", false, 15));
        } finally {
            TestLibC.INSTANCE.close(p[1]);
        }
        l.start();
        // only once the trap is set: a namespace's init ignores a signal it has no handler for
        assertEquals("ready\n", readUntil(p[0], "ready\n"));
        ProcessHandle.of(l.monitorPid()).orElseThrow().destroyForcibly();
        // EOF comes once init, told by the kernel that its monitor died, has run its trap and exited
        assertEquals("got TERM\n", readToEof(p[0]));
    }

    @Test
    void lsmLabelOnAHostWithoutThatLsmFailsTheStartCleanly() throws Exception {
        assumeTrue(!Files.exists(Path.of("/sys/kernel/security/apparmor")) && !Files.exists(Path.of("/sys/fs/selinux")),
                "needs a host without AppArmor and SELinux: there the label would apply");
        Set<Integer> monitorsBefore = monitors();
        LaunchPlan bad = plan("true").lsmLabel(new LsmLabel("apparmor", "exec", "exec lxc-container-default", false))
                .build();
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(bad, true));
        assertEquals(Protocol.STEP_LSM, e.step(), e.getMessage());
        assertEquals(22, e.errno(), e.getMessage());
        assertEquals("Failed to write the apparmor label \"exec lxc-container-default\" to "
                + "\"/proc/thread-self/attr/exec\": EINVAL", e.getMessage());
        assertFalse(Files.exists(runDir), "run dir left behind");
        assertEquals(List.of(), mountsUnder(work), "mounts left behind");
        assertEquals(monitorsBefore, monitorsOnceSettled(monitorsBefore), "monitor left behind");
        assertEquals(List.of(), processesRootedIn(rootfs), "container process left behind");
        // marked optional, the same label is skipped
        LaunchPlan optional = plan("true").lsmLabel(new LsmLabel("apparmor", "exec", "exec x", true)).build();
        assertEquals(0, run(optional).code(), output());
    }

    @Test
    void landlockAllowsWritesOnlyBeneathTheWritablePath() throws Exception {
        long readOnly = LandlockRuleset.ACCESS_FS_EXECUTE | LandlockRuleset.ACCESS_FS_READ_FILE
                | LandlockRuleset.ACCESS_FS_READ_DIR;
        long every = (1L << 16) - 1; // ABI 5 and later; the landlock bundle masks rights to the host's ABI
        assumeTrue(landlockAbi() >= 5, "needs Landlock ABI 5 or later, this kernel has " + landlockAbi());
        LandlockRuleset rs = new LandlockRuleset(every, 0, 0, List.of(new LandlockRuleset.PathRule(Path.of("/"),
                readOnly), new LandlockRuleset.PathRule(Path.of("/tmp"), every)), List.of(), false);
        LaunchPlan p = plan("sh", "-c", "echo a > /tmp/x && cat /tmp/x; echo b > /etc/x; echo rc=$?")
                .noNewPrivileges(true).landlock(rs).build();
        assertEquals(0, run(p).code(), output());
        assertTrue(output().startsWith("a\n"), output());
        assertTrue(output().contains("Permission denied"), output());
        assertTrue(output().endsWith("rc=1\n"), output());
        assertEquals("a\n", Files.readString(rootfs.resolve("tmp/x")));
        assertFalse(Files.exists(rootfs.resolve("etc/x"), LinkOption.NOFOLLOW_LINKS), "/etc/x was written");
    }

    @Test
    void landlockRuleOnAMissingPathFailsTheLandlockStep() throws Exception {
        assumeTrue(landlockAbi() >= 1, "needs Landlock");
        LandlockRuleset rs = new LandlockRuleset(LandlockRuleset.ACCESS_FS_READ_FILE, 0, 0,
                List.of(new LandlockRuleset.PathRule(Path.of("/no-such-dir"), LandlockRuleset.ACCESS_FS_READ_FILE)),
                List.of(), false);
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(plan("true").landlock(rs).build(), true));
        assertEquals(Protocol.STEP_LANDLOCK, e.step(), e.getMessage());
        assertEquals(2, e.errno(), e.getMessage());
        assertFalse(Files.exists(runDir), "run dir left behind");
    }

    /** The host's Landlock ABI, 0 without Landlock. */
    private static int landlockAbi() {
        try {
            long r = TestLibC.INSTANCE.syscall(444, null, 0L, 1L);
            return (int) r;
        } catch (LastErrorException e) {
            return 0;
        }
    }

    @Test
    void monitorOutlivesItsClientAndWritesTheExitRecord() throws Exception {
        PreparedLaunch l = prepare(plan("sleep", "1000").build(), true);
        l.start();
        String status = Files.readString(Path.of("/proc/" + l.monitorPid() + "/status"));
        String ppid = status.lines().filter(x -> x.startsWith("PPid:")).findFirst().orElseThrow().split("\\s+")[1];
        assertNotEquals(Long.toString(ProcessHandle.current().pid()), ppid, "the monitor is the JVM's child");

        MonitorClient fresh = new MonitorClient(runDir);
        assertEquals(l.initPid(), fresh.state(TIMEOUT).orElseThrow());
        assertTrue(fresh.exitStatus().isEmpty());
        assertTrue(fresh.kill(15, TIMEOUT));
        ExitStatus s = fresh.awaitExit(TIMEOUT);
        assertEquals(128 + 15, s.code());
        fixture.awaitGone(l.monitorPid());
        assertEquals(s, ExitStatus.parse(Files.readString(runDir.resolve("exit"))));
        assertFalse(Files.exists(runDir.resolve("monitor.sock")));
        assertTrue(fresh.state(TIMEOUT).isEmpty());
        assertEquals(s, fresh.awaitExit(TIMEOUT));
    }

    /** The links of a process's fds; empty once it is gone. */
    private static List<String> fdLinks(int pid) throws IOException {
        List<String> links = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : ds) {
                try {
                    links.add(Files.readSymbolicLink(fd).toString());
                } catch (NoSuchFileException e) {
                    // closed meanwhile
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        return links;
    }

    @Test
    void theExitIsToldFirstThenInitsMountNamespaceIsLetGoOfAndTheExitRecorded() throws Exception {
        PreparedLaunch l = prepare(plan("sleep", "1000").build(), true);
        MonitorClient c = l.start();
        String mnt = Files.readSymbolicLink(Path.of("/proc/" + l.initPid() + "/ns/mnt")).toString();
        assertTrue(fdLinks(l.monitorPid()).contains(mnt), "the monitor holds init's mount namespace while it runs");
        try (MonitorClient.ExitRequest asked = c.requestExit()) {
            assertTrue(c.kill(15, TIMEOUT));
            try (MonitorClient.Told told = asked.told(TIMEOUT)) {
                assertEquals(128 + 15, told.status().code());
                assertTrue(told.awaitRecorded(TIMEOUT), "the monitor finished with the exit");
                assertEquals(told.status(), ExitStatus.parse(Files.readString(runDir.resolve("exit"))));
                assertFalse(fdLinks(l.monitorPid()).contains(mnt), "the mount namespace is let go of before the record");
            }
        }
        fixture.awaitGone(l.monitorPid());
    }

    @Test
    void awaitExitReturnsOnlyOnceTheExitIsRecorded() throws Exception {
        for (int i = 0; i < 5; i++) {
            Path run = work.resolve("run-" + i);
            PreparedLaunch l = prepare(plan("true").build(), run, toOut(), true);
            ExitStatus s = l.start().awaitExit(TIMEOUT);
            assertEquals(s, ExitStatus.parse(Files.readString(run.resolve("exit"))), "round " + i);
            fixture.awaitGone(l.monitorPid());
        }
    }

    @Test
    void aRequestForTheExitMadeAfterItIsAnsweredFromTheRecord() throws Exception {
        PreparedLaunch l = prepare(plan("true").build(), true);
        MonitorClient c = l.start();
        fixture.awaitGone(l.monitorPid());
        try (MonitorClient.ExitRequest asked = c.requestExit(); MonitorClient.Told told = asked.told(TIMEOUT)) {
            assertEquals(0, told.status().code());
            assertTrue(told.awaitRecorded(Duration.ZERO), "read from the record: nothing to wait for");
        }
    }

    @Test
    void failingStepReportsStepAndErrnoAndLeavesNothingBehind() throws Exception {
        Set<Integer> monitorsBefore = monitors();
        LaunchPlan bad = plan("true")
                .mount(MountStep.bind(work.resolve("no-such-source"), Path.of("/mnt"), false, MountStep.Create.DIR))
                .build();
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(bad, true));
        assertEquals(Protocol.STEP_MOUNT, e.step(), e.getMessage());
        assertEquals(2, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Failed to mount \"" + work.resolve("no-such-source") + "\" on \"/mnt\""),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(": ENOENT"), e.getMessage());
        assertFalse(Files.exists(runDir), "run dir left behind");
        assertEquals(List.of(), mountsUnder(work), "mounts left behind");
        assertEquals(monitorsBefore, monitorsOnceSettled(monitorsBefore), "monitor left behind");
        assertEquals(List.of(), processesRootedIn(rootfs), "container process left behind");
    }

    @Test
    void missingCommandReportsTheExecStep() throws Exception {
        PreparedLaunch l = prepare(plan("/bin/no-such-command").build(), false);
        LaunchException e = assertThrows(LaunchException.class, l::start);
        assertEquals(Protocol.STEP_EXEC, e.step(), e.getMessage());
        assertEquals(2, e.errno());
        fixture.awaitGone(l.monitorPid());
        assertFalse(Files.exists(runDir), "run dir left behind");
    }

    @Test
    void onlyStdioIsOpenInsideWhenStdioIsAPipe() throws Exception {
        int[] p = new int[2];
        TestLibC.INSTANCE.pipe2(p, O_CLOEXEC);
        fixture.track(p[0]);
        int writer = p[1];
        PreparedLaunch l;
        try {
            l = prepare(plan("sh", "-c", "ls /proc/$$/fd; echo init; ls /proc/1/fd").build(), runDir,
                    new LaunchStdio(-1, writer, writer), true);
        } finally {
            TestLibC.INSTANCE.close(writer);
        }
        long jvmFds;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            jvmFds = s.count();
        }
        assertTrue(jvmFds > 4, "the JVM should hold more than stdio, has " + jvmFds);
        MonitorClient c = l.start();
        // EOF only comes when init, the command and the monitor hold no copy of the pipe any more
        String text = readToEof(p[0]);
        assertEquals(0, c.awaitExit(TIMEOUT).code(), text);
        assertEquals("0\n1\n2\ninit\n0\n1\n2\n", text);
    }

    @Test
    void userNamespaceMapsRootToAnUnprivilegedHostId() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "needs user namespaces");
        LaunchPlan plan = plan("sh", "-c", "cat /proc/self/uid_map; id -u; stat -c %u /proc/1")
                .cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536))
                .build();
        PreparedLaunch l = prepare(plan, true);
        String hostUid = Files.readAllLines(Path.of("/proc/" + l.initPid() + "/status")).stream()
                .filter(x -> x.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[1];
        assertEquals("100000", hostUid, "init's uid seen from the host");
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), output());
        List<String> lines = output().lines().toList();
        assertEquals(List.of("0", "100000", "65536"), List.of(lines.get(0).trim().split("\\s+")), output());
        assertEquals("0", lines.get(1), output());
    }

    @Test
    void devicesSymlinksAndProcWritesApply() throws Exception {
        LaunchPlan plan = plan("sh", "-c", "test -c /dev/zero && echo char; readlink /dev/fd; "
                + "cat /proc/sys/kernel/domainname; cat /proc/self/oom_score_adj")
                .device(DeviceNode.character(Path.of("/dev/zero"), 1, 5, 0666))
                .symlink(new Symlink(Path.of("/dev/fd"), "/proc/self/fd"))
                .procWrite(ProcWrite.sysctl("kernel.domainname", "lxjdomain"))
                .procWrite(ProcWrite.self("oom_score_adj", "500"))
                .build();
        assertEquals(0, run(plan).code(), output());
        assertEquals("char\n/proc/self/fd\nlxjdomain\n500\n", output());
        assertTrue(Files.isSymbolicLink(rootfs.resolve("dev/fd")));
        assertNotEquals("lxjdomain", Files.readString(Path.of("/proc/sys/kernel/domainname")).trim(),
                "the host's domain name changed");
    }

    @ParameterizedTest
    @ValueSource(ints = { 3, 4, 5, 6, 7 })
    void cwdThroughALeakedDescriptorIsRefused(int fd) throws Exception {
        Set<Integer> monitorsBefore = monitors();
        LaunchPlan plan = plan("true")
                .process(new ProcessSpec(List.of("true"), ENV, 0, 0, List.of(), Path.of("/proc/self/fd/" + fd),
                        java.util.OptionalInt.empty()))
                .build();
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(plan, true));
        assertEquals(Protocol.STEP_CWD, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("/proc/self/fd/" + fd), e.getMessage());
        assertFalse(Files.exists(runDir), "run dir left behind");
        assertEquals(monitorsBefore, monitorsOnceSettled(monitorsBefore), "monitor left behind");
    }

    @Test
    void rootfsWhoseProcIsASymlinkIsRefused() throws Exception {
        Files.delete(rootfs.resolve("proc"));
        Files.createSymbolicLink(rootfs.resolve("proc"), Path.of("/"));
        List<String> hostProcBefore = mountsAt("/proc");
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(plan("true").build(), true));
        assertEquals(Protocol.STEP_MOUNT, e.step(), e.getMessage());
        assertTrue(e.getMessage().contains("symlink"), e.getMessage());
        assertEquals(hostProcBefore, mountsAt("/proc"), "the host's /proc mounts changed");
        assertEquals(List.of(), mountsUnder(work), "mounts left behind");
        assertTrue(Files.isRegularFile(rootfs.resolve("bin/busybox")), "the rootfs is covered");
        assertFalse(Files.exists(runDir), "run dir left behind");
    }

    @Test
    void launcherBinaryOnDiskIsUnchangedAfterTheContainerTriesToOverwriteIt() throws Exception {
        Path binary = launcher.binary();
        String before = sha256(binary);
        PreparedLaunch l = prepare(plan("sh", "-c",
                "for p in /proc/[0-9]*; do (echo x > $p/exe) 2>/dev/null && echo wrote $p; done; echo done").build(), true);
        String exe = Files.readSymbolicLink(Path.of("/proc/" + l.initPid() + "/exe")).toString();
        assertTrue(exe.startsWith("/memfd:lxj-launcher"), "init runs " + exe);
        assertEquals(0, l.start().awaitExit(TIMEOUT).code(), output());
        assertEquals("done\n", output());
        // the host side too: the monitor's exe is the sealed memfd, not writable
        assertEquals(before, sha256(binary));
    }

    @Test
    void joinsTheNetworkNamespaceOfAnotherContainer() throws Exception {
        PreparedLaunch a = prepare(plan("sleep", "1000").build(), work.resolve("run-a"), LaunchStdio.NULL, false);
        a.start();
        String netA = Files.readSymbolicLink(Path.of("/proc/" + a.initPid() + "/ns/net")).toString();
        LaunchPlan.Builder b = plan("readlink", "/proc/self/ns/net")
                .joinNamespace(NamespaceJoin.byPid(Namespace.NET, a.initPid()));
        assertEquals(0, run(b.build()).code(), output());
        assertEquals(netA + "\n", output());
    }

    private PreparedLaunch runningContainer(LaunchPlan.Builder plan) throws Exception {
        PreparedLaunch l = prepare(plan.build(), work.resolve("run-target"), LaunchStdio.NULL, false);
        l.start();
        return l;
    }

    private AttachedProcess attach(PreparedLaunch target, String... argv) throws Exception {
        AttachPlan p = AttachPlan.of(target.initPid(), AttachPlan.startTimeOf(target.initPid()), List.of(argv), ENV);
        AttachedProcess a = launcher.attach(p, toOut());
        attached.add(a);
        return a;
    }

    @Test
    void attachedCommandRunsInTheContainersPidAndUtsNamespaces() throws Exception {
        PreparedLaunch target = runningContainer(plan("sleep", "1000"));
        AttachedProcess a = attach(target, "sh", "-c", "echo $$; hostname; readlink /proc/self/ns/pid");
        assertEquals(0, a.waitFor(), output());
        List<String> lines = output().lines().toList();
        assertTrue(Integer.parseInt(lines.get(0)) > 1, output());
        assertEquals("lxj-it", lines.get(1));
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + target.initPid() + "/ns/pid")).toString(), lines.get(2));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 42 })
    void exitStatusPropagatesThroughAttach(int code) throws Exception {
        PreparedLaunch target = runningContainer(plan("sleep", "1000"));
        assertEquals(code, attach(target, "sh", "-c", "exit " + code).waitFor());
    }

    /** The host's cgroup hierarchies (v1 and v2) under /sys/fs/cgroup, by mount point. */
    private static List<Path> hierarchies() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : new String(Files.newInputStream(Path.of("/proc/self/mounts")).readAllBytes(),
                StandardCharsets.UTF_8).split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 2 && (f[2].equals("cgroup") || f[2].equals("cgroup2")) && f[1].startsWith("/sys/fs/cgroup/")) {
                out.add(Path.of(f[1]));
            }
        }
        return out;
    }

    /** A payload cgroup in every hierarchy (cpuset filled from its parent), removed by {@link #removeCgroups}. */
    private List<Path> payloadCgroups(String name) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (Path h : hierarchies()) {
            Path d = h.resolve(name);
            Files.createDirectory(d);
            dirs.add(d);
            for (String file : new String[] { "cpuset.cpus", "cpuset.mems" }) {
                if (Files.exists(d.resolve(file)) && Files.exists(h.resolve(file))) {
                    Files.writeString(d.resolve(file), new String(Files.newInputStream(h.resolve(file)).readAllBytes(),
                            StandardCharsets.US_ASCII).trim());
                }
            }
        }
        return dirs;
    }

    /** Thaws and removes the cgroups once their processes have exited (bounded). */
    private static void removeCgroups(List<Path> dirs) throws Exception {
        List<Throwable> errors = new ArrayList<>();
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Path d = dirs.get(i);
            quietly(errors, () -> {
                if (Files.exists(d.resolve("freezer.state"))) {
                    Files.writeString(d.resolve("freezer.state"), "THAWED");
                }
            });
        }
        for (Path d : dirs) {
            quietly(errors, () -> {
                for (String pid : Files.readAllLines(d.resolve("cgroup.procs"))) {
                    ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
                }
            });
        }
        for (Path d : dirs) {
            quietly(errors, () -> {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (true) {
                    try {
                        Files.deleteIfExists(d);
                        return;
                    } catch (java.nio.file.FileSystemException busy) {
                        if (System.nanoTime() > deadline) {
                            throw busy;
                        }
                        Thread.onSpinWait();
                        Thread.sleep(10);
                    }
                }
            });
        }
        if (!errors.isEmpty()) {
            AssertionError e = new AssertionError("Failed to remove the test cgroups: " + errors.get(0));
            errors.forEach(e::addSuppressed);
            throw e;
        }
    }

    private PreparedLaunch containerInCgroups(List<Path> dirs) throws Exception {
        return runningContainer(plan("sleep", "1000").cgroup(new CgroupPlacement(Optional.empty(),
                dirs.stream().map(d -> d.resolve("cgroup.procs")).toList())));
    }

    private AttachPlan attachInto(PreparedLaunch target, List<Path> cgroups, String... argv) throws IOException {
        return new AttachPlan(target.initPid(), AttachPlan.startTimeOf(target.initPid()), AttachPlan.ALL,
                List.of(argv), ENV, 0, 0, List.of(), Path.of("/"), cgroups, Optional.empty(), false, false);
    }

    /** Each /proc/PID/cgroup line's hierarchy and path. */
    private static void assertInEveryHierarchy(String procCgroup, String name, int hierarchies) {
        List<String> lines = procCgroup.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(hierarchies, lines.size(), procCgroup);
        for (String l : lines) {
            assertTrue(l.endsWith(":/" + name), "not in the payload cgroup: " + l + "\n" + procCgroup);
        }
    }

    @Test
    void attachedCommandJoinsThePayloadCgroupOfEveryHierarchy() throws Exception {
        String name = "lxc.payload.lxjt-attach-" + ProcessHandle.current().pid();
        List<Path> dirs = payloadCgroups(name);
        try {
            assumeTrue(!dirs.isEmpty(), "needs cgroup hierarchies under /sys/fs/cgroup");
            PreparedLaunch target = containerInCgroups(dirs);
            AttachedProcess a = launcher.attach(attachInto(target, dirs, "cat", "/proc/self/cgroup"), toOut());
            attached.add(a);
            assertEquals(0, a.waitFor(), output());
            // no cgroup namespace was made: the lines show host paths, one per hierarchy
            assertInEveryHierarchy(output(), name, dirs.size());
            a.close();
            ProcessHandle.of(target.initPid()).ifPresent(ProcessHandle::destroyForcibly);
            fixture.awaitGone(target.monitorPid());
        } finally {
            removeCgroups(dirs);
        }
    }

    @Test
    void theAttachedCommandIsBornIntoThePayloadCgroupsTheLauncherStaysOutside() throws Exception {
        commandInPayloadCgroups(false);
    }

    /** With a user namespace joined the command still enters every payload cgroup (by files opened on the host). */
    @Test
    void theAttachedCommandJoinsThePayloadCgroupsFromAUserNamespace() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "needs user namespaces");
        commandInPayloadCgroups(true);
    }

    private void commandInPayloadCgroups(boolean userns) throws Exception {
        String name = "lxc.payload.lxjt-attachcg-" + ProcessHandle.current().pid();
        List<Path> dirs = payloadCgroups(name);
        try {
            assumeTrue(!dirs.isEmpty(), "needs cgroup hierarchies under /sys/fs/cgroup");
            LaunchPlan.Builder b = plan("sleep", "1000").cgroup(new CgroupPlacement(Optional.empty(),
                    dirs.stream().map(d -> d.resolve("cgroup.procs")).toList()));
            if (userns) {
                b = b.cloneNamespace(Namespace.USER)
                        .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                        .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536));
            }
            PreparedLaunch target = runningContainer(b);
            AttachedProcess a = launcher.attach(attachInto(target, dirs, "sleep", "1000"), LaunchStdio.NULL);
            attached.add(a);
            // ATTACHED comes once the command has exec'd: it is in its cgroups by then
            assertInEveryHierarchy(procCgroup(a.pid()), name, dirs.size());
            String launcherCgroups = procCgroup(a.launcherPid());
            assertTrue(launcherCgroups.lines().noneMatch(l -> l.endsWith(":/" + name)),
                    "the launcher joined a payload cgroup:\n" + launcherCgroups);
            assertTrue(a.kill(9));
            assertEquals(128 + 9, a.waitFor());
            a.close();
            ProcessHandle.of(target.initPid()).ifPresent(ProcessHandle::destroyForcibly);
            fixture.awaitGone(target.monitorPid());
        } finally {
            removeCgroups(dirs);
        }
    }

    private static String procCgroup(int pid) throws IOException {
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/" + pid + "/cgroup"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void attachToAFrozenContainerWaitsUntilItIsThawed() throws Exception {
        String name = "lxc.payload.lxjt-frozen-" + ProcessHandle.current().pid();
        List<Path> dirs = payloadCgroups(name);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            Path freezer = dirs.stream().filter(d -> Files.exists(d.resolve("freezer.state"))).findFirst().orElse(null);
            assumeTrue(freezer != null, "needs the v1 freezer controller");
            PreparedLaunch target = containerInCgroups(dirs);
            Files.writeString(freezer.resolve("freezer.state"), "FROZEN");
            java.util.concurrent.Future<AttachedProcess> attaching = pool.submit(
                    () -> launcher.attach(attachInto(target, dirs, "cat", "/proc/self/cgroup"), toOut()));
            // the attached command shows up in the frozen cgroup before it runs; it is frozen there with the container
            String init = Integer.toString(target.initPid());
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (Files.readAllLines(freezer.resolve("cgroup.procs")).stream().allMatch(init::equals)) {
                assertTrue(System.nanoTime() < deadline, "the attached command never joined the freezer cgroup");
                assertFalse(attaching.isDone(), "the attach ended before it joined the frozen cgroup");
                Thread.sleep(5);
            }
            String joined = Files.readAllLines(freezer.resolve("cgroup.procs")).stream().filter(p -> !p.equals(init))
                    .findFirst().orElseThrow();
            assertFalse(attaching.isDone(), "the attach completed inside a frozen container");
            assertEquals("", output(), "the command ran inside a frozen container");
            Files.writeString(freezer.resolve("freezer.state"), "THAWED");
            AttachedProcess a = attaching.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            attached.add(a);
            assertEquals(Integer.parseInt(joined), a.pid());
            assertEquals(0, a.waitFor(), output());
            assertInEveryHierarchy(output(), name, dirs.size());
            a.close();
            ProcessHandle.of(target.initPid()).ifPresent(ProcessHandle::destroyForcibly);
            fixture.awaitGone(target.monitorPid());
        } finally {
            pool.shutdownNow();
            removeCgroups(dirs);
        }
    }

    /** Opens {@code path} for writing in the monitor's own context; returns the fd or -errno, the fd closed. */
    private static long writeFromMonitor(int monitorPid, Path path) {
        try (SyscallInjector in = SyscallInjector.attach(monitorPid, 1000)) {
            long fd = in.call(SyscallInjector.SYS_OPENAT, SyscallInjector.AT_FDCWD, in.string(path.toString()),
                    SyscallInjector.O_WRONLY_CREAT_CLOEXEC, 0644);
            if (fd >= 0) {
                in.call(SyscallInjector.SYS_CLOSE, fd, 0, 0, 0);
            }
            return fd;
        }
    }

    private static boolean noNewPrivs(int pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).contains("NoNewPrivs:\t1");
    }

    @Test
    void theMonitorCanWriteOnlyInItsRunDirectory() throws Exception {
        assumeTrue(SyscallInjector.supported(), "the system call injector speaks x86_64 only");
        assumeTrue(TestLibC.INSTANCE.syscall(444L, Pointer.NULL, 0L, 1) >= 1, "needs Landlock");
        Path run = work.resolve("run-confined");
        PreparedLaunch l = prepare(plan("sleep", "1000").build(), run, LaunchStdio.NULL, false);
        MonitorClient client = l.start();
        int monitor = l.monitorPid();
        // the monitor confines itself after STARTED and before it serves its socket: one answer orders the checks
        assertEquals(Optional.of(l.initPid()), client.state(TIMEOUT));
        assertTrue(noNewPrivs(monitor), "the confined monitor has no_new_privs");
        Path outside = work.resolve("outside-probe");
        Path inside = run.resolve("inside-probe");
        // both from the monitor's own context: inside works (the injection is sound), outside is refused
        long in = writeFromMonitor(monitor, inside);
        assertTrue(in >= 0, "the monitor could not write in its run directory: " + in);
        assertTrue(Files.exists(inside));
        Files.delete(inside);
        assertEquals(-13 /* EACCES */, writeFromMonitor(monitor, outside), "a write outside the run directory");
        assertFalse(Files.exists(outside));
        assertEquals(-13, writeFromMonitor(monitor, Path.of("/tmp", "lxjt-monitor-probe-" + monitor)));
        // and it still does its work: the state answer, the exit record
        assertEquals(Optional.of(l.initPid()), client.state(TIMEOUT));
        assertTrue(client.kill(9, TIMEOUT), "the monitor signals init");
        assertEquals(9, client.awaitExit(TIMEOUT).signal());
        assertTrue(Files.exists(run.resolve(MonitorClient.EXIT_FILE)));
        fixture.awaitGone(monitor);
    }

    @Test
    void aMonitorWithStopHooksStaysUnconfinedForThem() throws Exception {
        assumeTrue(SyscallInjector.supported(), "the system call injector speaks x86_64 only");
        assumeTrue(TestLibC.INSTANCE.syscall(444L, Pointer.NULL, 0L, 1) >= 1, "needs Landlock");
        Path run = work.resolve("run-hooks");
        Path mark = work.resolve("stop-hook-ran");
        PreparedLaunch l = prepare(plan("sleep", "1000").hook(new Hook(Hook.Stage.STOP,
                List.of("/bin/sh", "-c", "echo stopped > " + mark), ENV)).build(), run, LaunchStdio.NULL, false);
        MonitorClient client = l.start();
        int monitor = l.monitorPid();
        assertEquals(Optional.of(l.initPid()), client.state(TIMEOUT));   // past the point where it would confine
        assertFalse(noNewPrivs(monitor));
        Path outside = work.resolve("outside-probe");
        assertTrue(writeFromMonitor(monitor, outside) >= 0, "the monitor with stop hooks is not confined");
        Files.delete(outside);
        ProcessHandle.of(l.initPid()).ifPresent(ProcessHandle::destroyForcibly);
        client.awaitExit(TIMEOUT);
        assertEquals("stopped\n", Files.readString(mark), "the stop hook wrote outside the run directory");
        fixture.awaitGone(monitor);
    }

    @Test
    void attachRefusesARecycledInitPid() throws Exception {
        PreparedLaunch target = runningContainer(plan("sleep", "1000"));
        AttachPlan p = AttachPlan.of(target.initPid(), AttachPlan.startTimeOf(target.initPid()) + 1, List.of("true"), ENV);
        LaunchException e = assertThrows(LaunchException.class, () -> launcher.attach(p, LaunchStdio.NULL));
        assertEquals(Protocol.STEP_ATTACH, e.step(), e.getMessage());
        assertEquals(3, e.errno(), e.getMessage());
    }

    @Test
    void theJoiningLauncherIsNotDumpable() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "needs user namespaces");
        PreparedLaunch target = runningContainer(plan("sleep", "1000")
                .cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536)));
        AttachedProcess a = attach(target, "sleep", "1000");
        Path proc = Path.of("/proc/" + a.launcherPid());
        String uid = Files.readAllLines(proc.resolve("status")).stream().filter(x -> x.startsWith("Uid:")).findFirst()
                .orElseThrow().split("\\s+")[1];
        // The launcher became root of the container's user namespace (host uid 100000). The kernel shows a
        // dumpable process's /proc files as owned by its uid, a non-dumpable one's as owned by root.
        assertEquals("100000", uid, "the launcher did not join the user namespace");
        assertEquals(0, Files.getAttribute(proc.resolve("environ"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        // the control: the exec'd command is dumpable again, so its files show its own uid
        assertEquals(100000, Files.getAttribute(Path.of("/proc/" + a.pid() + "/environ"), "unix:uid",
                LinkOption.NOFOLLOW_LINKS));
        assertTrue(a.kill(9));
        assertEquals(128 + 9, a.waitFor());
    }

    /**
     * The monitors, once they equal {@code expected} or {@link #TIMEOUT} has passed: a monitor that reported
     * an error closes its socket while it is still exiting.
     */
    private Set<Integer> monitorsOnceSettled(Set<Integer> expected) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        Set<Integer> now = monitors();
        while (!now.equals(expected) && System.nanoTime() < deadline) {
            for (int pid : now) {
                if (!expected.contains(pid)) {
                    ProcessHandle.of(pid).ifPresent(p -> {
                        try {
                            p.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                        } catch (Exception stillThere) {
                            // reported by the caller's assertion
                        }
                    });
                }
            }
            now = monitors();
        }
        return now;
    }

    /** Whether a process has a descriptor on something under {@code dir}: ours, not another suite's monitor. */
    private static boolean holdsAnythingUnder(int pid, Path dir) {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).startsWith(dir);
                } catch (IOException gone) {
                    return false;
                }
            });
        } catch (IOException gone) {
            return false;
        }
    }

    private Set<Integer> monitors() throws IOException {
        Set<Integer> pids = new TreeSet<>();
        forEachProcess(pid -> {
            try {
                // A zombie has released everything; its reaping is up to the host's init, not to us.
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                if (!zombie && Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("lxj-monitor")
                        && holdsAnythingUnder(pid, work)) {
                    pids.add(pid);
                }
            } catch (IOException gone) {
                // exited while we looked
            }
        });
        return pids;
    }

    private static List<Integer> processesRootedIn(Path root) throws IOException {
        List<Integer> pids = new ArrayList<>();
        forEachProcess(pid -> {
            try {
                if (Files.readSymbolicLink(Path.of("/proc/" + pid + "/root")).startsWith(root)) {
                    pids.add(pid);
                }
            } catch (IOException gone) {
                // exited while we looked
            }
        });
        return pids;
    }

    private static void forEachProcess(Consumer<Integer> action) throws IOException {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(Integer::parseInt).forEach(action);
        }
    }

    private static List<String> mountsAt(String point) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(point)).toList();
    }
}
