package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.StopOptions;
import org.lxj.api.event.ContainerEvent;

/** State store, cleanup, stop logic and reconciliation over fake monitors; no root, no processes. */
class RunRegistryTest {
    static final int SIGPWR = 30;
    static final int SIGKILL = 9;

    @TempDir
    Path tmp;
    Path lxcpath;
    RunLayout layout;
    FakeMonitors monitors;
    List<ContainerEvent> events;
    List<RunState> released;
    List<String> destroyed;
    java.util.concurrent.CountDownLatch destroyedLatch;
    Set<Integer> systemdPids;
    RunRegistry registry;
    ContainerStopper stopper;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        layout = new RunLayout(tmp.resolve("run"));
        monitors = new FakeMonitors();
        events = Collections.synchronizedList(new ArrayList<>());
        released = Collections.synchronizedList(new ArrayList<>());
        destroyed = Collections.synchronizedList(new ArrayList<>());
        destroyedLatch = new java.util.concurrent.CountDownLatch(1);
        systemdPids = new java.util.HashSet<>();
        HostProcesses procs = monitors.processes(systemdPids);
        registry = new RunRegistry(layout, new ContainerLocks(layout), monitors, procs, released::add, events::add,
                (p, n) -> {
                    destroyed.add(n);
                    destroyedLatch.countDown();
                });
        stopper = new ContainerStopper(registry, procs);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    RunState record(String name, int pid, int halt, boolean ephemeral, Set<Integer> ignored) throws IOException {
        Path dir = layout.dir(lxcpath, name);
        Files.createDirectories(dir);
        Files.createDirectory(dir.resolve("rootfs"));
        monitors.add(dir, pid, ignored);
        RunState s = new RunState(name, lxcpath, RunState.RUNNING, pid, 1000L, pid - 1, "dir:/x", Path.of("/x"),
                dir.resolve("rootfs"), true, halt, 2, SIGKILL, ephemeral, false);
        registry.write(s);
        return s;
    }

