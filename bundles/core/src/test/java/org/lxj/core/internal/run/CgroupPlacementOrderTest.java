package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.config.SystemConfig;
import org.lxj.cgroup.v1.internal.V1CgroupBackend;
import org.lxj.linux.fake.RecordingSyscalls;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;

/**
 * The start's cgroup moves off its path: the monitor's move runs later on a thread of its own, the removal of the
 * cgroups drops it when it has not begun and waits for it when it has; which plans still have the monitor move init
 * by pid (and so want the warmer).
 */
class CgroupPlacementOrderTest {
    final RecordingSyscalls sys = new RecordingSyscalls();
    final V1CgroupBackend v1 = new V1CgroupBackend(sys, CgroupSetupTest.HYBRID);
    final List<String> events = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    /** Counted down when a monitor move reaches the backend. */
    final CountDownLatch moving = new CountDownLatch(1);
    /** A monitor that lives through the test: this JVM. */
    static final int ALIVE = (int) ProcessHandle.current().pid();

    /** The v1 backend, with a monitor move that waits for {@link #release} and a removal that is only recorded. */
    final CgroupBackend slow = (CgroupBackend) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {CgroupBackend.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "attachMonitor" -> {
                        moving.countDown();
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("never released");
                        }
                        events.add("monitor " + args[1]);
                        return null;
                    }
                    case "destroy" -> {
                        CgroupHandle h = (CgroupHandle) args[0];
                        events.add("destroy " + h.payload() + (h.monitorDirectories().isEmpty() ? "" : " and monitor"));
                        return null;
                    }
                    case "pids" -> {
                        return List.of();
                    }
                    default -> {
                        try {
                            return method.invoke(v1, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                }
            });
    final CgroupSetup setup = new CgroupSetup(() -> List.of(slow), SystemConfig.defaults());

    List<CgroupRecord> records(String name) {
        return List.of(new CgroupRecord(v1.type(), new CgroupHandle(name, "lxc.payload." + name, "lxc.monitor." + name,
                List.of(Path.of("/sys/fs/cgroup/pids/lxc.payload." + name)),
                List.of(Path.of("/sys/fs/cgroup/pids/lxc.monitor." + name)))));
    }

    @Test
    void theRemovalWaitsForTheMonitorMoveUnderWay() throws Exception {
        List<CgroupRecord> made = records("t1a");
        setup.placeMonitorLater("t1a", made, ALIVE);
        assertTrue(moving.await(30, TimeUnit.SECONDS), "the move began after its delay");
        RunState state = new RunState("t1a", Path.of("/var/lib/lxj"), RunState.RUNNING, 42, 7L, ALIVE, "",
                Path.of("/"), Path.of("/r"), false, 0, 2, 9, false, false).withCgroups(CgroupRecord.encode(made));
        Thread remover = new Thread(() -> setup.release(state), "t1-remover");
        remover.start();
        // the remover blocks on the move (or, were it not to wait, would have removed the cgroups already)
        while (remover.getState() != Thread.State.TIMED_WAITING && remover.isAlive()) {
            Thread.onSpinWait();
        }
        assertTrue(events.isEmpty(), events.toString());
        release.countDown();
        remover.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(remover.isAlive());
        assertEquals(List.of("monitor " + ALIVE, "destroy lxc.payload.t1a and monitor"), events);
    }

    @Test
    void aRemovalBeforeTheMoveDropsItAndLeavesTheMonitorCgroupsAlone() throws Exception {
        release.countDown();
        List<CgroupRecord> made = records("t1d");
        setup.placeMonitorLater("t1d", made, ALIVE);
        setup.release(new CgroupSetup.Made(made, CgroupPlacement.NONE));
        // a cgroup named lxc.monitor.t1d now may be another container's: this one never made it
        assertEquals(List.of("destroy lxc.payload.t1d"), events);
        Thread.sleep(CgroupSetup.MONITOR_MOVE_DELAY_MS * 3);    // past the move's time: it stays dropped
        assertEquals(List.of("destroy lxc.payload.t1d"), events);
    }

