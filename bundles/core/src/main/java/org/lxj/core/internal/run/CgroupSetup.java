package org.lxj.core.internal.run;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerStats;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.cgroup.CgroupCapability;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.cgroup.CgroupStats;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's cgroups through every installed cgroup backend that detects its layout (on a hybrid host v1 and
 * v2 serve together): the check of {@code lxc.cgroup.*} and {@code lxc.cgroup2.*} keys against the host before
 * anything starts, the payload and monitor cgroups with their limits before init exists, init's placement for the
 * plan, and their removal after the stop from what {@code state.json} recorded.
 */
public final class CgroupSetup {
    private static final Logger LOG = LoggerFactory.getLogger(CgroupSetup.class);
    private static final int SIGKILL = 9;
    /** Keys of cgroup features this runtime does not have yet; refused rather than ignored. */
    private static final Set<String> UNSUPPORTED = Set.of("lxc.cgroup.dir.container.inner",
            "lxc.cgroup.dir.monitor.pivot");

    private final Supplier<List<CgroupBackend>> backends;
    private final SystemConfig system;
    /** Monitor moves of {@link #placeMonitorLater}, pending or under way, by the encoded records of their cgroups. */
    private final Map<String, Placement> placing = new ConcurrentHashMap<>();
    /** Runs those moves, {@link #MONITOR_MOVE_DELAY_MS} ms after the start asked ({@link Workers}). */
    private final ScheduledThreadPoolExecutor movers = Workers.scheduled("lxj-cgroup-monitor-move");

    /**
     * How long a start's monitor waits before it is moved: a container that is gone by then (an {@code lxc-execute}
     * of a short command) gets no monitor cgroups at all, and its cleanup does not wait for a move by pid, which
     * after a quiet period waits a whole RCU grace period (5-20 ms here).
     */
    static final long MONITOR_MOVE_DELAY_MS = 50;

    /** One monitor move: whoever claims it first, the mover or a removal (which then drops it), decides. */
    private final class Placement {
        private final AtomicBoolean claimed = new AtomicBoolean();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        /** Set before the monitor cgroups are made: from then on they are this container's to remove. */
        private volatile boolean made;
        private final String name;
        private final List<CgroupRecord> records;
        /** Known once the launcher made the monitor ({@link #placeMonitorLater}). */
        private volatile int monitorPid;

        Placement(String name, List<CgroupRecord> records) {
            this.name = name;
            this.records = records;
        }

        /** Makes the monitor cgroups and moves the monitor in, unless it is gone or this move was dropped. */
        void run() {
            if (!claimed.compareAndSet(false, true)) {
                return;
            }
            try {
                if (!HostProcesses.exited(monitorPid)) {
                    made = true;
                    placeMonitor(name, records, monitorPid);
                }
            } finally {
                done.complete(null);
            }
        }

        /** Drops the move if it has not started: true when it never will run. */
        boolean drop() {
            if (!claimed.compareAndSet(false, true)) {
                return false;
            }
            done.complete(null);
            return true;
        }
    }

    public CgroupSetup(Supplier<List<CgroupBackend>> backends, SystemConfig system) {
        this.backends = backends;
        this.system = system;
    }

    /** No backends: nothing is made, nothing is removed. */
    public static CgroupSetup none() {
        return new CgroupSetup(List::of, SystemConfig.defaults());
    }

    /** Whether any cgroup backend is installed. */
    public boolean installed() {
        return !backends.get().isEmpty();
    }

    /** The cgroups of one start, and init's placement in them. */
    public record Made(List<CgroupRecord> records, CgroupPlacement placement) {
    }

    private List<CgroupBackend> serving(HostFacts host) {
        List<CgroupBackend> out = new ArrayList<>();
        for (CgroupBackend b : backends.get()) {
            if (b.detect(host).available()) {
                out.add(b);
            } else {
                LOG.debug("cgroup backend \"{}\" does not serve this host: {}", b.type(), b.detect(host).reason());
            }
        }
        return out;
    }

