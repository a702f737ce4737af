package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.BiFunction;
import java.util.function.Supplier;

import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.ContainerState;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.Signals;
import org.lxj.core.internal.hook.ContainerHooks;
import org.lxj.core.internal.hook.HookFile;
import org.lxj.core.internal.hook.HostHooks;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.lifecycle.Backends;
import org.lxj.core.internal.net.NetworkSetup;
import org.lxj.core.internal.plan.CgroupContributor;
import org.lxj.core.internal.plan.KeyGate;
import org.lxj.core.internal.plan.LaunchRequest;
import org.lxj.core.internal.plan.LsmContributor;
import org.lxj.core.internal.plan.PlanAssembler;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.launcher.LaunchStdio;
import org.lxj.launcher.Launcher;
import org.lxj.launcher.PreparedLaunch;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.network.PreparedNic;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a container ({@code lxc-start}, and the launch half of {@code lxc-execute}): lock, refuse a running
 * one, load the config with overrides, refuse keys nothing installed can honour, mount the rootfs, build the
 * plan, launch, record the state, release init, emit STARTING and RUNNING, watch for the exit. Any failure undoes
 * every step already done, in reverse, and surfaces as an {@link LxjException} with the launcher's message
 * ({@code Failed to mount "proc" on "/proc": EPERM}).
 */
