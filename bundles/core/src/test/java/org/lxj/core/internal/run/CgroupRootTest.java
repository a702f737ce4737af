package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.ContainerStats;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.cgroup.v2.internal.V2CgroupBackend;
import org.lxj.core.internal.runtime.RuntimeComponent;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.linux.Syscalls;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/**
 * Real cgroups on this host (root): limits in force inside real containers started through the runtime with the
 * installed v1 and v2 backends, freezing, and nothing left in any hierarchy after the stop. Each test removes
 * its own containers and any cgroup named after them, even on failure.
 */
class CgroupRootTest {
    static final Duration BOUND = RootRuns.BOUND;
    static RootRuns.Host machine;
    static Path base;
    static Path rootfs;
    static Syscalls sys;
    static HostFacts host;

    RootRuns runs;
    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;
    V1CgroupBackend v1;
    V2CgroupBackend v2;
    final List<String> names = new ArrayList<>();

    @BeforeAll
    static void rootBusyboxAndCgroups() throws IOException {
        machine = RootRuns.Host.open("lxj-cgroup-root-");
        base = machine.base();
        rootfs = machine.rootfs();
        sys = machine.sys();
        host = hostFacts();
        assumeTrue(host.cgroups().stream().anyMatch(h -> h.version() == 1 && h.controllers().contains("memory"))
                && host.cgroups().stream().anyMatch(h -> h.version() == 1 && h.controllers().contains("pids")),
                "needs v1 memory and pids hierarchies (a legacy or hybrid host)");
    }