    /**
     * Refuses a cgroup key the host's layout cannot serve, naming the key, the controller and where that
     * controller lives on this host.
     *
     * @throws UnsupportedFeatureException for the first such key
     */
    public void check(ContainerConfig config, HostFacts host) {
        for (String key : UNSUPPORTED) {
            if (config.value(key).map(String::trim).filter(v -> !v.isEmpty()).isPresent()) {
                throw new UnsupportedFeatureException("Config key \"" + key + "\" is not supported by this runtime");
            }
        }
        List<CgroupBackend> serving = serving(host);
        for (CgroupSetting s : CgroupSetting.fromConfig(config)) {
            String c = s.controller();
            if (s.version() == 2 && c.equals("devices")) {
                // no controller: a device program attached to the payload in the cgroup2 hierarchy
                if (host.cgroups().stream().noneMatch(h -> h.version() == 2)) {
                    throw new UnsupportedFeatureException("Config key \"" + s.sourceKey() + "\" needs a cgroup2 "
                            + "device program, but no cgroup2 hierarchy is mounted (cgroup layout "
                            + host.cgroupLayout() + ")");
                }
                if (serving.stream().noneMatch(b -> b.capabilities().contains(CgroupCapability.DEVICES))) {
                    throw new UnsupportedFeatureException("Config key \"" + s.sourceKey() + "\" needs a cgroup2 "
                            + "device program, and no installed cgroup backend loads one");
                }
                continue;
            }
            if (s.version() == 2 && c.equals("cgroup")) {
                continue;
            }
            Optional<CgroupHierarchy> home = host.cgroups().stream()
                    .filter(h -> h.version() == s.version() && h.controllers().contains(c)).findFirst();
            if (home.isEmpty()) {
                throw new UnsupportedFeatureException("Config key \"" + s.sourceKey() + "\" needs "
                        + (s.version() == 1 ? "cgroup v1" : "cgroup2") + " controller \"" + c + "\", but " + where(c,
                                host));
            }
            if (serving.stream().noneMatch(b -> b.controllers().contains(c))) {
                throw new UnsupportedFeatureException("Config key \"" + s.sourceKey() + "\" needs controller \"" + c
                        + "\" (" + home.get().mountPoint() + "), and no installed cgroup backend serves it");
            }
        }
    }

    private static String where(String controller, HostFacts host) {
        List<CgroupHierarchy> homes = host.cgroups().stream().filter(h -> h.controllers().contains(controller))
                .toList();
        if (homes.isEmpty()) {
            return "this host has no \"" + controller + "\" controller (cgroup layout " + host.cgroupLayout() + ")";
        }
        return "on this host \"" + controller + "\" is " + homes.stream().map(h -> h.version() == 1
                ? "a cgroup v1 controller mounted at " + h.mountPoint()
                : "in the cgroup2 hierarchy at " + h.mountPoint()).collect(Collectors.joining(" and "))
                + " (cgroup layout " + host.cgroupLayout() + ")";
    }

