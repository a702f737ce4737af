package org.lxj.core.internal.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.lxj.spi.host.CgroupHierarchy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel's cgroup migration barrier open while a start is under way, so that placing init and the
 * monitor in their cgroups does not wait for an RCU grace period on the start's critical path.
 * <p>
 * Every move of a task between cgroups (a write of a pid to {@code cgroup.procs} or {@code tasks}, v1 and v2) takes
 * the kernel's global {@code cgroup_threadgroup_rwsem} for writing, and the first writer after a quiet period waits
 * for a full grace period (5-20 ms measured here); writers that follow within about one grace period of the last one
 * pass at once (about 30 us). A v1 hierarchy has no {@code CLONE_INTO_CGROUP}, so the monitor must move init into
 * each v1 payload cgroup: that wait used to be the largest single cost of {@code lxc-execute}. Now init moves
 * itself into each v1 cgroup by writing {@code 0} to its {@code tasks} file, which skips the barrier, and the
 * monitor's own move into {@code lxc.monitor.<name>} runs off the start's path
 * ({@link CgroupSetup#placeMonitorLater}); the monitor still moves init by pid with a user namespace, namespace
 * joins or a cgroup2 {@code cgroup.procs} file ({@link ContainerStarter#movesInitByPid}), and only then does a
 * start use this warmer. It moves one thread of its own into the cgroup it is already in (a migration that
 * changes nothing) once the plan is built, while the runtime spawns the launcher, and again every
 * {@link #INTERVAL_NANOS} until the caller closes it when init is placed. ({@code lxc-attach} does without: its
 * launcher joins the cgroups about 2 ms after the spawn, too soon for a warmer to help; measured, attach was no
 * faster with one.)
 * Not earlier: the first move holds the kernel's cgroup mutex for the whole grace period, and a {@code mkdir} of a
 * cgroup waits for that mutex. It only ever writes its own thread id to its own cgroup; a write that fails stops it.
 */
final class MigrationWarmer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MigrationWarmer.class);
    /** Well inside the shortest grace period measured, so the barrier never closes between two writes. */
    static final long INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
    /** A start that forgets to close its warmer stops it after this long. */
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** Where the warming thread writes, and what. */
    record Target(Path file, boolean threadId) {
    }

    private static final MigrationWarmer NONE = new MigrationWarmer();

    private final Thread thread;
    private volatile boolean stopped;

    private MigrationWarmer() {
        this.thread = null;
        this.stopped = true;
    }

    /** Finds the target from inside the warming thread: it is that thread's own cgroup. */
    @FunctionalInterface
    private interface Finder {
        Optional<Target> find() throws IOException;
    }

    private MigrationWarmer(String name, Finder finder) {
        this.thread = new Thread(() -> run(finder), "lxj-cgroup-warm-" + name);
        this.thread.setDaemon(true);
    }

    /** A warmer that does nothing. */
    static MigrationWarmer none() {
        return NONE;
    }

    /**
     * Starts warming for a start of {@code name}; the warming thread finds its own cgroup and does nothing when the
     * host has no hierarchy it can be found in.
     */
    static MigrationWarmer start(String name, List<CgroupHierarchy> hierarchies) {
        if (hierarchies.isEmpty()) {
            return NONE;
        }
        MigrationWarmer w = new MigrationWarmer(name, () -> {
            try (InputStream in = Files.newInputStream(Path.of("/proc/thread-self/cgroup"))) {
                return target(new String(in.readAllBytes(), StandardCharsets.UTF_8), hierarchies);
            }
        });
        w.thread.start();
        return w;
    }

    /** Starts warming {@code target} (for tests: any file). */
    static MigrationWarmer start(String name, Target target) {
        MigrationWarmer w = new MigrationWarmer(name, () -> Optional.of(target));
        w.thread.start();
        return w;
    }

    /**
     * The file a thread rewrites its own membership to: {@code tasks} of its cgroup in the first v1 hierarchy with a
     * controller (the thread's id: a single-thread move, which still takes the barrier), else {@code cgroup.procs}
     * of its cgroup2 cgroup (the process id).
     *
     * @param procCgroup the text of {@code /proc/thread-self/cgroup}
     */
    static Optional<Target> target(String procCgroup, List<CgroupHierarchy> hierarchies) {
        Optional<Target> v2 = Optional.empty();
        for (String line : procCgroup.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length != 3 || !f[2].startsWith("/") || f[2].contains("..")) {
                continue;
            }
            String rel = f[2].substring(1);
            if (f[0].equals("0") && f[1].isEmpty()) {
                if (v2.isEmpty()) {
                    v2 = hierarchies.stream().filter(h -> h.version() == 2).findFirst()
                            .map(h -> new Target(h.mountPoint().resolve(rel).resolve("cgroup.procs"), false));
                }
                continue;
            }
            List<String> controllers = List.of(f[1].split(","));
            Optional<CgroupHierarchy> home = hierarchies.stream()
                    .filter(h -> h.version() == 1 && h.controllers().stream().anyMatch(controllers::contains))
                    .findFirst();
            if (home.isPresent()) {
                return Optional.of(new Target(home.get().mountPoint().resolve(rel).resolve("tasks"), true));
            }
        }
        return v2;
    }

    private void run(Finder finder) {
        Target target;
        String id;
        try {
            Optional<Target> found = finder.find();
            if (found.isEmpty()) {
                return;
            }
            target = found.get();
            id = target.threadId() ? Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString()
                    : Long.toString(ProcessHandle.current().pid());
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("No cgroup migration warming: {}", e.toString());
            return;
        }
        byte[] value = id.getBytes(StandardCharsets.US_ASCII);
        long deadline = System.nanoTime() + MAX_NANOS;
        try (FileChannel ch = FileChannel.open(target.file(), StandardOpenOption.WRITE)) {
            while (!stopped && System.nanoTime() - deadline < 0) {
                ch.write(ByteBuffer.wrap(value), 0);
                LockSupport.parkNanos(this, INTERVAL_NANOS);
            }
        } catch (IOException e) {
            LOG.debug("Cgroup migration warming stopped at \"{}\": {}", target.file(), e.toString());
        }
    }

    /** Whether the warming thread still runs (for tests). */
    boolean running() {
        return thread != null && thread.isAlive();
    }

    /** Stops warming; idempotent. */
    @Override
    public void close() {
        if (!stopped) {
            stopped = true;
            LockSupport.unpark(thread);
        }
    }
}
