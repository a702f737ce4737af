package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.run.RunReconciler.Action;
import org.lxj.core.internal.run.RunRegistry.Status;

/**
 * The reconciliation of a runtime that starts while another runtime starts a container: a held start lock means
 * STARTING, left alone; a free one with the monitor gone means abandoned, cleaned up. Fake monitors, no root.
 */
class RunReconcilerTest {
    @TempDir
    Path tmp;
    Path lxcpath;
    RunLayout layout;
    FakeMonitors monitors;
    List<ContainerEvent> events;
    List<RunState> released;
    RunRegistry registry;
    /** The other runtime's lock table: another table of this JVM on the same lock files. */
    ContainerLocks otherRuntime;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        layout = new RunLayout(tmp.resolve("run"));
        monitors = new FakeMonitors();
        events = Collections.synchronizedList(new ArrayList<>());
        released = Collections.synchronizedList(new ArrayList<>());
        registry = new RunRegistry(layout, new ContainerLocks(layout), monitors, monitors.processes(Set.of()),
                released::add, events::add, (p, n) -> { });
        otherRuntime = new ContainerLocks(layout);
    }

    @AfterEach
    void tearDown() {
        registry.close();
    }

    RunState record(String name, int pid, String phase) throws IOException {
        Path dir = layout.dir(lxcpath, name);
        Files.createDirectories(dir);
        monitors.add(dir, pid, Set.of());
        RunState s = new RunState(name, lxcpath, phase, pid, 1000L, pid - 1, "dir:/x", Path.of("/x"),
                dir.resolve("rootfs"), false, 0, 2, 9, false, false);
        registry.write(s);
        return s;
    }

    List<String> eventsOf(String name) {
        synchronized (events) {
            return events.stream().filter(e -> e.name().equals(name)).map(e -> e.kind() + " " + e.state()).toList();
        }
    }

    @Test
    void decisionTable() {
        assertEquals(Action.WATCH, RunReconciler.decide(Status.RUNNING, true));
        assertEquals(Action.WATCH, RunReconciler.decide(Status.RUNNING, false));
        assertEquals(Action.CLEAN, RunReconciler.decide(Status.EXITED, true));
        assertEquals(Action.CLEAN, RunReconciler.decide(Status.EXITED, false));
        assertEquals(Action.LEAVE_STARTING, RunReconciler.decide(Status.STARTING, false));
        assertEquals(Action.LEAVE_STARTING, RunReconciler.decide(Status.MONITOR_DEAD, false));
        assertEquals(Action.ABORT, RunReconciler.decide(Status.STARTING, true));
        assertEquals(Action.ABORT, RunReconciler.decide(Status.MONITOR_DEAD, true));
    }

    @Test
    void aContainerAnotherRuntimeIsStartingIsLeftAloneUntilItsLockIsFree() throws IOException {
        record("w4-starting", 900, RunState.STARTING);
        List<Integer> killed = new ArrayList<>();
        try (ContainerLocks.Held starter = otherRuntime.lock(lxcpath, "w4-starting")) {
            assertEquals(List.of(), registry.reconcile((pid, sig) -> killed.add(pid)));
            assertEquals(List.of(), killed, "a container being started is never killed");
            assertTrue(Files.exists(layout.state(lxcpath, "w4-starting")), "its state is left to its starter");
            assertEquals(List.of(), eventsOf("w4-starting"));
            assertEquals(org.lxj.api.ContainerState.STARTING, registry.state(lxcpath, "w4-starting"));
        }
        // the starter died without finishing: the lock is free, the start abandoned
        FakeMonitors.Fake init = monitors.byDir.get(layout.dir(lxcpath, "w4-starting"));
        assertEquals(List.of(), registry.reconcile((pid, sig) -> {
            killed.add(pid);
            init.exited.countDown();
        }));
        assertEquals(List.of(900), killed);
        assertFalse(Files.exists(layout.dir(lxcpath, "w4-starting")));
        assertEquals(List.of("STATE ABORTING", "STATE STOPPED"), eventsOf("w4-starting"));
    }

    @Test
    void aDeadMonitorUnderAHeldLockIsLeftToTheStarter() throws IOException {
        record("w4-undoing", 910, RunState.STARTING);
        FakeMonitors.Fake init = monitors.byDir.get(layout.dir(lxcpath, "w4-undoing"));
        init.monitorDead = true;   // the launch failed: monitor and init gone, the starter about to undo
        init.exited.countDown();
        List<Integer> killed = new ArrayList<>();
        try (ContainerLocks.Held starter = otherRuntime.lock(lxcpath, "w4-undoing")) {
            assertEquals(List.of(), registry.reconcile((pid, sig) -> killed.add(pid)));
            assertTrue(Files.exists(layout.state(lxcpath, "w4-undoing")), "a failing start undoes itself");
            assertTrue(released.isEmpty());
        }
        assertEquals(List.of(), killed);
        registry.reconcile((pid, sig) -> killed.add(pid));
        assertFalse(Files.exists(layout.dir(lxcpath, "w4-undoing")), "cleaned up once nobody starts it");
        assertEquals(1, released.size());
    }

    @Test
    void tryLockNeverWaits() throws Exception {
        try (ContainerLocks.Held held = registry.locks().tryLock(lxcpath, "w4-lock").orElseThrow()) {
            assertTrue(registry.locks().tryLock(lxcpath, "w4-lock").map(reentrant -> {
                reentrant.close();
                return true;
            }).orElse(false), "reentrant in the holding thread");
            boolean fromOtherThread = CompletableFuture.supplyAsync(() -> {
                Optional<ContainerLocks.Held> h = registry.locks().tryLock(lxcpath, "w4-lock");
                h.ifPresent(ContainerLocks.Held::close);
                return h.isPresent();
            }).get(30, TimeUnit.SECONDS);
            assertFalse(fromOtherThread, "another thread of this JVM finds it held");
            assertTrue(otherRuntime.tryLock(lxcpath, "w4-lock").isEmpty(), "another lock table finds it held");
        }
        try (ContainerLocks.Held again = otherRuntime.tryLock(lxcpath, "w4-lock").orElseThrow()) {
            assertTrue(registry.locks().tryLock(lxcpath, "w4-lock").isEmpty());
        }
    }
}
