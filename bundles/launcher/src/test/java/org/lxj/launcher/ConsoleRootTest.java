package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.launcher.internal.NativeLauncher;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rootfs;

/** Root integration tests of the monitor-held console and ttys, driven through {@link ConsoleConnection}. */
class ConsoleRootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final String[] APPLETS = { "sh", "echo", "stat", "tty", "stty", "yes", "head", "sleep", "cat", "id", "getty", "login" };

    private Path work;
    private Path rootfs;
    private final List<PreparedLaunch> launches = new ArrayList<>();
    private final List<ConsoleConnection> connections = new ArrayList<>();
    private final NativeLauncher launcher = new NativeLauncher();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(isRoot(), "needs root: creates namespaces, mounts and ptys");
        assumeTrue(Files.isExecutable(BUSYBOX), "needs a static busybox at /bin/busybox (apt-get install busybox-static)");
        assumeTrue(Files.exists(Path.of("/dev/ptmx")), "needs the host's /dev/ptmx");
        work = Files.createTempDirectory("lxj-console-it-");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        rootfs = work.resolve("rootfs");
        for (String d : new String[] { "bin", "proc", "dev", "tmp" }) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        Files.setPosixFilePermissions(rootfs.resolve("bin/busybox"), PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (work == null) {
            return;
        }
        connections.forEach(ConsoleConnection::close);
        for (PreparedLaunch l : launches) {
            ProcessHandle.of(l.initPid()).ifPresent(ProcessHandle::destroyForcibly);
            l.abort();
            ProcessHandle.of(l.monitorPid()).ifPresent(p -> p.onExit().join());
        }
        launcher.close();
        // everything was mounted in the containers' mount namespaces: nothing of them is left on the host
        try (Stream<Path> files = Files.walk(work)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
    }

    private LaunchPlan plan(ConsoleSpec console, String... argv) {
        return planBuilder(console, argv).build();
    }

    private LaunchPlan.Builder planBuilder(ConsoleSpec console, String... argv) {
        LaunchPlan.Builder b = LaunchPlan.builder();
        EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET)
                .forEach(b::cloneNamespace);
        return b.rootfs(Rootfs.of(rootfs))
                .mount(MountStep.filesystem("proc", Path.of("/proc"),
                        EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), ""))
                .mount(MountStep.filesystem("tmpfs", Path.of("/dev"), EnumSet.of(MountFlag.NOSUID, MountFlag.NOEXEC),
                        "mode=755"))
                .hostname("lxj-console")
                .console(console)
                .process(ProcessSpec.root(List.of(argv), List.of("PATH=/bin", "PS1=$ ")));
    }

    private MonitorClient start(LaunchPlan plan, Path run) throws LaunchException {
        PreparedLaunch l = launcher.prepare(plan, run, LaunchStdio.NULL, new LaunchOptions("console-it", false));
        launches.add(l);
        return l.start();
    }

    private ConsoleConnection open(Path run, int tty, int rows, int columns) throws ConsoleException {
        ConsoleConnection c = ConsoleConnection.open(run, tty, rows, columns);
        connections.add(c);
        return c;
    }

    /** Collects a viewer's output on a thread of its own, so the test can wait for text with a deadline. */
    private static final class Collector {
        private final StringBuilder text = new StringBuilder();
        private boolean eof;

        Collector(InputStream in) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = in.read(buf)) >= 0;) {
                        synchronized (this) {
                            text.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                            notifyAll();
                        }
                    }
                } catch (IOException closed) {
                    // the connection went away: as end of stream
                }
                synchronized (this) {
                    eof = true;
                    notifyAll();
                }
            }, "console-collector");
            t.setDaemon(true);
            t.start();
        }

        synchronized String await(String needle) throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!text.toString().contains(needle)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || eof) {
                    throw new AssertionError("No \"" + needle + "\" on the terminal" + (eof ? " before EOF" : "")
                            + "; read: " + text);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return text.toString();
        }

        synchronized void awaitEof() throws InterruptedException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!eof) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("The viewer saw no EOF; read: " + text);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
    }

    private static void type(ConsoleConnection c, String line) throws IOException {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        c.write(b, 0, b.length);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " after " + TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(20); // polling a file the monitor writes; the condition decides, not the time
        }
    }

    private static String bufferText(Path run) {
        try {
            return new String(ConsoleConnection.buffer(run), StandardCharsets.ISO_8859_1);
        } catch (ConsoleException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    @Test
    void aShellOnTheConsoleRunsWhatIsTypedAndItsTerminalsArePtySlaves() throws Exception {
        Path run = work.resolve("run");
        Path log = work.resolve("console.log");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 2, "", 0, Optional.of(log), 65536, 24, 80);
        MonitorClient client = start(plan(spec, "sh", "-i"), run);
        ConsoleConnection console = open(run, 0, 0, 0);
        assertEquals(0, console.tty());
        Collector out = new Collector(console.output());

        type(console, "echo hi-$((6*7))\n");
        out.await("hi-42");
        // the console and both ttys are binds of pty slaves (major 136 = 0x88); the console is init's terminal
        type(console, "echo M-$(stat -c %t /dev/console)-$(stat -c %t /dev/tty1)-$(stat -c %t /dev/tty2)\n");
        out.await("M-88-88-88");
        type(console, "echo T-$(tty)\n");
        out.await("T-/dev/console");
        // the initial size from the plan, then the viewer's
        type(console, "echo S-$(stty size)\n");
        out.await("S-24 80");
        console.resize(33, 101);
        type(console, "echo S-$(stty size)\n");
        out.await("S-33 101");

        // output to a tty nobody views waits in its pty until a viewer comes (a getty prompt)
        type(console, "echo early-$((3*3)) > /dev/tty1; echo wrote-$((1+0))\n");
        out.await("wrote-1");
        // one viewer per tty: -1 takes the first free one; none left, or a taken one, is denied
        ConsoleConnection tty1 = open(run, -1, 0, 0);
        assertEquals(1, tty1.tty());
        Collector tty1Out = new Collector(tty1.output());
        tty1Out.await("early-9");
        ConsoleConnection tty2 = open(run, 2, 0, 0);
        assertEquals(2, tty2.tty());
        ConsoleException none = assertThrows(ConsoleException.class, () -> open(run, -1, 0, 0));
        assertTrue(none.denied(), none.getMessage());
        assertTrue(none.getMessage().contains("tty service denied") && none.getMessage().contains(run.toString()),
                none.getMessage());
        ConsoleException taken = assertThrows(ConsoleException.class, () -> open(run, 1, 0, 0));
        assertTrue(taken.denied(), taken.getMessage());
        ConsoleException missing = assertThrows(ConsoleException.class, () -> open(run, 3, 0, 0));
        assertFalse(missing.denied(), missing.getMessage());
        assertTrue(missing.getMessage().contains("no such tty"), missing.getMessage());
        // several viewers share the console; the tty viewer sees what is written to its tty
        ConsoleConnection second = open(run, 0, 0, 0);
        Collector secondOut = new Collector(second.output());
        type(console, "echo to-$((1+1))-tty1 > /dev/tty1; echo both-$((2+3))\n");
        tty1Out.await("to-2-tty1");
        secondOut.await("both-5");
        out.await("both-5");

        // the log and the ring buffer hold the console's output
        awaitTrue("no hi-42 in the console log", () -> read(log).contains("hi-42"));
        String buffer = new String(ConsoleConnection.buffer(run), StandardCharsets.ISO_8859_1);
        assertTrue(buffer.contains("hi-42") && buffer.contains("both-5"), buffer);

        // detaching leaves the container running; the shell's exit ends it, and every viewer sees EOF
        second.close();
        assertEquals(Optional.of(launches.get(0).initPid()), client.state(TIMEOUT));
        type(console, "exit 7\n");
        assertEquals(7, client.awaitExit(TIMEOUT).code());
        out.awaitEof();
        tty1Out.awaitEof();
    }

    @ParameterizedTest
    @ValueSource(booleans = { true, false })
    void aMegabyteNobodyReadsDoesNotBlockAndTheLogRotatesOrTruncatesAtItsSize(boolean rotate) throws Exception {
        Path run = work.resolve("run");
        Path log = work.resolve("big.log");
        Path rotated = work.resolve("big.log.1");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 0, "", 0, Optional.of(log), 4096, 0, 0, 65536,
                rotate);
        MonitorClient client = start(plan(spec, "sh", "-c", "yes | head -c 1048576; echo END-$((40+2)); exec sleep 1000"),
                run);
        // nobody reads the console: the command still gets through its megabyte (the ring buffer's end shows it;
        // the monitor writes a chunk to the buffer and the log before it answers the next request)
        awaitTrue("the command did not finish its output", () -> bufferText(run).contains("END-42"));
        byte[] buffer = ConsoleConnection.buffer(run);
        assertEquals(4096, buffer.length);
        assertTrue(new String(buffer, StandardCharsets.ISO_8859_1).endsWith("y\r\nEND-42\r\n"));
        assertTrue(Files.size(log) <= 65536, "log of " + Files.size(log) + " bytes");
        assertTrue(Files.size(log) > 0, "the log holds the output");
        if (rotate) {
            assertEquals(65536, Files.size(rotated), "the log is rotated when it reaches its size");
            // 524288 lines "y\r\n" are 24 logs of 64 KiB exactly: the last line goes alone into a fresh log
            assertEquals("END-42\r\n", read(log), "the rotated log goes on in a fresh file");
        } else {
            assertFalse(Files.exists(rotated), "a log without rotation is truncated, never rotated");
        }
        assertTrue(client.kill(9, TIMEOUT));
        assertEquals(9, client.awaitExit(TIMEOUT).signal());
    }

    @Test
    void aBusyboxSystemContainerBootsWithAGettyOnTty1AndAShellOnTheConsole() throws Exception {
        Files.createDirectories(rootfs.resolve("sbin"));
        Files.createDirectories(rootfs.resolve("etc"));
        Files.createSymbolicLink(rootfs.resolve("sbin/init"), Path.of("../bin/busybox"));
        Files.writeString(rootfs.resolve("etc/inittab"), "::sysinit:/bin/echo booted-$((40+2))\n"
                + "::respawn:-/bin/sh\ntty1::respawn:/bin/getty 0 tty1\n");
        Path run = work.resolve("run");
        Path log = work.resolve("boot.log");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 1, "", 0, Optional.of(log), 0, 0, 0);
        MonitorClient client = start(planBuilder(spec, "/sbin/init")
                .device(DeviceNode.character(Path.of("/dev/null"), 1, 3, 0666)).build(), run);
        // the getty's prompt waited in tty1's pty until a viewer came
        ConsoleConnection tty1 = open(run, 1, 0, 0);
        new Collector(tty1.output()).await("lxj-console login: ");
        ConsoleConnection console = open(run, 0, 0, 0);
        Collector out = new Collector(console.output());
        type(console, "echo in-$((6*7))\n");
        out.await("in-42");
        // the boot output went to the log before anyone looked
        awaitTrue("no boot output in the log", () -> read(log).contains("booted-42"));
        assertTrue(client.kill(9, TIMEOUT));
        assertEquals(9, client.awaitExit(TIMEOUT).signal());
    }

    @Test
    void inAUserNamespaceTheTerminalsBelongToTheContainersRoot() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/ns/user")), "needs user namespaces");
        Path run = work.resolve("run");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 1, "", 0, Optional.empty(), 0, 0, 0);
        LaunchPlan plan = planBuilder(spec, "sh", "-i").cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536)).build();
        start(plan, run);
        ConsoleConnection console = open(run, 0, 0, 0);
        Collector out = new Collector(console.output());
        type(console, "echo U-$(id -u)-$(stat -c %u:%g:%t /dev/console)-$(stat -c %u:%g:%t /dev/tty1)-$(tty)\n");
        out.await("U-0-0:0:88-0:0:88-/dev/console");
    }

    @Test
    void aConsoleTargetThatCannotTakeTheBindFailsTheConsoleStepAndLeavesNothingBehind() throws Exception {
        Files.createDirectories(rootfs.resolve("dev/console"));
        Path run = work.resolve("run");
        LaunchPlan.Builder b = LaunchPlan.builder();
        EnumSet.of(Namespace.MOUNT, Namespace.PID).forEach(b::cloneNamespace);
        LaunchPlan plan = b.rootfs(Rootfs.of(rootfs))
                .console(new ConsoleSpec(ConsoleSpec.Console.PTY, 0, "", 0, Optional.empty(), 0, 0, 0))
                .process(ProcessSpec.root(List.of("sh"), List.of("PATH=/bin"))).build();
        LaunchException e = assertThrows(LaunchException.class, () -> launches.add(launcher.prepare(plan, run,
                LaunchStdio.NULL, new LaunchOptions("console-it", false))));
        assertEquals("console", e.stepName(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Failed to mount \"/dev/pts/") && e.getMessage().contains(
                "on \"/dev/console\": "), e.getMessage());
        assertFalse(Files.exists(run.resolve(MonitorClient.SOCKET)));
    }

    @Test
    void ttyDirHoldsTheNodesWithSymlinksAndNoConsoleGivesNullStdio() throws Exception {
        Path run = work.resolve("run");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 1, "lxc", 0, Optional.empty(), 0, 0, 0);
        start(plan(spec, "sh", "-i"), run);
        ConsoleConnection console = open(run, 0, 0, 0);
        Collector out = new Collector(console.output());
        type(console, "echo L-$(stat -c %N /dev/console)-$(stat -c %t /dev/lxc/console)-$(stat -c %N /dev/tty1)\n");
        out.await("L-'/dev/console' -> 'lxc/console'-88-'/dev/tty1' -> 'lxc/tty1'");
        // without a log the monitor confines itself with Landlock: the ptys it holds still resize
        console.resize(50, 120);
        type(console, "echo S-$(stty size)\n");
        out.await("S-50 120");
        ConsoleConnection tty1 = open(run, 1, 7, 9);
        Collector tty1Out = new Collector(tty1.output());
        type(console, "stty size < /dev/tty1 > /dev/tty1\n");
        tty1Out.await("7 9");

        Path run2 = work.resolve("run2");
        Path marks = rootfs.resolve("tmp/marks");
        ConsoleSpec none = new ConsoleSpec(ConsoleSpec.Console.NONE, 1, "", 0, Optional.empty(), 0, 0, 0);
        MonitorClient c2 = start(plan(none, "sh", "-c", "stat -L -c %t:%T /proc/self/fd/0 /proc/self/fd/2 > /tmp/marks"),
                run2);
        assertEquals(0, c2.awaitExit(TIMEOUT).code());
        assertEquals("1:3\n1:3\n", Files.readString(marks), "stdio is /dev/null without a console");
        ConsoleException noConsole = assertThrows(ConsoleException.class, () -> ConsoleConnection.open(run2, 0, 0, 0));
        assertFalse(noConsole.denied());
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }

    @Test
    @Timeout(120)
    void aStartHookWritingMoreThanAPtyHoldsBeforeStartDoesNotBlockAndTheLogHoldsAllOfIt() throws Exception {
        Path run = work.resolve("run");
        Path log = work.resolve("hook.log");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 0, "", 0, Optional.of(log), 0, 0, 0);
        // 200000 bytes (40000 lines "hook") on the console during setup, long before START: far more than a pty
        // holds, so a monitor that read the console only after STARTED would never see READY
        LaunchPlan plan = planBuilder(spec, "sh", "-c", "echo CMD-$((6*7)); exec sleep 1000")
                .hook(new Hook(Hook.Stage.START, List.of("/bin/sh", "-c", "yes hook | head -c 200000; echo HOOK-END"),
                        List.of("PATH=/bin")))
                .build();
        MonitorClient client = start(plan, run);
        awaitTrue("the command's output did not reach the log", () -> read(log).contains("CMD-42"));
        String text = read(log);
        assertEquals(40000, count(text, "hook\r\n"), "every line the hook wrote is in the log");
        assertTrue(text.indexOf("HOOK-END") < text.indexOf("CMD-42"), "the hook's output comes before the command's");
        assertTrue(client.kill(9, TIMEOUT));
        assertEquals(9, client.awaitExit(TIMEOUT).signal());
    }

    @Test
    void aReplayingViewerSeesTheConsoleFromItsFirstByteEvenWithoutAConfiguredBuffer() throws Exception {
        Path run = work.resolve("run");
        Path log = work.resolve("replay.log");
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 0, "", 0, Optional.of(log), 0, 0, 0);
        MonitorClient client = start(plan(spec, "sh", "-c", "echo EARLY-$((6*7)); exec sh -i"), run);
        awaitTrue("the early output did not reach the log", () -> read(log).contains("EARLY-42"));

        ConsoleConnection plain = open(run, 0, 0, 0);
        Collector plainOut = new Collector(plain.output());
        ConsoleConnection replaying = ConsoleConnection.open(run, 0, 0, 0, true);
        connections.add(replaying);
        assertEquals(0, replaying.tty());
        Collector replayOut = new Collector(replaying.output());
        replayOut.await("EARLY-42");
        type(replaying, "echo LATE-$((5+5))\n");
        String replayed = replayOut.await("LATE-10");
        String viewed = plainOut.await("LATE-10");
        // the ring first, then the stream: nothing lost, nothing doubled; a plain viewer starts at its connection
        assertEquals(1, count(replayed, "EARLY-42"), replayed);
        assertTrue(replayed.indexOf("EARLY-42") < replayed.indexOf("LATE-10"), replayed);
        assertFalse(viewed.contains("EARLY-42"), viewed);
        // without lxc.console.buffer.size the replay ring is the monitor's own: console-buffer shows none
        assertEquals(0, ConsoleConnection.buffer(run).length);
        assertTrue(client.kill(9, TIMEOUT));
        assertEquals(9, client.awaitExit(TIMEOUT).signal());
    }
}
