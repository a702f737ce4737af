package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation of every run directory when a runtime starts (see {@link RunRegistry#reconcile}). Several
 * runtimes share the run root, so a container found with no monitor answering may be one another runtime is
 * starting this very moment: its starter holds the container's lock for the whole start, and a lock that cannot
 * be taken at once marks the container STARTING, left alone. Only a container whose lock is free and whose
 * monitor is gone is an abandoned one, killed and cleaned up.
 */
final class RunReconciler {
    private static final Logger LOG = LoggerFactory.getLogger(RunReconciler.class);
    /** How long a container that {@link #reconcile} left for later waits for its backends; a query cleans after. */
    static final Duration BACKEND_WAIT = Duration.ofSeconds(60);
    private static final long BACKEND_POLL_NANOS = 50_000_000L;

    /** What the reconciliation does with one recorded container. */
    enum Action {
        /** Running: its watcher is started. */
        WATCH,
        /** Exited with its monitor's record: cleaned up. */
        CLEAN,
        /** Another runtime is starting it (its lock is held): left alone. */
        LEAVE_STARTING,
        /** Its monitor is gone and nobody starts it: init killed if alive, reported ABORTING, cleaned up. */
        ABORT
    }

    private final RunRegistry registry;
    /** Containers whose cleanup waits for their backends, by watch key: one waiting thread each. */
    private final Set<Path> awaitingBackends = ConcurrentHashMap.newKeySet();

    RunReconciler(RunRegistry registry) {
        this.registry = registry;
    }

    /**
     * The decision for one container: {@code status} as probed (a RUNNING one whose monitor does not answer counts
     * as MONITOR_DEAD), {@code startLockFree} whether its lock could be taken without waiting.
     */
    static Action decide(RunRegistry.Status status, boolean startLockFree) {
        return switch (status) {
            case RUNNING -> Action.WATCH;
            case EXITED -> Action.CLEAN;
            case STARTING, MONITOR_DEAD -> startLockFree ? Action.ABORT : Action.LEAVE_STARTING;
        };
    }

    List<RunState> reconcile(RunRegistry.PidKiller kill, Predicate<RunState> canClean) {
        List<RunState> running = new ArrayList<>();
        Path root = registry.layout().root();
        try (DirectoryStream<Path> ids = Files.newDirectoryStream(root)) {
            for (Path id : ids) {
                if (!RunLayout.isLxcpathId(id.getFileName().toString()) || !Files.isDirectory(id)) {
                    continue;
                }
                try (DirectoryStream<Path> names = Files.newDirectoryStream(id)) {
                    for (Path dir : names) {
                        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                            continue;   // the lxcpath's event journal and lock files live beside the run dirs
                        }
                        RunRegistry.readFile(dir.resolve(RunLayout.STATE))
                                .ifPresent(s -> reconcileOne(s, kill, canClean, running));
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return running;
        } catch (IOException e) {
            LOG.warn("Failed to scan run directory \"{}\": {}", root, e.toString());
        }
        return running;
    }

    private void reconcileOne(RunState s, RunRegistry.PidKiller kill, Predicate<RunState> canClean,
            List<RunState> running) {
        RunRegistry.Status st = registry.probe(s);
        if (st == RunRegistry.Status.RUNNING) {
            try {
                registry.monitor(s).state(RunRegistry.MONITOR_TIMEOUT);
            } catch (IOException e) {
                st = RunRegistry.Status.MONITOR_DEAD;
            }
        }
        if (st == RunRegistry.Status.RUNNING || st == RunRegistry.Status.EXITED) {
            act(decide(st, true), s, kill, canClean, running);
            return;
        }
        // held across the kill and the cleanup: no start of the container can begin in between
        Optional<ContainerLocks.Held> held = registry.locks().tryLock(s.lxcpath(), s.name());
        if (held.isEmpty()) {
            act(decide(st, false), s, kill, canClean, running);
            return;
        }
        try (ContainerLocks.Held lock = held.get()) {
            // the starter may have finished or undone its start between the probe and the lock
            Optional<RunState> now = registry.read(s.lxcpath(), s.name()).filter(r -> RunRegistry.sameRun(r, s));
            if (now.isEmpty()) {
                return;
            }
            RunRegistry.Status again = registry.probe(now.get());
            if (again == RunRegistry.Status.RUNNING) {
                try {
                    registry.monitor(s).state(RunRegistry.MONITOR_TIMEOUT);
                } catch (IOException e) {
                    again = RunRegistry.Status.MONITOR_DEAD;
                }
            }
            act(decide(again, true), now.get(), kill, canClean, running);
        }
    }

    private void act(Action action, RunState s, RunRegistry.PidKiller kill, Predicate<RunState> canClean,
            List<RunState> running) {
        switch (action) {
            case WATCH -> {
                LOG.info("{}: found running (init {}, monitor {})", s.name(), s.initPid(), s.monitorPid());
                running.add(s);
                registry.watch(s);
            }
            case LEAVE_STARTING -> LOG.info("{}: found STARTING (its start lock is held by another runtime); left"
                    + " to its starter", s.name());
            case CLEAN -> {
                if (canClean.test(s)) {
                    registry.reap(s, false);
                } else {
                    LOG.info("{}: exited; its cleanup waits until its backends are installed", s.name());
                    reapWhenBackendsArrive(s, false, canClean);
                }
            }
            case ABORT -> {
                if (registry.procs().isAlive(s.initPid(), s.initStartTime())) {
                    kill.kill(s.initPid(), 9);
                }
                if (canClean.test(s)) {
                    registry.reap(s, true);
                } else {
                    LOG.info("{}: its monitor is gone; its cleanup waits until its backends are installed", s.name());
                    reapWhenBackendsArrive(s, true, canClean);
                }
            }
        }
    }

    /**
     * A runtime reconciles while its backends are still arriving (DS binds them after it activates): a container
     * left for later then gets a thread that cleans it up as soon as {@code canClean} passes, so that a runtime nobody
     * asks anything still removes what the container left on the host (its host-side interfaces, cgroups, rootfs
     * mount). Bounded by {@link #BACKEND_WAIT}; after that, or when the runtime closes, the next query of the
     * container or the next runtime does it.
     */
    private void reapWhenBackendsArrive(RunState s, boolean aborted, Predicate<RunState> canClean) {
        Path key = registry.watchKey(s);
        if (registry.closed() || !awaitingBackends.add(key)) {
            return;
        }
        Thread t = new Thread(() -> {
            Thread me = Thread.currentThread();
            try {
                long deadline = System.nanoTime() + BACKEND_WAIT.toNanos();
                while (!registry.closed() && System.nanoTime() - deadline < 0) {
                    registry.cleaningBegins(me);   // before the check, as a watcher: close() waits or stops it here
                    try {
                        if (!registry.closed() && canClean.test(s)
                                && (registry.reap(s, aborted, r -> !registry.closed() && canClean.test(r))
                                        || registry.read(s.lxcpath(), s.name())
                                                .filter(r -> RunRegistry.sameRun(r, s)).isEmpty())) {
                            return;   // cleaned up, here or by another runtime
                        }
                    } finally {
                        registry.cleaningEnds(me);
                    }
                    java.util.concurrent.locks.LockSupport.parkNanos(BACKEND_POLL_NANOS);
                }
                if (!registry.closed()) {
                    LOG.info("{}: its backends are not installed after {} s; the next query of it cleans up",
                            s.name(), BACKEND_WAIT.toSeconds());
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: cleanup after its backends arrived failed: {}", s.name(), e.toString());
            } finally {
                awaitingBackends.remove(key);
            }
        }, "lxj-cleanup-" + s.name());
        t.setDaemon(true);
        t.start();
    }
}