    List<String> eventsOf(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name))
                    .map(e -> e.kind() + " " + e.state() + e.exitStatus().stream().mapToObj(x -> " " + x)
                            .reduce("", String::concat))
                    .toList();
        }
    }

    @Test
    void stateJsonRoundTrips() {
        RunState s = new RunState("we\"ird\nname", Path.of("/var/lib/lxj"), RunState.RUNNING, 42, 123456789L, 41,
                "dir:/a b", Path.of("/a b"), Path.of("/run/lxj/x/rootfs"), false, 0, 2, 9, true, true);
        assertEquals(s, RunState.fromJson(s.toJson()));
        assertThrows(IllegalArgumentException.class, () -> RunState.fromJson("{\"name\": \"x\"}"));
    }

    @Test
    void lxcpathIdIsShortAndStable() {
        assertEquals(RunLayout.lxcpathId(Path.of("/var/lib/lxj")), RunLayout.lxcpathId(Path.of("/var/lib/../lib/lxj")));
        assertEquals(12, RunLayout.lxcpathId(Path.of("/var/lib/lxj")).length());
        assertTrue(RunLayout.isLxcpathId(RunLayout.lxcpathId(Path.of("/x"))));
        assertFalse(RunLayout.isLxcpathId("locks"));
    }

    @Test
    void defaultStopSendsSigpwrWaitsAndCleansUp() throws IOException {
        record("c1", 100, 0, false, Set.of());
        assertEquals(ContainerState.RUNNING, registry.state(lxcpath, "c1"));
        stopper.stop(lxcpath, "c1", StopOptions.DEFAULT);
        assertEquals(List.of(SIGPWR), monitors.byDir.get(layout.dir(lxcpath, "c1")).signals);
        assertFalse(Files.exists(layout.dir(lxcpath, "c1")), "run directory removed");
        assertEquals(1, released.size());
        assertEquals(List.of("STATE STOPPING", "EXITED STOPPED " + (128 + SIGPWR), "STATE STOPPED"), eventsOf("c1"));
        assertEquals(ContainerState.STOPPED, registry.state(lxcpath, "c1"));
        ContainerNotRunningException again = assertThrows(ContainerNotRunningException.class,
                () -> stopper.stop(lxcpath, "c1", StopOptions.DEFAULT));
        assertEquals(2, again.exitStatus());
    }

    @Test
    void aDestroyedContainerLeavesNothingInTheRegistryItsReapsTookTurnsOn() throws IOException {
        record("c1", 100, 0, false, Set.of());
        record("c9", 900, 0, false, Set.of());
        stopper.stop(lxcpath, "c1", StopOptions.DEFAULT);
        stopper.stop(lxcpath, "c9", StopOptions.DEFAULT);
        assertEquals(2, registry.reapLocks(), "one per reaped run directory");
        registry.forget(lxcpath, "c1");
        assertEquals(1, registry.reapLocks());
        record("c1", 101, 0, false, Set.of());
        stopper.stop(lxcpath, "c1", StopOptions.DEFAULT);
        assertEquals(ContainerState.STOPPED, registry.state(lxcpath, "c1"), "a new one of that name reaps as before");
        assertEquals(2, registry.reapLocks());
    }

    @Test
    void initIgnoringTheHaltSignalIsKilledAfterTheTimeout() throws IOException {
        record("c2", 200, 0, false, Set.of(SIGPWR));
        stopper.stop(lxcpath, "c2", new StopOptions(false, false, false, false, Duration.ofMillis(200)));
        assertEquals(List.of(SIGPWR, SIGKILL), monitors.byDir.get(layout.dir(lxcpath, "c2")).signals);
        assertEquals(ContainerState.STOPPED, registry.state(lxcpath, "c2"));
    }

    @Test
    void nokillLeavesItRunningAndFails() throws IOException {
        record("c3", 300, 0, false, Set.of(SIGPWR));
        LxjException e = assertThrows(LxjException.class,
                () -> stopper.stop(lxcpath, "c3", new StopOptions(false, false, true, false, Duration.ofMillis(100))));
        assertEquals("\"c3\" did not shut down within 0 s", e.getMessage());
        assertEquals(ContainerState.RUNNING, registry.state(lxcpath, "c3"));
        stopper.stop(lxcpath, "c3", new StopOptions(false, true, false, false, StopOptions.DEFAULT_TIMEOUT));
        assertEquals(List.of(SIGPWR, SIGKILL), monitors.byDir.get(layout.dir(lxcpath, "c3")).signals);
    }

    @Test
    void configuredAndSystemdHaltSignals() throws IOException {
        record("c4", 400, 10, false, Set.of());
        stopper.stop(lxcpath, "c4", StopOptions.DEFAULT);
        assertEquals(List.of(10), monitors.byDir.get(layout.dir(lxcpath, "c4")).signals);
        systemdPids.add(500);
        record("c5", 500, 0, false, Set.of());
        stopper.stop(lxcpath, "c5", StopOptions.DEFAULT);
        assertEquals(List.of(37), monitors.byDir.get(layout.dir(lxcpath, "c5")).signals);
    }

    @Test
    void rebootAndNoWaitOnlySignal() throws IOException {
        record("c6", 600, 0, false, Set.of(SIGPWR, 2));
        stopper.stop(lxcpath, "c6", new StopOptions(true, false, false, false, StopOptions.DEFAULT_TIMEOUT));
        stopper.stop(lxcpath, "c6", new StopOptions(false, false, false, true, StopOptions.DEFAULT_TIMEOUT));
        assertEquals(List.of(2, SIGPWR), monitors.byDir.get(layout.dir(lxcpath, "c6")).signals);
        assertEquals(ContainerState.RUNNING, registry.state(lxcpath, "c6"));
        stopper.stop(lxcpath, "c6", new StopOptions(false, true, false, false, StopOptions.DEFAULT_TIMEOUT));
    }

    @Test
    void watcherCleansUpAfterAnExitAndDestroysEphemeral() throws Exception {
        RunState s = record("c7", 700, 0, true, Set.of());
        registry.watch(s);
        monitors.byDir.get(layout.dir(lxcpath, "c7")).exit(0);
        // the bound only keeps a broken build from hanging
        assertTrue(destroyedLatch.await(30, TimeUnit.SECONDS), "the watcher cleaned up and destroyed it");
        assertEquals(List.of("c7"), destroyed);
        assertFalse(Files.exists(layout.dir(lxcpath, "c7")));
        assertEquals(List.of("EXITED STOPPED 0", "STATE STOPPED"), eventsOf("c7"));
    }

    @Test
    void reconciliationKeepsRunningCleansExitedAndAbortsOrphans() throws IOException {
        record("alive", 800, 0, false, Set.of());
        record("exited", 801, 0, false, Set.of()).name();
        monitors.byDir.get(layout.dir(lxcpath, "exited")).exit(0);
        record("orphan", 802, 0, false, Set.of());
        monitors.byDir.get(layout.dir(lxcpath, "orphan")).monitorDead = true;
        List<Integer> killed = new ArrayList<>();
        List<RunState> running = registry.reconcile((pid, sig) -> killed.add(pid));
        assertEquals(List.of("alive"), running.stream().map(RunState::name).toList());
        assertEquals(ContainerState.RUNNING, registry.state(lxcpath, "alive"));
        assertFalse(Files.exists(layout.dir(lxcpath, "exited")));
        assertFalse(Files.exists(layout.dir(lxcpath, "orphan")));
        assertEquals(List.of("EXITED STOPPED 0", "STATE STOPPED"), eventsOf("exited"));
        assertEquals(List.of("STATE ABORTING", "STATE STOPPED"), eventsOf("orphan"));
        assertEquals(List.of(802), killed, "the orphan's init outlived its monitor and was killed");
        stopper.stop(lxcpath, "alive", new StopOptions(false, true, false, false, StopOptions.DEFAULT_TIMEOUT));
    }

    @Test
    void unreadableStateIsIgnoredNotFatal() throws IOException {
        Path dir = layout.dir(lxcpath, "bad");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(RunLayout.STATE), "{ not json");
        assertEquals(ContainerState.STOPPED, registry.state(lxcpath, "bad"));
        assertEquals(List.of(), registry.reconcile((pid, sig) -> { }));
    }

    @Test
    void filesBesideTheRunDirectoriesAreNotContainers() throws IOException {
        record("alive", 810, 0, false, Set.of());
        Path journal = layout.dir(lxcpath, "alive").resolveSibling("events");
        Files.writeString(journal, "'x' changed state to [RUNNING]\n");
        List<RunState> running = registry.reconcile((pid, sig) -> { });
        assertEquals(List.of("alive"), running.stream().map(RunState::name).toList());
        assertTrue(Files.isRegularFile(journal), "the journal is left alone");
        stopper.stop(lxcpath, "alive", new StopOptions(false, true, false, false, StopOptions.DEFAULT_TIMEOUT));
    }

    @Test
    void reconciliationLeavesCleanupToLaterWhenBackendsAreMissing() throws IOException {
        record("orphan", 820, 0, false, Set.of());
        FakeMonitors.Fake orphan = monitors.byDir.get(layout.dir(lxcpath, "orphan"));
        orphan.monitorDead = true;
        List<Integer> killed = new ArrayList<>();
        assertEquals(List.of(), registry.reconcile((pid, sig) -> {
            killed.add(pid);
            orphan.exited.countDown();   // init dies of the SIGKILL
        }, s -> false));
        assertEquals(List.of(820), killed, "the orphan's init is killed at once");
        assertTrue(Files.exists(layout.state(lxcpath, "orphan")), "its state stays for a later cleanup");
        assertTrue(released.isEmpty(), "nothing released without its backends");
        assertEquals(ContainerState.STOPPED, registry.state(lxcpath, "orphan"));
        assertFalse(Files.exists(layout.dir(lxcpath, "orphan")), "the next query cleans up");
        assertEquals(1, released.size());
    }

    @Test
    void aContainerLeftForLaterIsCleanedUpWhenItsBackendsArriveWithoutAQuery() throws Exception {
        record("orphan", 830, 0, false, Set.of());
        FakeMonitors.Fake orphan = monitors.byDir.get(layout.dir(lxcpath, "orphan"));
        orphan.monitorDead = true;
        java.util.concurrent.atomic.AtomicBoolean backends = new java.util.concurrent.atomic.AtomicBoolean();
        assertEquals(List.of(), registry.reconcile((pid, sig) -> orphan.exited.countDown(), s -> backends.get()));
        assertTrue(released.isEmpty(), "nothing released without its backends");
        assertTrue(Files.exists(layout.state(lxcpath, "orphan")), "its state stays until they arrive");
        backends.set(true);   // DS binds the backends after the runtime reconciled
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // STOPPED is the cleanup's last step
        while (!eventsOf("orphan").contains("STATE STOPPED") && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertFalse(Files.exists(layout.dir(lxcpath, "orphan")), "cleaned up with no query of it");
        assertEquals(1, released.size());
        assertEquals(List.of("STATE ABORTING", "STATE STOPPED"), eventsOf("orphan"));
    }

    @Test
    void backendsThatGoAwayDuringTheCleanupLeaveItToTheNextRuntime() throws Exception {
        record("orphan", 840, 0, false, Set.of());
        FakeMonitors.Fake orphan = monitors.byDir.get(layout.dir(lxcpath, "orphan"));
        orphan.monitorDead = true;
        java.util.concurrent.atomic.AtomicInteger checks = new java.util.concurrent.atomic.AtomicInteger();
        // the reconciliation's check fails, the waiting thread's first passes, then the backends are gone
        assertEquals(List.of(), registry.reconcile((pid, sig) -> orphan.exited.countDown(),
                s -> checks.incrementAndGet() == 2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (checks.get() < 4 && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
        assertTrue(checks.get() >= 4, "checked before the release and again after it was left: " + checks.get());
        assertTrue(released.isEmpty(), "nothing released without the backends");
        assertTrue(Files.exists(layout.state(lxcpath, "orphan")), "its state stays for the next runtime");
    }
}