public final class ContainerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerStarter.class);
    static final int SIGPWR = 30;
    static final int SIGINT = 2;
    static final int SIGKILL = 9;

    private final RunRegistry registry;
    private final Backends backends;
    private final Supplier<Optional<Launcher>> launcher;
    private final Supplier<List<LaunchContributor>> contributors;
    private final BiFunction<String, Path, ContainerConfig> textParser;
    private final CgroupSetup cgroups;
    private final NetworkSetup network;
    /** Makes a later start's cgroups while its plan is assembled (0.3-1 ms of mkdirs off the start's path). */
    private final ThreadPoolExecutor writers = Workers.idleEnding("lxj-start-writer");
    /**
     * The cgroup placement each container's last start got, by run directory: the next start assembles its plan
     * with it while its cgroups are made, and again only when the placement made differs ({@link Attempt#plan}).
     */
    private final Map<Path, CgroupPlacement> placements = new ConcurrentHashMap<>();
    /** Bounds {@link #placements}: it is cleared when it holds this many containers. */
    static final int PLACEMENTS_KEPT = 4096;

    /**
     * A container whose init was released. A start whose caller waits for the exit itself (no watcher) has asked
     * its monitor for the exit already ({@code exitRequest}, the caller's to close): a short command's exit is then
     * told while the start still records its state.
     */
    public record Launched(RunState state, MonitorLink monitor, Optional<MonitorLink.ExitRequest> exitRequest) {
        /** Without an exit request. */
        public Launched(RunState state, MonitorLink monitor) {
            this(state, monitor, Optional.empty());
        }
    }

    /**
     * @param textParser parses config text as if read from a file (for {@code -s} overrides appended to it)
     */
    public ContainerStarter(RunRegistry registry, Backends backends, Supplier<Optional<Launcher>> launcher,
            Supplier<List<LaunchContributor>> contributors, BiFunction<String, Path, ContainerConfig> textParser) {
        this(registry, backends, launcher, contributors, textParser, CgroupSetup.none());
    }

    /** @param cgroups the container's cgroups through the installed cgroup backends */
    public ContainerStarter(RunRegistry registry, Backends backends, Supplier<Optional<Launcher>> launcher,
            Supplier<List<LaunchContributor>> contributors, BiFunction<String, Path, ContainerConfig> textParser,
            CgroupSetup cgroups) {
        this(registry, backends, launcher, contributors, textParser, cgroups, NetworkSetup.none());
    }

    /** @param network the container's network interfaces through the installed network backends */
    public ContainerStarter(RunRegistry registry, Backends backends, Supplier<Optional<Launcher>> launcher,
            Supplier<List<LaunchContributor>> contributors, BiFunction<String, Path, ContainerConfig> textParser,
            CgroupSetup cgroups, NetworkSetup network) {
        this.network = network;
        this.cgroups = cgroups;
        this.registry = registry;
        this.backends = backends;
        this.launcher = launcher;
        this.contributors = contributors;
        this.textParser = textParser;
    }

    /**
     * Launches {@code name} and releases its init.
     *
     * @param configFile a config file to use instead of the container's ({@code -f})
     * @param overrides  {@code -s KEY=VALUE} entries, applied after the config
     * @param pidFile    where to write init's pid ({@code -p})
     */
    public Launched launch(Path lxcpath, String name, Optional<Path> configFile, Map<String, String> overrides,
            LaunchRequest request, LaunchStdio stdio, Optional<Path> pidFile) {
        return launch(lxcpath, name, configFile, overrides, request, stdio, pidFile, true);
    }

    /**
     * Like {@link #launch(Path, String, Optional, Map, LaunchRequest, LaunchStdio, Optional)}; with {@code watch}
     * false no watcher cleans up after the container: the caller waits for its exit and reaps it itself (a
     * foreground {@code lxc-execute}), and hands it to {@link RunRegistry#watch} on every other way out.
     */
    public Launched launch(Path lxcpath, String name, Optional<Path> configFile, Map<String, String> overrides,
            LaunchRequest request, LaunchStdio stdio, Optional<Path> pidFile, boolean watch) {
        LxcLayout layout = new LxcLayout(lxcpath, name);
        if (configFile.isEmpty() && !layout.isDefined()) {
            throw new ContainerNotFoundException(name, layout.lxcpath());
        }
        Launcher l = launcher.get().orElseThrow(() -> new UnsupportedFeatureException(
                "Failed to start \"" + name + "\": no launcher is installed"));
        try (ContainerLocks.Held held = registry.locks().lock(layout.lxcpath(), name)) {
            if (registry.live(layout.lxcpath(), name).isPresent()) {
                throw new ContainerBusyException("\"" + name + "\" is already running");
            }
            ContainerConfig config = load(configFile.orElse(layout.config()), overrides);
            List<LaunchContributor> installed = contributors.get();
            boolean withCgroups = cgroups.installed();
            KeyGate.check(config, withCgroups ? with(installed, new CgroupContributor(CgroupPlacement.NONE)) : installed,
                    network.types());
            HostFacts host = backends.host().orElseThrow(() -> new LxjException(
                    "Failed to start \"" + name + "\": the host's facts are unknown (is the linux bundle active?)"));
            if (withCgroups) {
                cgroups.check(config, host);
            }
            Path file = configFile.orElse(layout.config());
            return new Attempt(layout, config, file, request, l, installed, host).run(stdio, pidFile, watch);
        }
    }

    /** A config like the busybox template's, for {@link #rehearse}: only keys the core itself plans. */
    static final String REHEARSAL_CONFIG = """
            lxc.rootfs.path = dir:/nonexistent/lxj-rehearsal/rootfs
            lxc.uts.name = lxj-rehearsal
            lxc.signal.halt = SIGUSR1
            lxc.signal.reboot = SIGTERM
            lxc.tty.max = 0
            lxc.pty.max = 1024
            lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed
            lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir,optional 0 0
            lxc.mount.entry = /lib lib none ro,bind,optional 0 0
            lxc.environment = PATH=/bin:/sbin
            lxc.net.0.type = empty
            """;

    /**
     * The planning half of a start, {@code rounds} times, with no container: the config is parsed from
     * {@link #REHEARSAL_CONFIG}, checked against the installed contributors and assembled into a plan, and a state
     * record is encoded and decoded; the LSM contributor, which logs its choice, is left out. Nothing is written,
     * mounted, created or spawned. A daemon runs it once at its start so that the first real starts find this code
     * compiled.
     *
     * @return the rounds done: fewer when a step failed (the host's facts unknown, a contributor refused)
     */
    public int rehearse(int rounds) {
        Path lxcpath = Path.of("/nonexistent/lxj-rehearsal");
        String name = "lxj-rehearsal";
        Path file = lxcpath.resolve(name).resolve("config");
        Path rootfs = lxcpath.resolve(name).resolve("rootfs");
        LaunchRequest request = new LaunchRequest(LaunchRequest.Mode.EXECUTE, List.of("/bin/true"),
                java.util.OptionalLong.empty(), java.util.OptionalLong.empty(), Map.of());
        for (int i = 0; i < rounds; i++) {
            try {
                HostFacts host = backends.host().orElse(null);
                if (host == null) {
                    return i;
                }
                ContainerConfig config = textParser.apply(REHEARSAL_CONFIG, file);
                // an LSM contributor says which driver each start gets: no such line for a rehearsal
                List<LaunchContributor> installed = contributors.get().stream()
                        .filter(c -> !(c instanceof LsmContributor)).toList();
                KeyGate.check(config, installed, network.types());
                ContainerHooks.of(name, config, file, rootfs, Map.of()).of(Hook.Stage.PRE_START);
                ContainerContext ctx = new ContainerContext(name, lxcpath, config, registry.layout().dir(lxcpath, name),
                        rootfs, host);
                PlanAssembler.assemble(ctx, request, installed);
                RunState state = new RunState(name, lxcpath, RunState.STARTING, 1, 1L, 1, "dir:" + rootfs, rootfs,
                        rootfs, false, 0, SIGINT, SIGKILL, false, true, "");
                RunState.fromJson(state.withPhase(RunState.RUNNING).toJson());
            } catch (RuntimeException e) {
                LOG.debug("Start rehearsal stopped after {} round(s): {}", i, e.toString());
                return i;
            }
        }
        return rounds;
    }

    ContainerConfig load(Path file, Map<String, String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + file + "\": " + e.getMessage(), e);
        }
        StringBuilder sb = new StringBuilder(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            sb.append('\n');
        }
        // a key given several times holds its values one per line: each is a config line, as LXC sets each item
        overrides.forEach((k, v) -> {
            for (String one : v.split("\n", -1)) {
                sb.append(k).append(" = ").append(one).append('\n');
            }
        });
        return textParser.apply(sb.toString(), file);
    }

    /** One start, with its undo stack. */
    private final class Attempt {
        private final LxcLayout layout;
        private final ContainerConfig config;
        private final Path configFile;
        private final LaunchRequest request;
        private final Launcher launcher;
        private final List<LaunchContributor> installed;
        private final HostFacts host;
        private final Deque<Runnable> undo = new ArrayDeque<>();
        private final String name;
        private final Path runDir;
        private boolean announced;
        private final ContainerLog log;

        Attempt(LxcLayout layout, ContainerConfig config, Path configFile, LaunchRequest request, Launcher launcher,
                List<LaunchContributor> installed, HostFacts host) {
            this.layout = layout;
            this.config = config;
            this.configFile = configFile;
            this.request = request;
            this.launcher = launcher;
            this.installed = installed;
            this.host = host;
            this.name = layout.name();
            this.runDir = registry.layout().dir(layout.lxcpath(), name);
            this.log = ContainerLog.of(request.mode() == LaunchRequest.Mode.EXECUTE ? "lxc-execute" : "lxc-start", name,
                    config);
        }

        Launched run(LaunchStdio stdio, Optional<Path> pidFile, boolean watch) {
            MigrationWarmer warm = MigrationWarmer.none();
            try {
                makeRunDir();
                log.save(runDir);
                log.info("start", "Container \"" + name + "\" is initialized");
                registry.takeExit(layout.lxcpath(), name);
                String rootfsValue = config.rootfsPath().map(String::trim).orElse("");
                Path target = config.value("lxc.rootfs.mount").map(String::trim).filter(s -> !s.isEmpty())
                        .map(Path::of).orElse(runDir.resolve("rootfs"));
                // LXC runs pre-start in the host's namespaces before any mount of the container is up
                HostHooks.run(name, hooks(rootfsValue.isEmpty() ? Path.of("/") : target).of(Hook.Stage.PRE_START));
                MountedRootfs rootfs = mountRootfs(rootfsValue, target);
                ContainerHooks hooks = hooks(rootfs.path());
                ContainerContext ctx = new ContainerContext(name, layout.lxcpath(), config, runDir, rootfs.path(), host);
                CompletableFuture<CgroupSetup.Made> making = makeCgroups(config, host);
                long n0 = System.nanoTime();
                List<PreparedNic> nics = network.prepare(ctx);
                undo.push(() -> network.teardown(name, nics));
                network.record(ctx, runDir, nics);
                long prepareNanos = System.nanoTime() - n0;
                Planned planned = plan(ctx, making);
                LaunchPlan plan = planned.plan();
                List<CgroupRecord> cgroupsMade = planned.cgroups();
                String cgroupRecord = cgroupsMade.isEmpty() ? "" : CgroupRecord.encode(cgroupsMade);
                List<LaunchContributor> contributing = planned.contributing();
                if (movesInitByPid(plan)) {
                    // the monitor moves init by pid: the kernel's migration barrier opens while the launcher is
                    // spawned, so that move finds it open (MigrationWarmer); started after the mkdirs, because a
                    // mkdir waits for the cgroup mutex that the first move holds for a whole RCU grace period
                    warm = MigrationWarmer.start(name, host.cgroups());
                }
                for (LaunchContributor c : contributing) {
                    if (c instanceof LsmContributor lsm) {
                        lsm.prepare(ctx).ifPresent(undo::push);
                    }
                }
                LOG.debug("{}: plan {}", name, plan);
                log.cloned(plan.cloneNamespaces());
                boolean execute = request.mode() == LaunchRequest.Mode.EXECUTE;
                RunState[] recorded = new RunState[1];
                // nothing to do between READY and START (no interface to move in, no start-host hook): once the
                // container is recorded, init may exec as soon as its steps are done, without a round trip
                boolean startEarly = nics.isEmpty() && hooks.of(Hook.Stage.START_HOST).isEmpty();
                boolean[] startedEarly = new boolean[1];
                // the container is recorded (STARTING) as soon as init exists, while init carries out its steps
                Launcher.Cloned record = (monitorPid, initPid) -> {
                    OptionalLong started = new HostProcesses().startTime(initPid);
                    if (started.isEmpty()) {
                        return false;   // init failed a step already: the launcher's ERROR, which names it, follows
                    }
                    long startTime = started.getAsLong();
                    // the attach policy first: no attach that finds the state can miss it
                    writeAttachPolicy(plan);
                    recorded[0] = new RunState(name, layout.lxcpath(), RunState.STARTING, initPid, startTime,
                            monitorPid, rootfsValue, rootfs.path(), target, rootfs.needsUnmount(),
                            signal("lxc.signal.halt", 0), signal("lxc.signal.reboot", SIGINT),
                            signal("lxc.signal.stop", SIGKILL), ephemeral(), execute, cgroupRecord);
                    registry.write(recorded[0]);
                    writeHooks(hooks.of(Hook.Stage.POST_STOP));
                    announced = true;
                    registry.emit(layout.lxcpath(), name, ContainerState.STARTING);
                    startedEarly[0] = startEarly;
                    return startEarly;
                };
                PreparedLaunch prepared = launcher.prepare(plan, runDir, stdio,
                        new LaunchOptions(name, execute, pdeathSignal()), record);
                undo.push(prepared::abort);
                if (recorded[0] == null) {
                    // a launcher that never said CLONED
                    record.cloned(prepared.monitorPid(), prepared.initPid());
                }
                RunState state = Optional.ofNullable(recorded[0]).orElseThrow(() -> new LxjException(
                        "Failed to start \"" + name + "\": its init " + prepared.initPid() + " vanished"));
                warm.close(); // init is in its cgroups
                if (startedEarly[0]) {
                    prepared.start();       // init runs already: its exec is awaited before anything else may fail
                }
                // the monitor's move by pid would wait for the barrier here: it goes on while init starts
                cgroups.placeMonitorLater(name, cgroupsMade, prepared.monitorPid());
                log.notice("conf", "The container \"" + name + "\" is set up");
                if (!startedEarly[0]) {
                    // init waits for START: its interfaces move in and are configured now, as LXC does before start
                    long c0 = System.nanoTime();
                    network.configure(ctx, nics, prepared.initPid());
                    if (!nics.isEmpty()) {
                        LOG.debug("{}: network set up in {} us", name, (prepareNanos + System.nanoTime() - c0) / 1000);
                    }
                    // the container is set up and init waits: LXC's start-host point; a failure undoes the start
                    HostHooks.run(name, hooks.of(Hook.Stage.START_HOST));
                    prepared.start();
                }
                undo.clear();
                RunState running = state.withPhase(RunState.RUNNING);
                MonitorLink link = registry.monitor(running);
                Launched launched = new Launched(running, link, watch ? Optional.empty() : requestExit(link));
                try {
                    registry.write(running);
                    pidFile.ifPresent(p -> writePid(p, running.initPid()));
                } catch (RuntimeException e) {
                    launched.exitRequest().ifPresent(MonitorLink.ExitRequest::close);
                    killAndReap(launched);
                    throw e;
                }
                try {
                    registry.emit(layout.lxcpath(), name, ContainerState.RUNNING);
                    LOG.info("{}: {} (init {}, monitor {})", name, execute ? "executing" : "started",
                            running.initPid(), running.monitorPid());
                    String argv = String.join(" ", plan.process().argv());
                    log.notice(execute ? "execute" : "start", execute ? "'" + argv + "' started with pid '"
                            + running.initPid() + "'" : "Started \"" + argv + "\" with pid \"" + running.initPid() + "\"");
                    if (watch) {
                        registry.watch(running);
                    }
                } catch (RuntimeException e) {
                    launched.exitRequest().ifPresent(MonitorLink.ExitRequest::close);   // the caller never gets it
                    throw e;
                }
                return launched;
            } catch (LaunchException e) {
                log.error("start", "Failed to start \"" + name + "\": " + message(e));
                warm.close();
                undoAll();
                throw new LxjException(message(e), e);
            } catch (RuntimeException e) {
                log.error("start", "Failed to start \"" + name + "\": " + e.getMessage());
                warm.close();
                undoAll();
                throw e;
            } finally {
                warm.close();
            }
        }

        /**
         * The container's cgroups: made on this thread on its first start; on a later one, made on a writer
         * thread while {@link #plan} assembles the plan with the placement of the last start (their mkdirs and the
         * plan take 0.3-1 ms each). Null when no cgroup backend is installed. The undo removes what was made.
         */
        private CompletableFuture<CgroupSetup.Made> makeCgroups(ContainerConfig config, HostFacts host) {
            if (!cgroups.installed()) {
                return null;
            }
            CompletableFuture<CgroupSetup.Made> making = null;
            if (placements.containsKey(runDir)) {
                try {
                    making = CompletableFuture.supplyAsync(() -> cgroups.create(name, config, host), writers);
                } catch (RejectedExecutionException | OutOfMemoryError e) {
                    LOG.debug("{}: cgroups made on the start's thread: {}", name, e.toString());
                }
            }
            if (making == null) {
                long t0 = System.nanoTime();
                making = CompletableFuture.completedFuture(cgroups.create(name, config, host));
                LOG.debug("{}: cgroups made in {} us", name, (System.nanoTime() - t0) / 1000);
            }
            CompletableFuture<CgroupSetup.Made> made = making;
            undo.push(() -> made(made, true).ifPresent(m -> cgroups.remove(m.records(), true)));
            return made;
        }

        /** A plan with the cgroups it places init in, and the contributors that made it. */
        private record Planned(LaunchPlan plan, List<CgroupRecord> cgroups, List<LaunchContributor> contributing) {
        }

        /**
         * The plan, assembled while {@code making} runs when the last start's placement is known. A failure to
         * make the cgroups wins over a failure of the plan, as when they were made first; a placement other than
         * the guess (a name taken by another lxcpath's container, a backend swapped) assembles the plan again, so
         * the plan always carries the placement made.
         */
        private Planned plan(ContainerContext ctx, CompletableFuture<CgroupSetup.Made> making) {
            if (making == null) {
                return new Planned(PlanAssembler.assemble(ctx, request, installed), List.of(), installed);
            }
            CgroupPlacement guess = making.isDone() ? null : placements.get(runDir);
            LaunchPlan guessed = null;
            RuntimeException failed = null;
            if (guess != null) {
                try {
                    guessed = PlanAssembler.assemble(ctx, request, with(installed, new CgroupContributor(guess)));
                } catch (RuntimeException e) {
                    failed = e;
                }
            }
            CgroupSetup.Made made = made(making, false).orElseThrow();
            if (placements.size() >= PLACEMENTS_KEPT) {
                placements.clear();
            }
            placements.put(runDir, made.placement());
            List<LaunchContributor> contributing = with(installed, new CgroupContributor(made.placement()));
            if (failed != null) {
                throw failed;
            }
            LaunchPlan plan = guessed != null && made.placement().equals(guess) ? guessed
                    : PlanAssembler.assemble(ctx, request, contributing);
            return new Planned(plan, made.records(), contributing);
        }

        /**
         * What {@code making} made, waiting for it; its failure is thrown as it was raised, or, {@code quietly},
         * gives empty (an undo after that failure).
         */
        private Optional<CgroupSetup.Made> made(CompletableFuture<CgroupSetup.Made> making, boolean quietly) {
            try {
                return Optional.of(making.join());
            } catch (CompletionException | CancellationException e) {
                if (quietly) {
                    return Optional.empty();
                }
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                throw new LxjException("Failed to create the cgroups of \"" + name + "\": " + cause, cause);
            }
        }

        private ContainerHooks hooks(Path rootfsMount) {
            return ContainerHooks.of(name, config, configFile, rootfsMount, request.hostEnv());
        }

        /** What init runs under, for lxc-attach: kept before START so an attach never sees a config edited since. */
        private void writeAttachPolicy(LaunchPlan plan) {
            try {
                org.lxj.launcher.AttachPolicy.of(plan).write(runDir);
            } catch (IOException e) {
                throw new LxjException("Failed to write \"" + runDir.resolve(org.lxj.launcher.AttachPolicy.FILE)
                        + "\": " + e.getMessage(), e);
            }
        }

        /** The post-stop hooks run at the cleanup, possibly in another runtime process: kept in the run directory. */
        private void writeHooks(List<Hook> postStop) {
            Path file = runDir.resolve(HookFile.NAME);
            try {
                HookFile.write(file, postStop);
            } catch (IOException e) {
                throw new LxjException("Failed to write \"" + file + "\": " + e.getMessage(), e);
            }
        }

        private void makeRunDir() {
            try {
                Files.createDirectories(runDir.getParent());
                if (Files.exists(runDir)) {
                    // a leftover without state (the state file is removed last): clear it the non-recursive way
                    RunRegistry.removeRunDir(runDir);
                }
                // the monitor's socket is in it: only root may reach it
                try {
                    Files.createDirectory(runDir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.NoSuchFileException e) {
                    // another runtime's RunLeftovers removed the empty lxcpath-id directory in between: once more
                    Files.createDirectories(runDir.getParent());
                    Files.createDirectory(runDir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                }
            } catch (IOException e) {
                throw new LxjException("Failed to create run directory \"" + runDir + "\": " + e.getMessage(), e);
            }
            undo.push(() -> RunRegistry.removeRunDir(runDir));
        }

        private MountedRootfs mountRootfs(String value, Path target) {
            if (value.isEmpty()) {
                return new MountedRootfs(Path.of("/"), false);
            }
            StorageBackend backend = backends.storage().stream().map(r -> r.backend()).filter(b -> b.owns(value))
                    .findFirst().orElseThrow(() -> new UnsupportedFeatureException("Failed to start \"" + name
                            + "\": no installed storage backend handles rootfs \"" + value + "\""));
            try {
                if (backend.mountsAtTarget(value)) {
                    Files.createDirectories(target);
                }
            } catch (IOException e) {
                throw new LxjException("Failed to create rootfs mount point \"" + target + "\": " + e.getMessage(), e);
            }
            MountedRootfs mounted = backend.mount(value, target);
            LOG.debug("{}: rootfs \"{}\" mounted at \"{}\" by \"{}\"", name, value, mounted.path(), backend.type());
            if (mounted.needsUnmount()) {
                undo.push(() -> backend.unmount(value, target));
            }
            return mounted;
        }

        private int signal(String key, int dflt) {
            return config.value(key).map(String::trim).filter(s -> !s.isEmpty()).map(Signals::number).orElse(dflt);
        }

        /** {@code lxc.monitor.signal.pdeath}: the signal init gets when its monitor dies; 0 none; LXC's default SIGKILL. */
        private int pdeathSignal() {
            return config.value("lxc.monitor.signal.pdeath").map(String::trim).filter(s -> !s.isEmpty())
                    .map(v -> v.equals("0") ? 0 : Signals.number(v)).orElse(SIGKILL);
        }

        private boolean ephemeral() {
            return config.value("lxc.ephemeral").map(String::trim).orElse("0").equals("1");
        }

        private void undoAll() {
            while (!undo.isEmpty()) {
                try {
                    undo.pop().run();
                } catch (RuntimeException e) {
                    LOG.warn("{}: undoing a start step failed: {}", name, e.toString());
                }
            }
            if (Files.exists(runDir.resolve(RunLayout.STATE))) {
                RunRegistry.removeRunDir(runDir);
            }
            if (announced) {
                registry.emit(layout.lxcpath(), name, ContainerState.STOPPED);
            }
        }

        /** The exit asked for before the RUNNING bookkeeping; empty when it cannot be (the caller asks later). */
        private Optional<MonitorLink.ExitRequest> requestExit(MonitorLink link) {
            try {
                return Optional.of(link.requestExit());
            } catch (IOException e) {
                LOG.debug("{}: exit not asked for ahead: {}", name, e.getMessage());
                return Optional.empty();
            }
        }

        private void killAndReap(Launched launched) {
            try {
                launched.monitor().kill(SIGKILL, Duration.ofSeconds(10));
                launched.monitor().awaitExit(Duration.ofSeconds(30));
            } catch (IOException e) {
                LOG.warn("{}: failed to kill init after a failed start: {}", name, e.getMessage());
            }
            registry.reap(launched.state(), false);
        }
    }

    /**
     * Whether the monitor moves init into a cgroup by pid (a write to {@code cgroup.procs}, under the kernel's
     * migration barrier), as the launcher does with a user namespace, with namespace joins, and for a cgroup2
     * {@code cgroup.procs} file; otherwise init moves itself into each cgroup v1 by writing {@code 0} to the
     * {@code tasks} file beside it, which skips the barrier (launcher.h, {@code cgroup_self_move}). With a cgroup2
     * cgroup to clone init into, the procs files are v1 ones by {@code CgroupPlacement}'s contract and are not probed
     * (nine {@code access} calls on cgroupfs per start on a hybrid host).
     */
    static boolean movesInitByPid(LaunchPlan plan) {
        List<Path> procs = plan.cgroup().procsFiles();
        if (procs.isEmpty()) {
            return false;
        }
        if (plan.cloneNamespaces().contains(org.lxj.spi.launch.Namespace.USER) || !plan.joins().isEmpty()) {
            return true;
        }
        Optional<Path> cloneInto = plan.cgroup().cloneInto();
        if (cloneInto.isPresent()) {
            // init is born into its cgroup2 cgroup: every procs file is a v1 one (CgroupPlacement), none to probe
            return procs.stream().anyMatch(f -> f.getParent().equals(cloneInto.get()));
        }
        return procs.stream().anyMatch(f -> !Files.isWritable(f.resolveSibling("tasks")));
    }

    private static List<LaunchContributor> with(List<LaunchContributor> installed, LaunchContributor more) {
        List<LaunchContributor> all = new java.util.ArrayList<>(installed);
        all.add(more);
        return all;
    }

    private static void writePid(Path file, int pid) {
        try {
            Files.writeString(file, pid + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new LxjException("Failed to write pid file \"" + file + "\": " + e.getMessage(), e);
        }
    }

    /** The launcher's message, which names the failed step's call and errno, LXC style. */
    static String message(LaunchException e) {
        String m = e.getMessage() == null ? "Launcher step \"" + e.stepName() + "\" failed" : e.getMessage();
        return m;
    }

}