    /** Where the container's cgroups go, from the system and container configuration. */
    CgroupRequest request(String name, ContainerConfig config) {
        Optional<String> dir = nonEmpty(config, "lxc.cgroup.dir");
        Optional<String> containerDir = nonEmpty(config, "lxc.cgroup.dir.container")
                .or(() -> dir.map(d -> d + "/lxc.payload." + name));
        Optional<String> monitorDir = nonEmpty(config, "lxc.cgroup.dir.monitor")
                .or(() -> dir.map(d -> d + "/lxc.monitor." + name));
        boolean relative = nonEmpty(config, "lxc.cgroup.relative").map(v -> v.equals("1")).orElse(false);
        Set<String> use = Arrays.stream(system.cgroupUse().split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        return new CgroupRequest(name, system.cgroupPattern(), containerDir, monitorDir, relative, use);
    }

    private static Optional<String> nonEmpty(ContainerConfig config, String key) {
        return config.value(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /**
     * Makes the container's cgroups in every serving backend and applies the configured settings, before init
     * exists. A failure removes what was made.
     */
    public Made create(String name, ContainerConfig config, HostFacts host) {
        CgroupRequest first = request(name, config);
        boolean explicit = nonEmpty(config, "lxc.cgroup.dir.container").isPresent();
        for (int attempt = 0;; attempt++) {
            CgroupRequest request = attempt == 0 ? first
                    : new CgroupRequest(name, first.pattern(), Optional.of(first.payloadPath() + "-" + attempt),
                            Optional.of(first.monitorPath() + "-" + attempt), first.relative(), first.controllers());
            try {
                return create(name, config, host, request);
            } catch (ContainerBusyException e) {
                // another container of that name (another lxcpath) holds it: LXC moves on to "<path>-1", "-2", ...
                if (explicit || attempt >= MAX_SUFFIX) {
                    throw e;
                }
                LOG.info("{}: cgroup \"{}\" is in use, trying \"{}-{}\"", name, request.payloadPath(),
                        first.payloadPath(), attempt + 1);
            }
        }
    }

    /** Highest suffix tried when the container's cgroup name is taken by a running container of another lxcpath. */
    static final int MAX_SUFFIX = 100;

    private Made create(String name, ContainerConfig config, HostFacts host, CgroupRequest request) {
        List<CgroupSetting> settings = CgroupSetting.fromConfig(config);
        List<CgroupRecord> made = new ArrayList<>();
        Optional<java.nio.file.Path> cloneInto = Optional.empty();
        List<java.nio.file.Path> procs = new ArrayList<>();
        try {
            for (CgroupBackend b : serving(host)) {
                // the monitor's cgroups follow with its move, off the start's path (placeMonitorLater)
                CgroupHandle h = b.createPayload(request);
                made.add(new CgroupRecord(b.type(), h));
                b.apply(h, settings);
                CgroupPlacement p = b.placement(h);
                if (cloneInto.isEmpty()) {
                    cloneInto = p.cloneInto();
                } else if (p.cloneInto().isPresent()) {
                    procs.add(p.cloneInto().get().resolve("cgroup.procs"));
                }
                procs.addAll(p.procsFiles());
                LOG.debug("{}: cgroups made by \"{}\": {}", name, b.type(), h.payloadDirectories());
            }
        } catch (RuntimeException e) {
            remove(made, false);
            throw e;
        }
        List<CgroupRecord> records = List.copyOf(made);
        // the monitor's cgroups are not made yet: a removal before its move leaves them alone (awaitPlacement)
        if (!records.isEmpty()) {
            placing.put(CgroupRecord.encode(records), new Placement(name, records));
        }
        return new Made(records, new CgroupPlacement(cloneInto, procs));
    }

    /**
     * Creates the container's monitor cgroups and moves its monitor into them on a thread of its own,
     * {@value #MONITOR_MOVE_DELAY_MS} ms later, off the start's path: a move by pid takes the kernel's global
     * {@code cgroup_threadgroup_rwsem}, whose first writer after a quiet period waits a whole RCU grace period (5-20 ms
     * here), and the monitor's mkdirs (one per v1 hierarchy, about 0.4 ms on a hybrid host) are needed by nothing
     * before. A monitor gone by then is not moved. The removal of these cgroups ({@link #release}, {@link #remove})
     * drops a move not started yet and waits for one under way, so it never races a monitor on its way in. A failure
     * is logged, as by {@link #placeMonitor}.
     */
    public void placeMonitorLater(String name, List<CgroupRecord> records, int monitorPid) {
        if (records.isEmpty()) {
            return;
        }
        Placement p = placing.computeIfAbsent(CgroupRecord.encode(records), k -> new Placement(name, records));
        p.monitorPid = monitorPid;
        try {
            movers.schedule(p::run, MONITOR_MOVE_DELAY_MS, TimeUnit.MILLISECONDS);
        } catch (RuntimeException | OutOfMemoryError e) {
            p.run();
        }
    }

    /**
     * Before the removal of {@code records}' cgroups: a monitor move still pending is dropped (it would make the
     * monitor cgroups again), one under way is waited for, so a removal never races a monitor on its way in.
     *
     * @return whether the monitor cgroups may be this container's: false when this runtime never made them (its move
     *         was dropped, or found the monitor gone), so that the removal leaves alone a cgroup of that name another
     *         container (another lxcpath's, or LXC's) made since; true when they were made, or this runtime did not
     *         start the container (another runtime's start made them)
     */
    private boolean awaitPlacement(List<CgroupRecord> records) {
        String key = CgroupRecord.encode(records);
        Placement p = placing.get(key);
        if (p == null) {
            return true;
        }
        try {
            if (p.drop()) {
                return false;                             // not started: it never will
            }
            p.done.get(PLACEMENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return p.made;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: its monitor's cgroup move did not end within {}: removing its cgroups anyway", records.get(0)
                    .handle().containerName(), PLACEMENT_WAIT);
        } finally {
            placing.remove(key, p);
        }
        return true;
    }

    /**
     * Carries out every monitor move not run yet and waits for those under way, for a runtime that stops (a
     * one-command run ends right after its start, and its moving thread would end with it).
     */
    public void awaitPlacements() {
        for (Map.Entry<String, Placement> e : placing.entrySet()) {
            e.getValue().run();                           // not run yet: now, on this thread
            try {
                e.getValue().done.get(PLACEMENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | TimeoutException te) {
                LOG.warn("A monitor's cgroup move did not end within {}", PLACEMENT_WAIT);
            }
            // kept: a removal after this still learns whether the monitor cgroups were made
        }
    }


    /** How long a removal waits for a monitor move still under way. */
    static final java.time.Duration PLACEMENT_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * Creates the container's monitor cgroups ({@code lxc.monitor.<name>}) and moves its monitor into them once it
     * exists; init was placed in the payload by the plan. A failure is logged: the container runs either way.
     */
    private void placeMonitor(String name, List<CgroupRecord> records, int monitorPid) {
        for (CgroupRecord r : records) {
            backends.get().stream().filter(b -> b.type().equals(r.type())).findFirst().ifPresent(b -> {
                try {
                    b.createMonitor(r.handle());
                    b.attachMonitor(r.handle(), monitorPid);
                } catch (LxjException e) {
                    LOG.warn("{}: failed to move its monitor {} into {}: {}", name, monitorPid,
                            r.handle().monitorDirectories(), e.getMessage());
                }
            });
        }
    }

    /**
     * Removes the recorded cgroups of a stopped container; a process left behind in one is killed first. Failures
     * are logged: the stop itself has happened.
     */
    public void release(RunState s) {
        List<CgroupRecord> records;
        try {
            records = CgroupRecord.decode(s.cgroups());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: cannot read its recorded cgroups: {}", s.name(), e.getMessage());
            return;
        }
        remove(records, true);
    }

    /** Removes the cgroups of {@code made} as {@link #release(RunState)} does after a stop. */
    public void release(Made made) {
        remove(made.records(), true);
    }

    /** Whether a backend of every type {@code s} recorded cgroups with is installed. */
    public boolean canRelease(RunState s) {
        try {
            List<CgroupBackend> installed = backends.get();
            return CgroupRecord.decode(s.cgroups()).stream()
                    .allMatch(r -> installed.stream().anyMatch(b -> b.type().equals(r.type())));
        } catch (IllegalArgumentException e) {
            return true;   // unreadable records: release() says so and moves on
        }
    }

    /**
     * The resource use recorded cgroups show, each value from the first backend that has it (on a hybrid host
     * v1 has memory and cpuacct); empty when no cgroups were recorded.
     */
    public Optional<ContainerStats> stats(RunState s) {
        List<CgroupRecord> records;
        try {
            records = CgroupRecord.decode(s.cgroups());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (records.isEmpty()) {
            return Optional.empty();
        }
        OptionalLong[] v = {OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()};
        for (CgroupRecord r : records) {
            Optional<CgroupBackend> b = backends.get().stream().filter(x -> x.type().equals(r.type())).findFirst();
            if (b.isEmpty()) {
                continue;
            }
            CgroupStats st = b.get().stats(r.handle());
            OptionalLong[] got = {st.cpuNanos(), st.blkioBytes(), st.memoryBytes(), st.kmemBytes()};
            for (int i = 0; i < v.length; i++) {
                if (v[i].isEmpty()) {
                    v[i] = got[i];
                }
            }
        }
        return Optional.of(new ContainerStats(v[0], v[1], v[2], v[3]));
    }

    /** Removes {@code records} in reverse order of making. */
    void remove(List<CgroupRecord> records, boolean killLeftovers) {
        boolean monitors = records.isEmpty() || awaitPlacement(records);
        for (int i = records.size() - 1; i >= 0; i--) {
            CgroupRecord r = records.get(i);
            CgroupHandle handle = monitors ? r.handle() : new CgroupHandle(r.handle().containerName(),
                    r.handle().payload(), r.handle().monitor(), r.handle().payloadDirectories(), List.of());
            Optional<CgroupBackend> b = backends.get().stream().filter(x -> x.type().equals(r.type())).findFirst();
            if (b.isEmpty()) {
                LOG.warn("{}: no cgroup backend \"{}\" is installed to remove {} and {}", handle.containerName(),
                        r.type(), handle.payloadDirectories(), handle.monitorDirectories());
                continue;
            }
            try {
                if (killLeftovers && !b.get().pids(handle).isEmpty()) {
                    LOG.warn("{}: killing processes left in its cgroups: {}", handle.containerName(),
                            b.get().pids(handle));
                    b.get().kill(handle, SIGKILL);
                }
                b.get().destroy(handle);
            } catch (LxjException | IllegalArgumentException e) {
                LOG.warn("{}: failed to remove its cgroups: {}", handle.containerName(), e.getMessage());
            }
        }
    }
}
