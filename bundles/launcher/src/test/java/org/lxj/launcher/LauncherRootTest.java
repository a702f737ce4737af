package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.lxj.launcher.internal.NativeLauncher;

/** Root integration tests: real namespaces and mounts, a busybox rootfs, the built-in init. */
class LauncherRootTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Path BUSYBOX = Path.of("/bin/busybox");
    private static final long NAMESPACES = LaunchPlan.CLONE_NEWNS | LaunchPlan.CLONE_NEWPID | LaunchPlan.CLONE_NEWUTS
            | LaunchPlan.CLONE_NEWIPC | LaunchPlan.CLONE_NEWNET;
    private static final String[] APPLETS = { "sh", "echo", "cat", "ls", "hostname", "sleep", "true", "false", "ps",
        "readlink", "touch", "grep", "wc" };

    private Path work;
    private Path rootfs;
    private Path runDir;
    private Path out;
    private final List<PreparedLaunch> launches = new ArrayList<>();
    private final Launcher launcher = new NativeLauncher();

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(isRoot(), "needs root: creates namespaces and mounts");
        assumeTrue(Files.isExecutable(BUSYBOX), "needs a static busybox at /bin/busybox (apt-get install busybox-static)");
        work = Files.createTempDirectory("lxj-launcher-it-");
        rootfs = work.resolve("rootfs");
        for (String d : new String[] { "bin", "proc", "dev", "tmp", "etc" }) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(BUSYBOX, rootfs.resolve("bin/busybox"));
        for (String applet : APPLETS) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(applet), Path.of("busybox"));
        }
        runDir = work.resolve("run");
        out = work.resolve("out.txt");
    }

    @AfterEach
    void tearDown() throws IOException, InterruptedException {
        if (work == null) {
            return;
        }
        for (PreparedLaunch l : launches) {
            ProcessHandle.of(l.initPid()).ifPresent(ProcessHandle::destroyForcibly);
            l.abort();
            awaitGone(l.monitorPid());
        }
        for (String mountPoint : mountsUnder(work)) {
            new ProcessBuilder("umount", "-l", mountPoint).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
        deleteSameDevice(work);
    }

    private static boolean isRoot() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("Uid:")).anyMatch(l -> l.split("\\s+")[1].equals("0"));
    }

    private LaunchPlan.Builder plan(String... argv) {
        return LaunchPlan.builder("it", rootfs, List.of(argv))
                .cloneFlags(NAMESPACES)
                .mount(new LaunchPlan.Mount("proc", "/proc", "proc",
                        LaunchPlan.Mount.MS_NOSUID | LaunchPlan.Mount.MS_NODEV | LaunchPlan.Mount.MS_NOEXEC, null,
                        LaunchPlan.Mount.Create.DIR, false, null))
                .masked("/proc/kcore")
                .readonly("/proc/sys")
                .hostname("lxj-it")
                .env("PATH=/bin")
                .builtinInit(true)
                .stdio(null, out, out);
    }

    private PreparedLaunch prepare(LaunchPlan plan) throws LaunchException {
        PreparedLaunch l = launcher.prepare(plan, runDir);
        launches.add(l);
        return l;
    }

    private ExitStatus run(LaunchPlan plan) throws Exception {
        PreparedLaunch l = prepare(plan);
        MonitorClient client = l.start();
        ExitStatus status = client.awaitExit(TIMEOUT);
        awaitGone(l.monitorPid());
        return status;
    }

    private String output() throws IOException {
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void awaitGone(int pid) {
        ProcessHandle.of(pid).ifPresent(p -> {
            try {
                p.onExit().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("Process " + pid + " still runs after " + TIMEOUT.toSeconds() + " s", e);
            }
        });
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
                .mount(new LaunchPlan.Mount("tmpfs", target, "tmpfs", 0, "mode=0755", LaunchPlan.Mount.Create.DIR, false,
                        null))
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
        PreparedLaunch l = prepare(plan("true").build());
        for (int pid : new int[] { l.monitorPid(), l.initPid() }) {
            String exe = Files.readSymbolicLink(Path.of("/proc/" + pid + "/exe")).toString();
            assertTrue(exe.startsWith("/memfd:lxj-launcher"), pid + " runs " + exe);
        }
        assertEquals(0, l.start().awaitExit(TIMEOUT).code());
    }

    @Test
    void monitorOutlivesItsClientAndWritesTheExitRecord() throws Exception {
        PreparedLaunch l = prepare(plan("sleep", "1000").build());
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
        awaitGone(l.monitorPid());
        assertEquals(s, ExitStatus.parse(Files.readString(runDir.resolve("exit"))));
        assertFalse(Files.exists(runDir.resolve("monitor.sock")));
        assertTrue(fresh.state(TIMEOUT).isEmpty());
        assertEquals(s, fresh.awaitExit(TIMEOUT));
    }

    @Test
    void failingStepReportsStepAndErrnoAndLeavesNothingBehind() throws Exception {
        Set<Integer> monitorsBefore = monitors();
        LaunchPlan bad = plan("true")
                .mount(new LaunchPlan.Mount(work.resolve("no-such-source").toString(), "/mnt", null,
                        LaunchPlan.Mount.MS_BIND, null, LaunchPlan.Mount.Create.DIR, false, null))
                .build();
        LaunchException e = assertThrows(LaunchException.class, () -> prepare(bad));
        assertEquals(Protocol.STEP_MOUNT, e.step(), e.getMessage());
        assertEquals(2, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("Failed to mount \"" + work.resolve("no-such-source") + "\" on \"/mnt\""),
                e.getMessage());
        assertTrue(e.getMessage().endsWith(": ENOENT"), e.getMessage());
        assertFalse(Files.exists(runDir), "run dir left behind");
        assertEquals(List.of(), mountsUnder(work), "mounts left behind");
        assertEquals(monitorsBefore, monitors(), "monitor left behind");
        assertEquals(List.of(), processesRootedIn(rootfs), "container process left behind");
    }

    @Test
    void missingCommandReportsTheExecStep() throws Exception {
        PreparedLaunch l = prepare(plan("/bin/no-such-command").builtinInit(false).build());
        LaunchException e = assertThrows(LaunchException.class, l::start);
        assertEquals(Protocol.STEP_EXEC, e.step(), e.getMessage());
        assertEquals(2, e.errno());
        awaitGone(l.monitorPid());
        assertFalse(Files.exists(runDir), "run dir left behind");
    }

    private static Set<Integer> monitors() throws IOException {
        Set<Integer> pids = new TreeSet<>();
        forEachProcess(pid -> {
            try {
                // A zombie has released everything; its reaping is up to the host's init, not to us.
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
                if (!zombie && Files.readString(Path.of("/proc/" + pid + "/comm")).trim().equals("lxj-monitor")) {
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

    private static List<String> mountsUnder(Path dir) throws IOException {
        List<String> points = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String point = line.split(" ")[4].replace("\\040", " ");
            if (point.startsWith(dir.toString() + "/") || point.equals(dir.toString())) {
                points.add(point);
            }
        }
        points.sort((a, b) -> b.length() - a.length());
        return points;
    }

    /** Removes the tree without following symlinks or descending into other filesystems. */
    private static void deleteSameDevice(Path dir) throws IOException {
        Object dev = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                return dev.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))
                        ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(f);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                try {
                    Files.deleteIfExists(d);
                } catch (java.nio.file.DirectoryNotEmptyException mountedOver) {
                    // a foreign filesystem is still attached below: leave it rather than cross into it
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
