package org.lxj.cgroup.v2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.cgroup.CgroupCapability;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/**
 * The v2 backend on the host's real cgroup2 mount (root): membership, {@code cgroup.freeze}, {@code cgroup.kill},
 * a controller of that hierarchy and removal, on a scratch parent {@code lxjt-v2-<id>} holding the payload and
 * monitor cgroups. Every process started is killed and reaped, every cgroup removed, even on failure.
 */
class V2CgroupBackendRootTest {
    /** The freezer trap a frozen task sleeps in ({@code do_freezer_trap}, inlined into {@code get_signal}). */
    static final Set<String> FREEZER_WCHAN = Set.of("get_signal", "do_freezer_trap");

    Path mount;
    String scratch;
    V2CgroupBackend backend;
    CgroupHandle handle;
    final List<Process> started = new ArrayList<>();
    boolean enabledHugetlbAtRoot;

    /** The mount point of the first cgroup2 filesystem in {@code /proc/self/mountinfo}, if any. */
    static Optional<Path> cgroup2Mount() throws IOException {
        String info;
        try (InputStream in = Files.newInputStream(Path.of("/proc/self/mountinfo"))) {
            info = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        for (String line : info.split("\n")) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] after = line.substring(dash + 3).split(" ");
            String[] before = line.substring(0, dash).split(" ");
            if (after.length > 0 && after[0].equals("cgroup2") && before.length > 4) {
                return Optional.of(Path.of(before[4].replace("\\040", " ")));
            }
        }
        return Optional.empty();
    }

    @BeforeEach
    void rootAndCgroup2() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to make cgroups");
        Optional<Path> m = cgroup2Mount();
        assumeTrue(m.isPresent(), "needs a cgroup2 mount (none in /proc/self/mountinfo)");
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "needs /bin/busybox");
        mount = m.get();
        List<String> controllers = words(read(mount.resolve("cgroup.controllers")));
        HostFacts host = new HostFacts(System.getProperty("os.version"), "x86_64", Set.of(), List.of(),
                CgroupLayout.HYBRID, List.of(new CgroupHierarchy(2, mount, controllers)), false, Set.of(), 0);
        backend = new V2CgroupBackend(new JnaSyscalls(), host, Path.of(V2CgroupBackend.SELF_CGROUP),
                new Drain(Duration.ofSeconds(10)));
        scratch = "lxjt-v2-" + UUID.randomUUID().toString().substring(0, 8);
        handle = backend.create(new CgroupRequest("c", "lxc.payload.%n",
                Optional.of(scratch + "/lxc.payload.c"), Optional.of(scratch + "/lxc.monitor.c"), false, Set.of()));
    }

    @AfterEach
    void killAndRemove() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        if (mount == null || scratch == null) {
            return;
        }
        Path base = mount.resolve(scratch);
        if (Files.isDirectory(base)) {
            Path payload = base.resolve("lxc.payload.c");
            if (Files.isDirectory(payload)) {
                // whatever a failed test left inside (a reparented grandchild) dies with it
                if (Files.exists(payload.resolve("cgroup.kill"))) {
                    Files.writeString(payload.resolve("cgroup.kill"), "1");
                }
                Files.writeString(payload.resolve("cgroup.freeze"), "0");
            }
            for (Path d : List.of(base.resolve("lxc.payload.c"), base.resolve("lxc.monitor.c"), base)) {
                new Drain(Duration.ofSeconds(10)).await(() -> {
                    try {
                        Files.deleteIfExists(d);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
            }
        }
        if (enabledHugetlbAtRoot) {
            // give the host's root back as found; another user of hugetlb below the root keeps it (EBUSY)
            try {
                Files.writeString(mount.resolve("cgroup.subtree_control"), "-hugetlb");
            } catch (IOException busy) {
                System.err.println("hugetlb stays enabled at " + mount + ": " + busy.getMessage());
            }
        }
        assertFalse(Files.exists(base), "scratch cgroup left: " + base);
    }

    static String read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    Path payload() {
        return handle.payloadDirectories().get(0);
    }

    /** A busybox shell running {@code script} with stdin and stdout piped. */
    Process shell(String script) throws IOException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", script).redirectError(
                ProcessBuilder.Redirect.DISCARD).start();
        started.add(p);
        return p;
    }

    /** The next line of {@code p}'s output, read a byte at a time so that nothing after it is consumed. */
    static String line(Process p) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        InputStream in = p.getInputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            assertTrue(b >= 0, "the process ended without a line");
            out.write(b);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The cgroup2 path of {@code pid}, from the {@code 0::} line of {@code /proc/PID/cgroup}. */
    static String cgroupOf(long pid) throws IOException {
        return read(Path.of("/proc/" + pid + "/cgroup")).lines().filter(l -> l.startsWith("0::"))
                .map(l -> l.substring(3)).findFirst().orElse("");
    }

    @Test
    void aProcessAttachedShowsInCgroupProcsAndInItsProcCgroupLine() throws Exception {
        Process p = shell("read l; echo $l");
        backend.attach(handle, (int) p.pid());
        assertEquals(List.of((int) p.pid()), backend.pids(handle));
        assertEquals(List.of(Long.toString(p.pid())), words(read(payload().resolve("cgroup.procs"))));
        assertEquals("/" + scratch + "/lxc.payload.c", cgroupOf(p.pid()));
        assertTrue(read(payload().resolve("cgroup.events")).contains("populated 1"));
        p.getOutputStream().write("bye\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        assertEquals("bye", line(p));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertTrue(new Drain(Duration.ofSeconds(10)).await(() -> backend.pids(handle).isEmpty()), "pid left");
    }

    @Test
    void freezeParksEveryTaskAndThawResumesThem() throws Exception {
        assumeTrue(backend.capabilities().contains(CgroupCapability.FREEZE), "no cgroup.freeze");
        Process p = shell("echo $$ > " + payload().resolve("cgroup.procs") + " && echo in && read l && echo got $l");
        assertEquals("in", line(p));
        backend.freeze(handle);
        assertTrue(backend.frozen(handle));
        assertTrue(read(payload().resolve("cgroup.events")).lines().anyMatch(l -> l.equals("frozen 1")));
        String wchan = read(Path.of("/proc/" + p.pid() + "/wchan")).trim();
        // "0" when the kernel hides symbols: cgroup.events above is then the only witness
        assertTrue(wchan.equals("0") || FREEZER_WCHAN.contains(wchan), "a frozen task sleeps in the freezer trap, "
                + "not in " + wchan);
        assertTrue(read(Path.of("/proc/" + p.pid() + "/status")).contains("State:\tS"), "frozen task state");
        // input arriving while frozen waits in the pipe; the reply comes only after the thaw
        p.getOutputStream().write("x\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        backend.thaw(handle);
        assertFalse(backend.frozen(handle));
        assertTrue(read(payload().resolve("cgroup.events")).lines().anyMatch(l -> l.equals("frozen 0")));
        assertEquals("got x", line(p));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    @Test
    void cgroupKillKillsEveryTaskItsChildrenIncluded() throws Exception {
        assumeTrue(backend.capabilities().contains(CgroupCapability.KILL_ALL), "no cgroup.kill (kernel < 5.14)");
        String join = "echo $$ > " + payload().resolve("cgroup.procs") + " || exit 1; ";
        Process a = shell(join + "echo in; exec /bin/busybox sleep 1000");
        Process b = shell(join + "/bin/busybox sleep 1000 & echo $!; wait");
        assertEquals("in", line(a));
        int grandchild = Integer.parseInt(line(b));
        assertTrue(backend.pids(handle).containsAll(List.of((int) a.pid(), (int) b.pid(), grandchild)),
                "all three are in " + backend.pids(handle));
        backend.kill(handle, 9);
        // waitpid of the direct children reports death by SIGKILL (the JDK reports 128 + 9)
        assertTrue(a.waitFor(30, TimeUnit.SECONDS) && b.waitFor(30, TimeUnit.SECONDS), "a task survived");
        assertEquals(137, a.exitValue());
        assertEquals(137, b.exitValue());
        // the grandchild, reparented, leaves the cgroup and is a zombie or gone
        assertTrue(new Drain(Duration.ofSeconds(10)).await(() -> backend.pids(handle).isEmpty()),
                "left: " + backend.pids(handle));
        assertTrue(new Drain(Duration.ofSeconds(10)).await(() -> deadOrZombie(grandchild)), "grandchild alive");
    }

    static boolean deadOrZombie(int pid) {
        try {
            String stat = read(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (NoSuchFileException gone) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aControllerOfTheHierarchyIsEnabledAlongThePathAndItsLimitReadsBack() throws Exception {
        List<String> available = backend.controllers();
        assumeTrue(available.contains("hugetlb"), "the cgroup2 hierarchy lacks hugetlb: " + available);
        Path sizes = Path.of("/sys/kernel/mm/hugepages");
        assumeTrue(Files.isDirectory(sizes.resolve("hugepages-2048kB")), "no 2 MB huge pages");
        enabledHugetlbAtRoot = !words(read(mount.resolve("cgroup.subtree_control"))).contains("hugetlb");
        long limit = 4L * 2 * 1024 * 1024;
        backend.apply(handle, List.of(CgroupSetting.of("lxc.cgroup2.hugetlb.2MB.max", Long.toString(limit))));
        assertTrue(words(read(mount.resolve("cgroup.subtree_control"))).contains("hugetlb"), "root");
        assertTrue(words(read(mount.resolve(scratch).resolve("cgroup.subtree_control"))).contains("hugetlb"));
        assertTrue(words(read(payload().resolve("cgroup.controllers"))).contains("hugetlb"));
        assertEquals(Long.toString(limit), read(payload().resolve("hugetlb.2MB.max")).trim());
        assertEquals(Long.toString(limit) + "\n", backend.read(handle, "hugetlb.2MB.max"));
        backend.write(handle, "hugetlb.2MB.max", "max");
        assertEquals("max", read(payload().resolve("hugetlb.2MB.max")).trim());
    }

    @Test
    void destroyLeavesNothingAfterTheTasksHaveGone() throws Exception {
        Process p = shell("echo $$ > " + payload().resolve("cgroup.procs") + " && echo in && read l");
        assertEquals("in", line(p));
        Path child = Files.createDirectory(payload().resolve("made-inside"));
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        backend.destroy(handle);
        assertFalse(Files.exists(child), "child cgroup left");
        assertFalse(Files.exists(payload()), "payload left");
        assertFalse(Files.exists(handle.monitorDirectories().get(0)), "monitor left");
        assertTrue(backend.reopen("c", handle.payload(), handle.monitor()).payloadDirectories().isEmpty());
    }
}