    /** The host's cgroup mounts, read from mountinfo as the linux bundle does. */
    static HostFacts hostFacts() throws IOException {
        List<CgroupHierarchy> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] halves = line.split(" - ");
            if (halves.length != 2) {
                continue;
            }
            String[] left = halves[0].split(" ");
            String[] right = halves[1].split(" ");
            Path mount = Path.of(left[4]);
            if (right[0].equals("cgroup")) {
                List<String> ctl = Arrays.stream(right[2].split(",")).filter(o -> !Set.of("rw", "ro", "xattr",
                        "noprefix", "clone_children", "cpuset_v2_mode").contains(o) && !o.startsWith("release_agent"))
                        .toList();
                found.add(new CgroupHierarchy(1, mount, ctl));
            } else if (right[0].equals("cgroup2")) {
                String ctl = Files.readString(mount.resolve("cgroup.controllers")).trim();
                found.add(new CgroupHierarchy(2, mount, ctl.isEmpty() ? List.of() : List.of(ctl.split("\\s+"))));
            }
        }
        boolean hasV1 = found.stream().anyMatch(h -> h.version() == 1);
        boolean hasV2 = found.stream().anyMatch(h -> h.version() == 2);
        CgroupLayout layout = hasV1 && hasV2 ? CgroupLayout.HYBRID : hasV1 ? CgroupLayout.LEGACY
                : hasV2 ? CgroupLayout.UNIFIED : CgroupLayout.NONE;
        String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        return new HostFacts(release, "x86_64", Set.of(), List.of(), layout, found, false, Set.of(), 0);
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (machine != null) {
            machine.close();
            machine = null;
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        runs = new RootRuns(machine, "lxj-cgtest-", host);
        lxcpath = runs.lxcpath;
        runRoot = runs.runRoot;
        runtime = runs.newRuntime();
        v1 = new V1CgroupBackend(sys, host);
        v2 = new V2CgroupBackend(sys, host);
        runtime.addCgroupBackend(v1);
        runtime.addCgroupBackend(v2);
    }

    @AfterEach
    void tearDown() throws IOException {
        try {
            runs.close();
        } finally {
            for (String name : names) {
                removeCgroupsOf(name);
            }
        }
    }

    /** Only this test's cgroups: leaf-first rmdir of lxc.payload.NAME and lxc.monitor.NAME in every hierarchy. */
    static void removeCgroupsOf(String name) throws IOException {
        for (Path dir : cgroupsOf(name)) {
            List<Path> dirs;
            try (Stream<Path> s = Files.walk(dir)) {
                dirs = s.filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            }
            for (Path d : dirs) {
                for (String pid : Files.readString(d.resolve("cgroup.procs")).split("\\s+")) {
                    if (!pid.isEmpty()) {
                        sys.kill(Integer.parseInt(pid), 9);
                    }
                }
                boolean gone = await(() -> {
                    try {
                        Files.deleteIfExists(d);
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
                if (!gone) {
                    System.err.println("teardown: cgroup " + d + " could not be removed");
                }
            }
        }
    }

    /** The cgroup directories of {@code name} that exist in any hierarchy. */
    static List<Path> cgroupsOf(String name) {
        List<Path> out = new ArrayList<>();
        for (CgroupHierarchy h : host.cgroups()) {
            for (String d : List.of("lxc.payload." + name, "lxc.monitor." + name, "lxc.payload." + name + "-1",
                    "lxc.monitor." + name + "-1")) {
                if (Files.isDirectory(h.mountPoint().resolve(d))) {
                    out.add(h.mountPoint().resolve(d));
                }
            }
        }
        return out;
    }

    /** Polls {@code done} for up to {@link #BOUND}. */
    static boolean await(BooleanSupplier done) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            LockSupport.parkNanos(20_000_000L);
        }
        return true;
    }

    String define(String prefix, String extra) throws IOException {
        String name = prefix + UUID.randomUUID().toString().substring(0, 6);
        names.add(name);
        Path dir = Files.createDirectories(lxcpath.resolve(name));
        Files.writeString(dir.resolve("config"), "lxc.rootfs.path = dir:" + rootfs + "\n"
                + "lxc.uts.name = " + name + "\n"
                + "lxc.net.0.type = empty\n"
                + "lxc.mount.auto = proc:mixed sys:ro\n"
                + extra);
        return name;
    }

    static Path v1Dir(String controller, String name) {
        CgroupHierarchy h = host.cgroups().stream().filter(x -> x.version() == 1 && x.controllers().contains(controller))
                .findFirst().orElseThrow();
        return h.mountPoint().resolve("lxc.payload." + name);
    }

    static long keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[0].equals(key)) {
                    return Long.parseLong(f[1]);
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    void assertNothingLeft(String name) {
        assertTrue(await(() -> cgroupsOf(name).isEmpty()), "cgroups left: " + cgroupsOf(name));
    }

    void stop(String name) {
        runtime.stop(lxcpath, name, new StopOptions(false, true, false, false, BOUND));
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, name).state());
    }

    @Test
    void initRunsInItsCgroupsInEveryHierarchyAndNothingRemainsAfterStop() throws IOException {
        String name = define("cgm", "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        long init = runtime.get(lxcpath, name).initPid().orElseThrow();
        String cg = Files.readString(Path.of("/proc", Long.toString(init), "cgroup"));
        for (CgroupHierarchy h : host.cgroups()) {
            String tag = h.version() == 2 ? "" : String.join(",", h.controllers());
            assertTrue(cg.lines().anyMatch(l -> l.endsWith(":" + tag + ":/lxc.payload." + name)),
                    "init not in lxc.payload." + name + " of " + h.mountPoint() + ":\n" + cg);
        }
        assertTrue(Files.readString(v1Dir("memory", name).resolve("cgroup.procs")).contains(Long.toString(init)));
        // the monitor's cgroups are made with its move, off the start's path (CgroupSetup.placeMonitorLater)
        assertTrue(await(() -> Files.isDirectory(v1Dir("memory", name).resolveSibling("lxc.monitor." + name))));
        // init's parent, the monitor, sits in lxc.monitor.NAME of every hierarchy
        String monitor = Files.readString(Path.of("/proc", Long.toString(init), "status")).lines()
                .filter(l -> l.startsWith("PPid:")).map(l -> l.substring(5).trim()).findFirst().orElseThrow();
        // the monitor's move runs off the start's path (CgroupSetup.placeMonitorLater): it ends soon after
        Supplier<String> mcg = () -> {
            try (InputStream in = Files.newInputStream(Path.of("/proc", monitor, "cgroup"))) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return e.toString();
            }
        };
        assertTrue(await(() -> mcg.get().lines().filter(l -> l.endsWith(":/lxc.monitor." + name)).count()
                == host.cgroups().size()), mcg.get());
        ContainerStats st = runtime.stats(lxcpath, name).orElseThrow();
        assertTrue(st.memoryBytes().orElseThrow() > 0, st.toString());
        assertTrue(st.cpuNanos().orElseThrow() > 0, st.toString());
        assertTrue(st.blkioBytes().isPresent(), st.toString());
        stop(name);
        assertTrue(runtime.stats(lxcpath, name).isEmpty());
        assertNothingLeft(name);
    }

    @Test
    void aSecondContainerOfTheSameNameInAnotherLxcpathGetsTheNextCgroupName() throws IOException {
        String name = define("cgn", "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        Path other = Files.createDirectories(base.resolve(lxcpath.getFileName() + "-other"));
        try {
            Files.createDirectories(other.resolve(name));
            Files.copy(lxcpath.resolve(name).resolve("config"), other.resolve(name).resolve("config"));
            runtime.start(lxcpath, name, StartOptions.DEFAULT);
            runtime.start(other, name, StartOptions.DEFAULT);
            long first = runtime.get(lxcpath, name).initPid().orElseThrow();
            long second = runtime.get(other, name).initPid().orElseThrow();
            assertTrue(Files.readString(v1Dir("memory", name).resolve("cgroup.procs")).contains(Long.toString(first)));
            Path next = v1Dir("memory", name).resolveSibling("lxc.payload." + name + "-1");
            assertTrue(Files.readString(next.resolve("cgroup.procs")).contains(Long.toString(second)),
                    "the second init is in " + next);
            runtime.stop(other, name, new StopOptions(false, true, false, false, BOUND));
            assertEquals(ContainerState.STOPPED, runtime.get(other, name).state());
            assertTrue(await(() -> !Files.exists(next)), "lxc.payload." + name + "-1 removed at stop");
            assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state(), "the first is untouched");
            stop(name);
            assertNothingLeft(name);
        } finally {
            try {
                if (runtime.get(other, name).state().isActive()) {
                    runtime.stop(other, name, new StopOptions(false, true, false, false, BOUND));
                }
            } catch (LxjException e) {
                System.err.println("teardown: " + other + "/" + name + ": " + e.getMessage());
            }
            Cleanup.detachMountsUnder(sys, other);
            Cleanup.deleteTree(other);
        }
    }

    /** The v1 hierarchy of {@code controller} in {@code /proc/PID/cgroup} of {@code pid}: its cgroup path. */
    static String v1CgroupOf(long pid, String controller) throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).lines()
                .map(l -> l.split(":", 3)).filter(f -> f.length == 3 && Arrays.asList(f[1].split(",")).contains(controller))
                .map(f -> f[2]).findFirst().orElseThrow();
    }

    @Test
    void laterStartsAssembleThePlanWhileTheCgroupsAreMadeAndInitGetsThePlacementMade() throws IOException {
        // the v1 backend, noting the thread that makes each payload cgroup
        List<String> makers = new java.util.concurrent.CopyOnWriteArrayList<>();
        CgroupBackend noting = (CgroupBackend) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {CgroupBackend.class}, (proxy, method, args) -> {
                    if (method.getName().equals("createPayload")) {
                        makers.add(Thread.currentThread().getName().startsWith("lxj-start-writer") ? "writer" : "start");
                    }
                    try {
                        return method.invoke(v1, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        RuntimeComponent r = runs.newRuntime();
        r.addCgroupBackend(noting);
        r.addCgroupBackend(v2);
        String name = define("cgp", "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        Path other = Files.createDirectories(base.resolve(lxcpath.getFileName() + "-placed"));
        StopOptions kill = new StopOptions(false, true, false, false, BOUND);
        try {
            Files.createDirectories(other.resolve(name));
            Files.copy(lxcpath.resolve(name).resolve("config"), other.resolve(name).resolve("config"));
            r.start(lxcpath, name, StartOptions.DEFAULT);           // no placement known yet: made first
            r.stop(lxcpath, name, kill);
            r.start(lxcpath, name, StartOptions.DEFAULT);           // the last placement: made meanwhile
            long init = r.get(lxcpath, name).initPid().orElseThrow();
            assertEquals("/lxc.payload." + name, v1CgroupOf(init, "memory"));
            r.stop(lxcpath, name, kill);
            r.start(other, name, StartOptions.DEFAULT);             // takes lxc.payload.NAME
            r.start(lxcpath, name, StartOptions.DEFAULT);           // guesses lxc.payload.NAME, gets NAME-1
            init = r.get(lxcpath, name).initPid().orElseThrow();
            assertEquals("/lxc.payload." + name + "-1", v1CgroupOf(init, "memory"),
                    "the plan was assembled again with the placement made");
            assertEquals("/lxc.payload." + name, v1CgroupOf(r.get(other, name).initPid().orElseThrow(), "memory"));
            // the last start tried NAME (busy) and then NAME-1, both on the writer
            assertEquals(List.of("start", "writer", "start", "writer", "writer"), makers);
            r.stop(other, name, kill);
            r.stop(lxcpath, name, kill);
            assertNothingLeft(name);
        } finally {
            try {
                if (r.get(other, name).state().isActive()) {
                    r.stop(other, name, kill);
                }
            } catch (LxjException e) {
                System.err.println("teardown: " + other + "/" + name + ": " + e.getMessage());
            }
            Cleanup.detachMountsUnder(sys, other);
            Cleanup.deleteTree(other);
        }
    }

    @Test
    void aProcessAllocatingPastTheMemoryLimitIsOomKilledInside() throws IOException {
        String name = define("cgo", "lxc.cgroup.memory.limit_in_bytes = 64M\n"
                + "lxc.init.cmd = /bin/sh -c 'dd if=/dev/zero of=/dev/null bs=300M count=1; while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        Path mem = v1Dir("memory", name);
        assertEquals(64L * 1024 * 1024, Long.parseLong(Files.readString(mem.resolve("memory.limit_in_bytes")).trim()));
        assertTrue(await(() -> keyed(mem.resolve("memory.oom_control"), "oom_kill") >= 1),
                "no OOM kill recorded in " + mem.resolve("memory.oom_control"));
        // the container's init survives: only the allocating process was killed
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
        assertTrue(Long.parseLong(Files.readString(mem.resolve("memory.max_usage_in_bytes")).trim())
                <= 64L * 1024 * 1024);
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void executeReportsTheOomKilledCommand() {
        String name;
        try {
            name = define("cge", "lxc.cgroup.memory.limit_in_bytes = 32M\n");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c",
                "dd if=/dev/zero of=/dev/null bs=200M count=1 2>/dev/null; echo status=$?"), Map.of(), OptionalInt.empty(),
                OptionalInt.empty(), false), new Stdio(new ByteArrayInputStream(new byte[0]), out,
                        new ByteArrayOutputStream()));
        assertEquals(0, status);
        assertEquals("status=137\n", out.toString(StandardCharsets.UTF_8), "dd killed by SIGKILL");
        assertNothingLeft(name);
    }

    @Test
    void aForkBombStopsAtPidsMax() throws IOException {
        String name = define("cgp", "lxc.cgroup.pids.max = 20\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // the bomb runs in a subshell that dies at the first refused fork (tail was forked before it); the sleeps
        // keep no end of the pipe, so tail sees its end
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c",
                "( i=0; while [ $i -lt 60 ]; do sleep 1000 >/dev/null 2>&1 & i=$((i+1)); echo started $i; done ) 2>&1 | tail -n 2"),
                Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()));
        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, text);
        assertTrue(text.contains("can't fork"), text);
        int started = text.lines().filter(l -> l.startsWith("started ")).mapToInt(l -> Integer.parseInt(l.substring(8)))
                .max().orElse(0);
        assertTrue(started > 0 && started < 20, "sleeps started under pids.max 20: " + started + "\n" + text);
        assertNothingLeft(name);
    }

    @Test
    void theV1FreezerFreezesAndThawsEveryTask() throws IOException {
        assumeTrue(host.cgroups().stream().anyMatch(h -> h.version() == 1 && h.controllers().contains("freezer")),
                "needs the v1 freezer");
        String name = define("cgf", "lxc.init.cmd = /bin/sh -c 'sleep 1000 & while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        CgroupHandle h = v1.reopen(name, "lxc.payload." + name, "lxc.monitor." + name);
        assertTrue(await(() -> v1.pids(h).size() >= 2), "tasks " + v1.pids(h));
        try {
            v1.freeze(h);
            assertTrue(v1.frozen(h));
            assertEquals("FROZEN", Files.readString(v1Dir("freezer", name).resolve("freezer.state")).trim());
        } finally {
            v1.thaw(h);
        }
        assertFalse(v1.frozen(h));
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void freezeReportsFrozenWithEveryTaskFrozenAndUnfreezeReturnsRunning() throws IOException {
        assumeTrue(host.cgroups().stream().anyMatch(h -> h.version() == 1 && h.controllers().contains("freezer")),
                "needs the v1 freezer");
        String name = define("cgz", "lxc.init.cmd = /bin/sh -c 'sleep 1000 & while :; do sleep 1; done'\n");
        List<ContainerState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        runtime.addListener(e -> {
            if (e.name().equals(name) && e.kind() == org.lxj.api.event.ContainerEvent.Kind.STATE) {
                seen.add(e.state());
            }
        });
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        Path freezer = v1Dir("freezer", name);
        assertTrue(await(() -> pidsIn(freezer).size() >= 2), "tasks " + pidsIn(freezer));
        runtime.freeze(lxcpath, name);
        try {
            assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
            assertTrue(runtime.waitFor(lxcpath, name, Set.of(ContainerState.FROZEN), Duration.ZERO));
            assertEquals("FROZEN", Files.readString(freezer.resolve("freezer.state")).trim());
            for (long pid : pidsIn(freezer)) {
                assertEquals("D", procState(pid), "task " + pid + " is not frozen");
            }
            runtime.freeze(lxcpath, name);   // frozen already: nothing changes
            assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
        } finally {
            runtime.unfreeze(lxcpath, name);
        }
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
        assertEquals("THAWED", Files.readString(freezer.resolve("freezer.state")).trim());
        // events reach listeners on the runtime's event thread: wait for the RUNNING after THAWED
        assertTrue(await(() -> seen.containsAll(List.of(ContainerState.FREEZING, ContainerState.FROZEN,
                ContainerState.THAWED)) && seen.lastIndexOf(ContainerState.RUNNING) > seen.indexOf(
                        ContainerState.THAWED)), "events " + seen);
        List<ContainerState> order = seen.stream().filter(st -> st != ContainerState.STARTING).toList();
        int f = order.indexOf(ContainerState.FREEZING);
        assertEquals(List.of(ContainerState.FREEZING, ContainerState.FROZEN, ContainerState.THAWED,
                ContainerState.RUNNING), order.subList(f, f + 4), "events " + seen);
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void withTheV2BackendAloneLxcFreezeFreezesTheWholeContainerThroughCgroupFreeze() throws IOException {
        Optional<CgroupHierarchy> unified = host.cgroups().stream().filter(h -> h.version() == 2).findFirst();
        assumeTrue(unified.isPresent(), "needs a cgroup2 hierarchy");
        // a runtime with only the v2 backend: lxc-freeze has no v1 freezer to prefer
        runtime.close();
        runtime = runs.newRuntime();
        runtime.addCgroupBackend(v2);
        String name = define("cgv", "lxc.init.cmd = /bin/sh -c 'sleep 1000 & while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        Path payload = unified.get().mountPoint().resolve("lxc.payload." + name);
        assertTrue(await(() -> pidsIn(payload).size() >= 2), "tasks " + pidsIn(payload));
        runtime.freeze(lxcpath, name);
        try {
            assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
            assertTrue(Files.readAllLines(payload.resolve("cgroup.events")).contains("frozen 1"));
            for (long pid : pidsIn(payload)) {
                String wchan = Files.readString(Path.of("/proc/" + pid + "/wchan")).trim();
                // "0" when the kernel hides symbols: cgroup.events above is then the only witness
                assertTrue(wchan.equals("0") || Set.of("get_signal", "do_freezer_trap").contains(wchan),
                        "task " + pid + " is not in the freezer trap: " + wchan);
            }
        } finally {
            runtime.unfreeze(lxcpath, name);
        }
        assertEquals(ContainerState.RUNNING, runtime.get(lxcpath, name).state());
        assertTrue(Files.readAllLines(payload.resolve("cgroup.events")).contains("frozen 0"));
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void aFrozenContainerIsKilledByStopK() throws IOException {
        assumeTrue(host.cgroups().stream().anyMatch(h -> h.version() == 1 && h.controllers().contains("freezer")),
                "needs the v1 freezer");
        String name = define("cgs", "lxc.init.cmd = /bin/sh -c 'sleep 1000 & while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        assertTrue(await(() -> pidsIn(v1Dir("freezer", name)).size() >= 2));
        runtime.freeze(lxcpath, name);
        assertEquals(ContainerState.FROZEN, runtime.get(lxcpath, name).state());
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void lxcCgroupGetAndSetRoundTripAndUnknownControllersAreRefused() throws IOException {
        String name = define("cgr", "lxc.cgroup.memory.limit_in_bytes = 128M\n"
                + "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        assertEquals(String.valueOf(128L << 20), runtime.cgroupGet(lxcpath, name, "memory.limit_in_bytes").trim());
        runtime.cgroupSet(lxcpath, name, "memory.limit_in_bytes", "96M");
        assertEquals(String.valueOf(96L << 20), runtime.cgroupGet(lxcpath, name, "memory.limit_in_bytes").trim());
        assertEquals(String.valueOf(96L << 20),
                Files.readString(v1Dir("memory", name).resolve("memory.limit_in_bytes")).trim());
        String cpus = Files.readString(Path.of("/sys/fs/cgroup/cpuset/cpuset.cpus")).trim();
        assertEquals(cpus, runtime.cgroupGet(lxcpath, name, "cpuset.cpus").trim());
        UnsupportedFeatureException unknown = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.cgroupGet(lxcpath, name, "foo.bar"));
        assertTrue(unknown.getMessage().startsWith("Unknown cgroup controller \"foo\" in \"foo.bar\""),
                unknown.getMessage());
        assertThrows(LxjException.class, () -> runtime.cgroupSet(lxcpath, name, "memory.limit_in_bytes", "abc"));
        assertThrows(LxjException.class, () -> runtime.cgroupGet(lxcpath, name, "../memory.limit_in_bytes"));
        // core files belong to no controller: LXC's lxc-cgroup refuses them on this layout, get and set alike
        UnsupportedFeatureException core = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.cgroupGet(lxcpath, name, "cgroup.procs"));
        assertEquals("Cgroup core file \"cgroup.procs\" of \"" + name + "\" belongs to no controller; lxc-cgroup "
                + "reads and writes controller files only", core.getMessage());
        assertThrows(UnsupportedFeatureException.class,
                () -> runtime.cgroupSet(lxcpath, name, "cgroup.clone_children", "1"));
        stop(name);
        assertThrows(org.lxj.api.ContainerNotRunningException.class,
                () -> runtime.cgroupGet(lxcpath, name, "memory.limit_in_bytes"));
        assertNothingLeft(name);
    }

    @Test
    void cpusetAndCpuSharesAreInForceInside() throws IOException {
        String name = define("cgc", "lxc.cgroup.cpuset.cpus = 0\nlxc.cgroup.cpu.shares = 256\n"
                + "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        long init = runtime.get(lxcpath, name).initPid().orElseThrow();
        assertEquals("0", runtime.cgroupGet(lxcpath, name, "cpuset.cpus").trim());
        assertEquals("256", runtime.cgroupGet(lxcpath, name, "cpu.shares").trim());
        String status = Files.readString(Path.of("/proc", Long.toString(init), "status"));
        assertTrue(status.lines().anyMatch(l -> l.matches("Cpus_allowed_list:\\s+0")), status);
        stop(name);
        assertNothingLeft(name);
    }

    @Test
    void deviceDenyRulesRefuseMknodOfABlockDeviceInV1AndV2() throws IOException {
        assumeTrue(host.cgroups().stream().anyMatch(h -> h.version() == 2), "needs a cgroup2 hierarchy");
        String script = "d=/tmp/lxjt$$; mkdir -p $d && mount -t tmpfs t $d && { mknod $d/blk b 7 0 2>/dev/null "
                + "&& echo mknod-ok || echo mknod-denied; mknod $d/null c 1 3 && cat $d/null && echo null-ok; "
                + "umount $d; }; rmdir $d";
        for (String rules : List.of("lxc.cgroup2.devices.allow = a\nlxc.cgroup2.devices.deny = b 7:* rwm\n",
                "lxc.cgroup.devices.deny = b 7:* rwm\n")) {
            String name = define("cgd", rules);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                    OptionalInt.empty(), OptionalInt.empty(), false), new Stdio(new ByteArrayInputStream(new byte[0]),
                            out, new ByteArrayOutputStream()));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, rules + text);
            assertEquals("mknod-denied\nnull-ok\n", text, rules);
            assertNothingLeft(name);
        }
    }

    static List<Long> pidsIn(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("cgroup.procs")).stream().map(Long::parseLong).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The state letter of a process, from /proc/PID/stat; a task in the freezer shows D (TASK_FROZEN). */
    static String procState(long pid) throws IOException {
        String stat = new String(Files.newInputStream(Path.of("/proc", Long.toString(pid), "stat")).readAllBytes(),
                StandardCharsets.US_ASCII);
        String after = stat.substring(stat.lastIndexOf(')') + 2);
        return after.substring(0, 1);
    }

    @Test
    void aKeyTheLayoutCannotServeFailsBeforeAnythingStarts() throws IOException {
        Optional<CgroupHierarchy> unified = host.cgroups().stream().filter(h -> h.version() == 2).findFirst();
        assumeTrue(unified.isPresent() && !unified.get().controllers().contains("memory"),
                "needs a hybrid host whose cgroup2 hierarchy lacks memory");
        String name = define("cgk", "lxc.cgroup2.memory.max = 64M\n");
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.start(lxcpath, name, StartOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.cgroup2.memory.max\" needs cgroup2 controller "
                + "\"memory\", but on this host \"memory\" is a cgroup v1 controller mounted at "), e.getMessage());
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, name).state());
        assertTrue(cgroupsOf(name).isEmpty(), "made " + cgroupsOf(name));
    }

    @Test
    void setupCostPerStart() {
        List<CgroupBackend> both = List.of(v1, v2);
        List<CgroupSetting> settings = List.of(CgroupSetting.of("lxc.cgroup.memory.limit_in_bytes", "256M"),
                CgroupSetting.of("lxc.cgroup.pids.max", "100"));
        String name = "cgb" + UUID.randomUUID().toString().substring(0, 6);
        names.add(name);
        // the test logging prints DEBUG; a start in the field does not
        ch.qos.logback.classic.Logger cgroupLog = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger("org.lxj.cgroup");
        ch.qos.logback.classic.Level was = cgroupLog.getLevel();
        cgroupLog.setLevel(ch.qos.logback.classic.Level.INFO);
        int warmup = 10;
        int rounds = 50;
        long[][] phases = new long[2][2];
        long total = 0;
        long removal = 0;
        for (int i = 0; i < warmup + rounds; i++) {
            List<CgroupHandle> made = new ArrayList<>();
            long t0 = System.nanoTime();
            try {
                for (int k = 0; k < both.size(); k++) {
                    CgroupBackend b = both.get(k);
                    long c0 = System.nanoTime();
                    CgroupHandle h = b.create(new CgroupRequest(name, "lxc.payload.%n", Optional.empty(),
                            Optional.empty(), false, Set.of()));
                    made.add(h);
                    long c1 = System.nanoTime();
                    b.apply(h, settings);
                    b.placement(h);
                    if (i >= warmup) {
                        phases[k][0] += c1 - c0;
                        phases[k][1] += System.nanoTime() - c1;
                    }
                }
                if (i >= warmup) {
                    total += System.nanoTime() - t0;
                }
            } finally {
                long t1 = System.nanoTime();
                for (int j = made.size() - 1; j >= 0; j--) {
                    both.get(j).destroy(made.get(j));
                }
                if (i >= warmup) {
                    removal += System.nanoTime() - t1;
                }
            }
        }
        cgroupLog.setLevel(was);
        System.out.printf("cgroup setup per start (v1 + v2, %d hierarchies, 2 limits): %.3f ms, removal %.3f ms%n",
                host.cgroups().size(), total / 1e6 / rounds, removal / 1e6 / rounds);
        System.out.printf("  v1 create %.3f ms apply+placement %.3f ms; v2 create %.3f ms apply+placement %.3f ms%n",
                phases[0][0] / 1e6 / rounds, phases[0][1] / 1e6 / rounds, phases[1][0] / 1e6 / rounds,
                phases[1][1] / 1e6 / rounds);
        assertTrue(cgroupsOf(name).isEmpty());
    }

    /** Runs {@code script} in a new container of {@code config}; its exit status, then its output. */
    String executeIn(String name, String script) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), Map.of(),
                OptionalInt.empty(), OptionalInt.empty(), false), new Stdio(new ByteArrayInputStream(new byte[0]),
                        out, out));
        return status + "\n" + out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theCgroupNamespaceShowsTheContainersOwnCgroupsAndMixedLeavesMountsToInit() throws IOException {
        // cgroup:mixed in the container's cgroup namespace: LXC leaves mounting to init, /proc/self/cgroup shows
        // "/" in every hierarchy (the namespace's root is the payload cgroup)
        String name = define("cgn", "lxc.mount.auto = cgroup:mixed\n");
        String text = executeIn(name, "cat /proc/self/cgroup; grep -c ' /sys/fs/cgroup' /proc/self/mountinfo || true");
        List<String> lines = text.lines().toList();
        assertEquals("0", lines.get(0), text);   // the exit status
        assertEquals("0", lines.get(lines.size() - 1), "no cgroup mount: " + text);
        List<String> own = lines.subList(1, lines.size() - 1);
        long v1 = host.cgroups().stream().filter(h -> h.version() == 1).count();
        assertEquals(v1, own.stream().filter(l -> !l.startsWith("0::")).count(), text);
        for (String l : own) {
            assertTrue(l.endsWith(":/"), "own cgroup is the namespace root: " + l + "\n" + text);
        }
        assertNothingLeft(name);
    }

    @Test
    void cgroupForceMountsShowTheContainersSubtreeReadOnlyOrWritable() throws IOException {
        String script = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes; ls /sys/fs/cgroup/memory | grep -c lxc.payload; "
                + "(echo 1 > /sys/fs/cgroup/memory/memory.swappiness) 2>/dev/null && echo cg-writable || echo cg-readonly; "
                + "mkdir /sys/fs/cgroup/x 2>/dev/null && echo tmpfs-writable || echo tmpfs-readonly";
        for (String variant : List.of("cgroup:ro:force", "cgroup:mixed:force", "cgroup-full:rw:force")) {
            String name = define("cgf", "lxc.mount.auto = " + variant + "\nlxc.cgroup.memory.limit_in_bytes = 201326592\n");
            String text = executeIn(name, script);
            boolean ro = variant.contains(":ro");
            boolean rw = variant.contains(":rw");
            // the container's own limit at the mount's root, and no sibling container's cgroup below it
            assertEquals("0\n201326592\n0\n" + (ro ? "cg-readonly" : "cg-writable") + "\n"
                    + (rw ? "tmpfs-writable" : "tmpfs-readonly") + "\n", text, variant);
            assertNothingLeft(name);
        }
    }

    @Test
    void withoutACgroupNamespaceCgroupMountsBindOnlyTheContainersOwnCgroups() throws IOException {
        // init keeps the host's cgroup namespace: a fresh mount would show the host's whole tree, so LXC binds the
        // container's own cgroup at its host path; mixed leaves it writable under a read-only tmpfs
        runtime.addContributor(new LaunchContributor() {
            @Override
            public int order() {
                return ORDER_NAMESPACE;
            }

            @Override
            public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
                for (Namespace n : List.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC,
                        Namespace.NET)) {
                    plan.cloneNamespace(n);
                }
            }
        });
        for (String variant : List.of("cgroup:mixed", "cgroup:ro")) {
            String name = define("cgb", "lxc.mount.auto = " + variant + "\n"
                    + "lxc.cgroup.memory.limit_in_bytes = 201326592\n");
            String own = "/sys/fs/cgroup/memory/lxc.payload." + name;
            String text = executeIn(name, "grep ':memory:' /proc/self/cgroup; ls /sys/fs/cgroup/memory; cat " + own
                    + "/memory.limit_in_bytes; (echo 1 > " + own + "/memory.swappiness) 2>/dev/null && echo "
                    + "cg-writable || echo cg-readonly; mkdir /sys/fs/cgroup/x 2>/dev/null && echo tmpfs-writable || "
                    + "echo tmpfs-readonly");
            assertEquals("0\n" + cgroupLineOf("memory") + ":memory:/lxc.payload." + name + "\nlxc.payload." + name
                    + "\n201326592\n" + (variant.endsWith(":ro") ? "cg-readonly" : "cg-writable")
                    + "\ntmpfs-readonly\n", text, variant);
            assertNothingLeft(name);
        }
    }

    /** The hierarchy id of {@code controller} in this process's {@code /proc/self/cgroup}. */
    static String cgroupLineOf(String controller) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/cgroup")).stream().map(l -> l.split(":"))
                .filter(f -> f.length > 2 && List.of(f[1].split(",")).contains(controller)).map(f -> f[0])
                .findFirst().orElseThrow();
    }

    @Test
    void lxcsCommonConfDeviceAllowlistIsInForce() throws IOException {
        Path common = Path.of("/usr/share/lxc/config/common.conf");
        assumeTrue(Files.isRegularFile(common), "needs Debian's lxc package (" + common + ")");
        // common.conf's device lines as a container config that includes it has them (the rest of common.conf
        // needs what this host lacks: seccomp profile files, AppArmor)
        StringBuilder rules = new StringBuilder();
        for (String line : Files.readAllLines(common)) {
            if (line.startsWith("lxc.cgroup.devices.")) {
                rules.append(line).append('\n');
            }
        }
        String name = define("cgl", rules + "lxc.init.cmd = /bin/sh -c 'while :; do sleep 1; done'\n");
        runtime.start(lxcpath, name, StartOptions.DEFAULT);
        List<String> list = Files.readAllLines(v1Dir("devices", name).resolve("devices.list"));
        assertEquals(List.of("c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 5:0 rwm", "c 5:1 rwm",
                "c 5:2 rwm", "c 1:8 rwm", "c 1:9 rwm", "c 136:* rwm", "c 10:229 rwm"), list);
        stop(name);
        assertNothingLeft(name);
    }
}