    @Test
    void aMonitorGoneByTheMovesTimeIsNotMovedAndGetsNoCgroups() throws Exception {
        release.countDown();
        Process gone = new ProcessBuilder("true").start();
        assertEquals(0, gone.waitFor());
        List<CgroupRecord> made = records("t1e");
        setup.placeMonitorLater("t1e", made, (int) gone.pid());
        setup.awaitPlacements();                           // carries the move out now
        setup.release(new CgroupSetup.Made(made, CgroupPlacement.NONE));
        assertEquals(List.of("destroy lxc.payload.t1e"), events);
    }

    @Test
    void aStoppingRuntimeCarriesOutThePendingMovesAndWaitsForThem() throws Exception {
        setup.placeMonitorLater("t1c", records("t1c"), ALIVE);
        Thread stopper = new Thread(setup::awaitPlacements, "t1-stopper");
        stopper.start();
        assertTrue(moving.await(30, TimeUnit.SECONDS), "the stopping runtime moved the monitor");
        assertTrue(events.isEmpty(), events.toString());
        release.countDown();
        stopper.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(stopper.isAlive());
        assertEquals(List.of("monitor " + ALIVE), events);
    }

    @Test
    void aRemovalWithNoMoveUnderWayGoesOnAtOnce() {
        release.countDown();
        setup.placeMonitorLater("t1b", List.of(), 4243);    // no cgroups: nothing to move
        setup.release(new CgroupSetup.Made(records("t1b"), CgroupPlacement.NONE));
        // cgroups this runtime knows no move of (another runtime started the container): the monitor's go too
        assertEquals(List.of("destroy lxc.payload.t1b and monitor"), events);
    }

    static LaunchPlan plan(CgroupPlacement placement, Namespace... extra) {
        LaunchPlan.Builder b = LaunchPlan.builder();
        b.cloneNamespace(Namespace.MOUNT).cloneNamespace(Namespace.PID);
        for (Namespace ns : extra) {
            b.cloneNamespace(ns);
            if (ns == Namespace.USER) {
                b.idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                        .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536));
            }
        }
        return b.cgroup(placement).process(ProcessSpec.root(List.of("/bin/true"), List.of())).build();
    }

    @Test
    void initMovesItselfIntoV1CgroupsUnlessAUserNamespaceOrACgroup2FileNeedsTheMonitor(@TempDir Path dir)
            throws IOException {
        Path v1Dir = Files.createDirectories(dir.resolve("pids/lxc.payload.c1"));
        Files.createFile(v1Dir.resolve("tasks"));
        Path v2Dir = Files.createDirectories(dir.resolve("unified/lxc.payload.c1"));
        CgroupPlacement v1Only = new CgroupPlacement(Optional.of(v2Dir), List.of(v1Dir.resolve("cgroup.procs")));
        assertFalse(ContainerStarter.movesInitByPid(plan(CgroupPlacement.NONE)));
        assertFalse(ContainerStarter.movesInitByPid(plan(v1Only)));
        assertTrue(ContainerStarter.movesInitByPid(plan(v1Only, Namespace.USER)));
        assertTrue(ContainerStarter.movesInitByPid(plan(new CgroupPlacement(Optional.empty(),
                List.of(v1Dir.resolve("cgroup.procs"), v2Dir.resolve("cgroup.procs"))))));
        // with a cgroup2 cgroup to clone into, the procs files are v1 ones and are not probed: no tasks file needed
        Path unprobed = Files.createDirectories(dir.resolve("memory/lxc.payload.c1"));
        assertFalse(ContainerStarter.movesInitByPid(plan(new CgroupPlacement(Optional.of(v2Dir),
                List.of(v1Dir.resolve("cgroup.procs"), unprobed.resolve("cgroup.procs"))))));
        // a procs file of the clone-into cgroup itself is moved by pid
        assertTrue(ContainerStarter.movesInitByPid(plan(new CgroupPlacement(Optional.of(v2Dir),
                List.of(v2Dir.resolve("cgroup.procs"))))));
    }
}
