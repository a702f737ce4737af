package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.hook.HookFile;
import org.lxj.core.internal.hook.HostHooks;
import org.lxj.core.internal.lifecycle.EventSink;
import org.lxj.core.internal.lifecycle.StateStore;
import org.lxj.launcher.ExitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime state of containers, kept in their run directories so it survives a restart of this JVM: the
 * state store the lifecycle asks, the cleanup after a container's init exited (rootfs unmount, run directory,
 * STOPPED event, ephemeral destroy), one watcher thread per running container that notices the exit, and the
 * reconciliation of every run directory when the runtime starts (done by {@link RunReconciler}).
 * <p>
 * A state is verified each time it is read: an exit record means the container stopped (and is cleaned up on
 * the spot); otherwise init's pid must still carry the recorded start time, or the monitor must answer.
 */
public final class RunRegistry implements StateStore, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);
    /** How long one watcher request waits before it checks whether the runtime is closing. */
    static final Duration WATCH_SLICE = Duration.ofSeconds(5);
    static final Duration MONITOR_TIMEOUT = Duration.ofSeconds(10);

    /** What a recorded container is doing, as verified. */
    public enum Status { STARTING, RUNNING, EXITED, MONITOR_DEAD }

    private final RunLayout layout;
    private final ContainerLocks locks;
    private final MonitorLink.Factory monitors;
    private final HostProcesses procs;
    private final RootfsRelease rootfs;
    private final EventSink events;
    private final BiConsumer<Path, String> ephemeralDestroy;
    private final Map<Path, Thread> watchers = new ConcurrentHashMap<>();
    /** Watchers inside a cleanup, which {@link #close()} lets finish. */
    private final Set<Thread> cleaning = ConcurrentHashMap.newKeySet();
    /** How long {@link #close()} waits for cleanups in progress. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    /** Exit records of containers cleaned up since their start, for a waiter that lost the race to the watcher. */
    private final Map<Path, ExitStatus> exits = new ConcurrentHashMap<>();
    private final Map<Path, Object> reaping = new ConcurrentHashMap<>();
    /** What {@link #reconcile(PidKiller, java.util.function.Predicate)} was given, for the watchers too. */
    private volatile java.util.function.Predicate<RunState> canClean = s -> true;
    private volatile boolean closed;

    /** How long a cleanup waits for the host's init to reap an orphaned container init. */
    static final Duration ORPHAN_REAP_WAIT = Duration.ofSeconds(20);
    private final RunReconciler reconciler = new RunReconciler(this);

    /** Undoes the storage backend's mount of a rootfs after the container stopped. */
    @FunctionalInterface
    public interface RootfsRelease {
        void release(RunState state);
    }

    public RunRegistry(RunLayout layout, ContainerLocks locks, MonitorLink.Factory monitors, HostProcesses procs,
            RootfsRelease rootfs, EventSink events, BiConsumer<Path, String> ephemeralDestroy) {
        this.layout = layout;
        this.locks = locks;
        this.monitors = monitors;
        this.procs = procs;
        this.rootfs = rootfs;
        this.events = events;
        this.ephemeralDestroy = ephemeralDestroy;
    }

    public RunLayout layout() {
        return layout;
    }

    public ContainerLocks locks() {
        return locks;
    }

    public MonitorLink monitor(RunState s) {
        return monitors.open(layout.dir(s.lxcpath(), s.name()));
    }

    /** The recorded state, unverified; empty when none or unreadable (an unreadable one is logged). */
    public Optional<RunState> read(Path lxcpath, String name) {
        return readFile(layout.state(lxcpath, name));
    }

    static Optional<RunState> readFile(Path file) {
        try {
            return Optional.of(RunState.fromJson(Files.readString(file, StandardCharsets.UTF_8)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring unreadable state file \"{}\": {}", file, e.getMessage());
            return Optional.empty();
        }
    }

    /** Records {@code state} atomically. */
    public void write(RunState state) {
        Path file = layout.state(state.lxcpath(), state.name());
        Path tmp = file.resolveSibling("." + RunLayout.STATE + ".tmp");
        try {
            Files.writeString(tmp, state.toJson(), StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new LxjException("Failed to write \"" + file + "\": " + e.getMessage(), e);
        }
    }

    /** What the recorded container is doing now. */
    public Status probe(RunState s) {
        Path dir = layout.dir(s.lxcpath(), s.name());
        if (Files.exists(dir.resolve("exit"), LinkOption.NOFOLLOW_LINKS)) {
            return Status.EXITED;
        }
        if (procs.isAlive(s.initPid(), s.initStartTime())) {
            return s.phase().equals(RunState.STARTING) ? Status.STARTING : Status.RUNNING;
        }
        try {
            return monitors.open(dir).state(MONITOR_TIMEOUT).isPresent() ? Status.RUNNING : Status.EXITED;
        } catch (IOException e) {
            return Status.MONITOR_DEAD;
        }
    }

    /**
     * The verified state, cleaning up a container found stopped; empty when it is not running. A container still
     * in its start is returned as it is: its starter holds the lock and finishes or undoes it.
     */
    public Optional<RunState> live(Path lxcpath, String name) {
        Optional<RunState> s = read(lxcpath, name);
        if (s.isEmpty()) {
            return s;
        }
        Status st = probe(s.get());
        if (st == Status.RUNNING || st == Status.STARTING) {
            return s;
        }
        reap(s.get(), st == Status.MONITOR_DEAD);
        return Optional.empty();
    }

    @Override
    public ContainerState state(Path lxcpath, String name) {
        Optional<RunState> s = read(lxcpath, name);
        if (s.isEmpty()) {
            awaitReap(lxcpath, name);
            return ContainerState.STOPPED;
        }
        Status st = probe(s.get());
        return switch (st) {
            case STARTING -> ContainerState.STARTING;
            case RUNNING -> ContainerState.RUNNING;
            default -> {
                reap(s.get(), st == Status.MONITOR_DEAD);
                yield ContainerState.STOPPED;
            }
        };
    }

    @Override
    public OptionalLong initPid(Path lxcpath, String name) {
        return live(lxcpath, name).map(s -> OptionalLong.of(s.initPid())).orElse(OptionalLong.empty());
    }

    /**
     * Waits for a reap of the container under way in this process: it removes the state file before the run
     * directory that held it, so a container without a state may still have its directory for a moment, and what
     * reports it STOPPED (lxc-wait, lxc-info) would otherwise answer before its cleanup is done.
     */
    /**
     * Drops what this registry keeps of a destroyed container: the object its reaps take turns on (one per run
     * directory ever reaped; a new container of that name gets a new one).
     */
    public void forget(Path lxcpath, String name) {
        reaping.remove(layout.dir(lxcpath, name));
    }

    /** How many run directories have an object their reaps take turns on (for tests). */
    int reapLocks() {
        return reaping.size();
    }

    private void awaitReap(Path lxcpath, String name) {
        Object lock = reaping.get(layout.dir(lxcpath, name));
        if (lock != null) {
            synchronized (lock) {
                LOG.trace("{}: its reap is done", name);
            }
        }
    }

    /**
     * Cleans up after a container whose init exited or whose monitor died: unmounts the rootfs, removes the run
     * directory (state file last), emits EXITED and STOPPED (ABORTING first when {@code aborted}), and destroys an
     * ephemeral container. Does nothing when no state of that start is recorded, so the watcher, a stop and a state
     * query may all try, and a late one never touches a later start of the same container.
     *
     * @return whether this call cleaned up
     */
    public boolean reap(RunState run, boolean aborted) {
        return reap(run, aborted, r -> true);
    }

    /**
     * As {@link #reap(RunState, boolean)}, but the cleanup is left for later (nothing released, the state kept) when
     * {@code backendsHere} fails just before the release: a runtime going down unbinds its backends while an
     * orphan's cleanup waits for the host's init to reap it.
     */
    boolean reap(RunState run, boolean aborted, java.util.function.Predicate<RunState> backendsHere) {
        return reap(run, aborted, backendsHere, () -> { });
    }

    /**
     * As {@link #reap(RunState, boolean)}, and runs {@code locked} once this thread holds the container's lock,
     * before anything is cleaned up (whether or not this call then cleans up): a foreground {@code lxc-execute}
     * answers its caller from there, and a following start of the container waits for the cleanup. A failure of
     * {@code locked} is logged; the cleanup goes on.
     */
    public boolean reap(RunState run, boolean aborted, Runnable locked) {
        return reap(run, aborted, r -> true, locked);
    }

    private boolean reap(RunState run, boolean aborted, java.util.function.Predicate<RunState> backendsHere,
            Runnable locked) {
        // one reap of a container at a time in this process, its ephemeral destroy included: a stop that finds the
        // watcher reaping returns only once an ephemeral container is gone
        synchronized (reaping.computeIfAbsent(layout.dir(run.lxcpath(), run.name()), d -> new Object())) {
            return reapNow(run, aborted, backendsHere, locked);
        }
    }

    private boolean reapNow(RunState run, boolean aborted, java.util.function.Predicate<RunState> backendsHere,
            Runnable locked) {
        Path lxcpath = run.lxcpath();
        String name = run.name();
        Optional<ExitStatus> exit;
        RunState s;
        try (ContainerLocks.Held held = locks.lock(lxcpath, name)) {
            try {
                locked.run();
            } catch (RuntimeException e) {
                LOG.warn("{}: {}", name, e.toString());
            }
            Optional<RunState> recorded = read(lxcpath, name).filter(r -> sameRun(r, run));
            if (recorded.isEmpty()) {
                return false;
            }
            s = recorded.get();
            Path dir = layout.dir(lxcpath, name);
            exit = exitRecord(s);
            exit.ifPresent(x -> exits.put(dir, x));
            if (aborted) {
                LOG.warn("{}: its monitor is gone without an exit record; cleaning up", name);
                emit(s, ContainerEvent.Kind.STATE, ContainerState.ABORTING, OptionalInt.empty());
                awaitReaped(s);
            }
            if (!backendsHere.test(s)) {
                LOG.info("{}: its backends went away; its cleanup is left to the next runtime", name);
                return false;
            }
            try {
                rootfs.release(s);
            } catch (RuntimeException e) {
                LOG.warn("{}: failed to release rootfs \"{}\": {}", name, s.rootfsMounted(), e.getMessage());
            }
            postStop(name, dir);
            ContainerLog.load(dir, name).notice("start", "Container \"" + name + "\" stopped"
                    + exit.map(x -> " (" + describe(x) + ")").orElse(aborted ? " (its monitor died)" : ""));
            removeRunDir(dir);
            LOG.info("{}: stopped{}", name, exit.map(x -> " (" + describe(x) + ")").orElse(""));
        }
        exit.ifPresent(x -> emit(s, ContainerEvent.Kind.EXITED, ContainerState.STOPPED, OptionalInt.of(status(x))));
        emit(s, ContainerEvent.Kind.STATE, ContainerState.STOPPED, OptionalInt.empty());
        if (s.ephemeral()) {
            try {
                ephemeralDestroy.accept(lxcpath, name);
                LOG.info("{}: ephemeral container destroyed", name);
            } catch (RuntimeException e) {
                LOG.warn("{}: failed to destroy the ephemeral container: {}", name, e.getMessage());
            }
        }
        return true;
    }

    /**
     * An init whose monitor died was re-parented to the host's init, which reaps it in its own time; until then
     * the zombie keeps its cgroups populated and they cannot be removed. Waits for that, bounded.
     */
    private void awaitReaped(RunState s) {
        long deadline = System.nanoTime() + ORPHAN_REAP_WAIT.toNanos();
        while (!procs.reaped(s.initPid(), s.initStartTime())) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("{}: init {} is not reaped yet; its cgroups may stay until it is", s.name(), s.initPid());
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L);
        }
    }

    /** LXC's post-stop point: the container is down and its rootfs released; failures are logged, not fatal. */
    private static void postStop(String name, Path dir) {
        try {
            HostHooks.runAll(name, HookFile.read(dir.resolve(HookFile.NAME)));
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: post-stop hooks not run: {}", name, e.getMessage());
        }
    }

    /** Whether two states record the same start (a later start of the container has another init). */
    static boolean sameRun(RunState a, RunState b) {
        return a.initPid() == b.initPid() && a.initStartTime() == b.initStartTime();
    }

    private Optional<ExitStatus> exitRecord(RunState s) {
        try {
            return monitor(s).exitStatus();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The exit record of the last run of a container cleaned up since, taken once. */
    public Optional<ExitStatus> takeExit(Path lxcpath, String name) {
        return Optional.ofNullable(exits.remove(layout.dir(lxcpath, name)));
    }

    /** The exit status as a shell reports it: the code, or 128 + the signal. */
    public static int status(ExitStatus x) {
        return x.signal() != 0 ? 128 + x.signal() : x.code();
    }

    private static String describe(ExitStatus x) {
        return x.signal() != 0 ? "killed by signal " + x.signal() : "exit status " + x.code();
    }

    /**
     * Removes the run directory without ever recursing: its files, then its empty subdirectories (the rootfs
     * mount target), the state file last, then the directory. A subdirectory that is not empty (a rootfs that
     * failed to unmount) stays, and so does the directory, with a warning.
     */
    static void removeRunDir(Path dir) {
        List<Path> dirs = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (p.getFileName().toString().equals(RunLayout.STATE)) {
                    continue;
                }
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    dirs.add(p);
                } else {
                    Files.deleteIfExists(p);
                }
            }
            for (Path d : dirs) {
                Files.deleteIfExists(d);
            }
            Files.deleteIfExists(dir.resolve(RunLayout.STATE));
            Files.deleteIfExists(dir);
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            LOG.warn("Failed to remove run directory \"{}\": {}", dir, e.toString());
        }
    }

    private void emit(RunState s, ContainerEvent.Kind kind, ContainerState state, OptionalInt exit) {
        events.emit(new ContainerEvent(s.lxcpath(), s.name(), kind, state, exit, Instant.now()));
    }

    /** Emits a state event for a container. */
    public void emit(Path lxcpath, String name, ContainerState state) {
        events.emit(new ContainerEvent(lxcpath, name, ContainerEvent.Kind.STATE, state, OptionalInt.empty(),
                Instant.now()));
    }

    /** Starts the thread that cleans up after {@code s} once its init exits; one per container. */
    public void watch(RunState s) {
        if (closed) {
            return;
        }
        watchers.computeIfAbsent(watchKey(s), d -> {
            Thread t = new Thread(() -> watchLoop(s), "lxj-watch-" + s.name());
            t.setDaemon(true);
            t.start();
            return t;
        });
    }

    Path watchKey(RunState s) {
        return layout.dir(s.lxcpath(), s.name()).resolve(Integer.toString(s.initPid()));
    }

    private void watchLoop(RunState s) {
        MonitorLink link = monitor(s);
        Status st = Status.RUNNING;
        while (!closed && read(s.lxcpath(), s.name()).filter(r -> sameRun(r, s)).isPresent()) {
            try {
                link.awaitExit(WATCH_SLICE);
                st = Status.EXITED;
                break;
            } catch (IOException e) {
                st = probe(s);
                if (st != Status.RUNNING && st != Status.STARTING) {
                    break;
                }
            } catch (RuntimeException e) {
                LOG.warn("{}: watcher failed: {}", s.name(), e.toString());
                st = probe(s);
                if (st != Status.RUNNING && st != Status.STARTING) {
                    break;
                }
            }
        }
        Thread me = Thread.currentThread();
        cleaning.add(me);   // before the check, so that close() either sees this thread or stops it here
        try {
            // a runtime going down loses its backends before its watchers: a cleanup without them would leave a
            // phys device in a dead namespace or cgroups behind, so it is left to the next runtime then
            if (!closed && canClean.test(s)) {
                // checked again just before the release: an orphan's cleanup first waits for the host's init
                reap(s, st == Status.MONITOR_DEAD, r -> !closed && canClean.test(r));
            } else if (!closed) {
                LOG.info("{}: stopped; its cleanup waits until its backends are installed", s.name());
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: cleanup after exit failed: {}", s.name(), e.toString());
        } finally {
            cleaning.remove(me);
            watchers.remove(watchKey(s));
        }
    }

    /**
     * Rebuilds the true state of every recorded container, as at each start of the runtime: a running one gets
     * its watcher back; one that exited is cleaned up; one still starting in another runtime (its start lock held)
     * is left alone; one whose monitor died (or whose start was abandoned) is reported ABORTING, its init killed if
     * it survived, and cleaned up.
     *
     * @param kill sends a signal to a host pid (init of a container whose monitor is gone)
     * @return the containers found running
     */
    public List<RunState> reconcile(PidKiller kill) {
        return reconcile(kill, s -> true);
    }

    /**
     * As {@link #reconcile(PidKiller)}, but a stopped container is cleaned up only when {@code canClean} says
     * what it needs to undo (its storage and cgroup backends) is installed; otherwise its state stays for the
     * next query of it, which cleans up then. A runtime reconciles while its backends are still arriving.
     */
    public List<RunState> reconcile(PidKiller kill, java.util.function.Predicate<RunState> canClean) {
        this.canClean = canClean;
        return reconciler.reconcile(kill, canClean);
    }

    /** Sends a signal to a host pid. */
    @FunctionalInterface
    public interface PidKiller {
        void kill(int pid, int signal);
    }

    /** Whether {@link #close()} was called. */
    boolean closed() {
        return closed;
    }

    HostProcesses procs() {
        return procs;
    }

    /** Marks {@code t} as inside a cleanup, which {@link #close()} lets finish. */
    void cleaningBegins(Thread t) {
        cleaning.add(t);
    }

    void cleaningEnds(Thread t) {
        cleaning.remove(t);
    }

    /**
     * Stops the watchers (they end within one slice) after the cleanups in progress have finished; running
     * containers are left to their monitors.
     */
    @Override
    public void close() {
        closed = true;
        // a watcher in the middle of a cleanup finishes it: leave nothing half-removed behind
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (Thread t : List.copyOf(cleaning)) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
