package org.lxj.core.internal.runtime;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

import org.lxj.api.ConsoleSession;
import org.lxj.api.AttachOptions;
import org.lxj.api.AttachTerminal;
import org.lxj.api.ContainerState;
import org.lxj.api.ContainerStats;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.api.UnshareOptions;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.layout.LxcLayout;
import org.lxj.core.internal.lifecycle.EventSink;
import org.lxj.core.internal.plan.LaunchRequest;
import org.lxj.core.internal.plan.LsmContributor;
import org.lxj.core.internal.run.CgroupControl;
import org.lxj.core.internal.run.CgroupSetup;
import org.lxj.core.internal.net.NetworkSetup;
import org.lxj.core.internal.run.CommandRunner;
import org.lxj.core.internal.run.ContainerLocks;
import org.lxj.core.internal.run.ContainerStarter;
import org.lxj.core.internal.run.ContainerStopper;
import org.lxj.core.internal.run.HostProcesses;
import org.lxj.core.internal.run.MonitorLink;
import org.lxj.core.internal.run.RunLayout;
import org.lxj.core.internal.run.RunLeftovers;
import org.lxj.core.internal.run.RunRegistry;
import org.lxj.core.internal.run.ConsoleAccess;
import org.lxj.core.internal.run.RunState;
import org.lxj.core.internal.run.StateWaiter;
import org.lxj.core.internal.run.Unsharer;
import org.lxj.launcher.LaunchStdio;
import org.lxj.launcher.Launcher;
import org.lxj.linux.Syscalls;
import org.lxj.spi.launch.LaunchContributor;

import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.config.ConfigUpdate;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigUpdater;
import org.lxj.api.config.SystemConfig;
import org.lxj.api.event.ContainerListener;
import org.lxj.api.event.Subscription;
import org.lxj.core.internal.event.EventJournal;
import org.lxj.core.internal.event.JournalFollower;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.config.SystemConfigLoader;
import org.lxj.core.internal.lifecycle.Backends;
import org.lxj.core.internal.lifecycle.Lifecycle;
import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.api.ContainerNetwork;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.api.CopyRequest;
import org.lxj.api.SnapshotInfo;
import org.lxj.spi.template.Template;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ContainerRuntime} service. Storage backends, templates, container listeners and the host facts are
 * dynamic: they may come and go while the runtime runs, and every verb reads the current set.
 */
@Component(immediate = true, service = ContainerRuntime.class, configurationPid = RuntimeComponent.PID)
@Designate(ocd = RuntimeComponent.Config.class)
public final class RuntimeComponent implements ContainerRuntime, Backends {

    public static final String PID = "org.lxj.core.runtime";

    /** The framework property naming {@code conf/lxj.conf} when the configuration gives no path. */
    public static final String CONF_PROPERTY = "lxj.conf";

    private static final Logger LOG = LoggerFactory.getLogger(RuntimeComponent.class);
    private static final int MNT_DETACH = 2;

    @ObjectClassDefinition(name = "LXJ runtime", description = "The container runtime of the core bundle")
    public @interface Config {
        @AttributeDefinition(name = "System configuration", description = "Path of lxj.conf (LXC's "
                + "lxc.system.conf); empty: the framework property lxj.conf, else the built-in defaults")
        String conf() default "";

        @AttributeDefinition(name = "Run directory", description = "Where running containers keep their state, "
                + "monitor sockets and exit records; empty: /run/lxj")
        String runRoot() default "";
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, StorageBackend>> storageBackends = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, Template>> templateServices = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, SnapshotProvider>> snapshotServices = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ContainerListener> listeners = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HostFacts hostFacts;

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<LaunchContributor> contributors = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, LsmBackend>> lsmBackends = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Launcher launcher;

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<CgroupBackend> cgroupBackends = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<NetworkBackend> networkBackends = new ArrayList<>();

    private final EventDispatcher events;
    private final RunLayout runLayout;
    private final StateWaiter waiter;
    private final Lifecycle lifecycle;
    private final RunRegistry runs;
    private final ContainerStarter starter;
    private final ContainerStopper stopper;
    private final CommandRunner commands;
    private final Unsharer unsharer;
    private final CgroupSetup cgroups;
    private final NetworkSetup network;
    private final CgroupControl control;

    @Activate
    public RuntimeComponent(Config config, BundleContext context, @Reference(name = "syscalls") Syscalls sys) {
        this(systemConfig(config.conf(), context.getProperty(CONF_PROPERTY)), sys,
                new RunLayout(config.runRoot().isBlank() ? RunLayout.DEFAULT_ROOT : Path.of(config.runRoot().trim())));
        if (Boolean.parseBoolean(context.getProperty(DAEMON_PROPERTY))) {
            rehearseStarts();
        }
    }

    /** Set on the runtime that runs as the daemon (the distribution's launcher sets it). */
    static final String DAEMON_PROPERTY = "lxj.daemon";

    /** What the run registry keeps of a container goes with its DESTROYED event. */
    private void forgetDestroyed(ContainerEvent event) {
        RunRegistry registry = runs;
        if (event.kind() == ContainerEvent.Kind.DESTROYED && registry != null) {
            registry.forget(event.lxcpath(), event.name());
        }
    }
    static final int REHEARSAL_ROUNDS = 300;

    /**
     * In a daemon only: plans {@value #REHEARSAL_ROUNDS} starts of no container in the background, a second after
     * activation (once the contributors are bound), so that the first real starts run compiled code, and has the
     * launcher install its binary and spawn a spare (the first start after a daemon's start took 160 ms without).
     */
    private void rehearseStarts() {
        Thread t = new Thread(() -> {
            java.util.concurrent.locks.LockSupport.parkNanos(java.util.concurrent.TimeUnit.SECONDS.toNanos(1));
            Launcher l = launcher;
            if (l != null) {
                l.warmUp();
            }
            long t0 = System.nanoTime();
            int done = starter.rehearse(REHEARSAL_ROUNDS);
            LOG.debug("Start path rehearsed {} time(s) in {} ms", done, (System.nanoTime() - t0) / 1_000_000);
        }, "lxj-rehearsal");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * For tests and embedders without a framework: backends, templates, listeners, contributors, the launcher and
     * host facts are set through the {@code add…}/{@code set…} methods. Reconciles {@code run} at once.
     */
    public RuntimeComponent(SystemConfig system, Syscalls sys, RunLayout run) {
        ConfigParser parser = new ConfigParser();
        this.events = new EventDispatcher(() -> List.copyOf(listeners));
        this.runLayout = run;
        ContainerLocks locks = new ContainerLocks(run);
        RunLeftovers leftovers = new RunLeftovers(run, locks);
        EventSink afterDestroy = leftovers.afterDestroy(events);
        this.waiter = new StateWaiter(new EventJournal(run, event -> {
            afterDestroy.emit(event);
            forgetDestroyed(event);
        }));
        HostProcesses procs = new HostProcesses();
        CgroupSetup cgroups = new CgroupSetup(() -> List.copyOf(cgroupBackends), system);
        this.cgroups = cgroups;
        this.network = new NetworkSetup(() -> List.copyOf(networkBackends), sys);
        this.runs = new RunRegistry(run, locks, MonitorLink.Factory.launcher(), procs,
                s -> release(s, sys, cgroups), waiter,
                (lxcpath, name) -> lifecycle().destroy(lxcpath, name, new DestroyOptions(true, true)));
        this.control = new CgroupControl(() -> List.copyOf(cgroupBackends), runs);
        this.lifecycle = new Lifecycle(system, this, parser::parse, control, waiter,
                new org.lxj.core.internal.lifecycle.ProcMounts(sys));
        Supplier<Optional<Launcher>> launcherNow = () -> Optional.ofNullable(launcher);
        this.starter = new ContainerStarter(runs, this, launcherNow,
                () -> LsmContributor.with(List.copyOf(contributors), lsmBackends()), parser::parse, cgroups, network);
        this.stopper = new ContainerStopper(runs, procs, Optional.of(control));
        this.commands = new CommandRunner(runs, starter, launcherNow, sys, parser::parse, System.getenv());
        this.unsharer = new Unsharer(run, launcherNow, sys, System.getenv());
        LOG.info("runtime ready: lxcpath \"{}\"{}, run directory \"{}\"", system.lxcpath(),
                system.source().map(s -> ", system configuration \"" + s + "\"").orElse(""), run.root());
        List<RunState> running = runs.reconcile(sys::kill, this::canRelease);
        leftovers.sweep();   // lock files and journals of containers whose lxcpath vanished
        if (!running.isEmpty()) {
            LOG.info("{} container(s) found running", running.size());
        }
    }

    private Lifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * Whether the backends that undo {@code s} are here: the storage backend of a mounted rootfs and every cgroup
     * backend it recorded. A runtime that reconciles before its backends are bound leaves such a container to
     * the next query of it.
     */
    private boolean canRelease(RunState s) {
        boolean storageHere = !s.needsUnmount()
                || storage().stream().map(Ranked::backend).anyMatch(b -> b.owns(s.rootfsPath()));
        return storageHere && cgroups.canRelease(s)
                && network.canRelease(runLayout.dir(s.lxcpath(), s.name()))
                && LsmContributor.canRelease(runLayout.dir(s.lxcpath(), s.name()), lsmBackends());
    }

    /** After the stop: the rootfs, then the cgroups, which are removed even when the unmount failed. */
    private void release(RunState s, Syscalls sys, CgroupSetup cgroups) {
        // interfaces first (a phys device goes back to the host); failures are logged, never thrown
        network.release(s.name(), runLayout.dir(s.lxcpath(), s.name()));
        // a generated AppArmor profile is unloaded (LsmBackend.release)
        LsmContributor.release(s.name(), runLayout.dir(s.lxcpath(), s.name()), lsmBackends());
        try {
            releaseRootfs(s, sys);
        } finally {
            cgroups.release(s);
        }
    }

    private void releaseRootfs(RunState s, Syscalls sys) {
        if (!s.needsUnmount()) {
            return;
        }
        Optional<StorageBackend> owner = storage().stream().map(Ranked::backend).filter(b -> b.owns(s.rootfsPath()))
                .findFirst();
        if (owner.isPresent()) {
            owner.get().unmount(s.rootfsPath(), s.rootfsTarget());
            return;
        }
        LOG.warn("{}: no storage backend for \"{}\" is installed; detaching its mount \"{}\"", s.name(),
                s.rootfsPath(), s.rootfsMounted());
        sys.umount2(s.rootfsMounted().toString(), MNT_DETACH);
    }

    static SystemConfig systemConfig(String configured, String frameworkProperty) {
        String path = !configured.isBlank() ? configured : frameworkProperty;
        if (path == null || path.isBlank()) {
            return SystemConfig.defaults();
        }
        return new SystemConfigLoader().load(Path.of(path.trim()));
    }

    @Deactivate
    void deactivate() {
        cgroups.awaitPlacements();   // a monitor's move into lxc.monitor.<name> still under way ends first
        runs.close();
        events.close();
    }

    /** Adds a storage backend as if registered with {@code service.ranking} {@code ranking}. */
    public void addStorageBackend(StorageBackend backend, int ranking) {
        List<Map.Entry<Map<String, Object>, StorageBackend>> copy = new ArrayList<>(storageBackends);
        copy.add(Map.entry(Map.of("service.ranking", ranking, "service.id", (long) copy.size()), backend));
        storageBackends = copy;
    }

    /** Adds a snapshot provider as if registered with {@code service.ranking} {@code ranking}. */
    public void addSnapshotProvider(SnapshotProvider provider, int ranking) {
        List<Map.Entry<Map<String, Object>, SnapshotProvider>> copy = new ArrayList<>(snapshotServices);
        copy.add(Map.entry(Map.of("service.ranking", ranking, "service.id", (long) copy.size()), provider));
        snapshotServices = copy;
    }

    @Override
    public List<Ranked<SnapshotProvider>> snapshotProviders() {
        return Ranked.of(List.copyOf(snapshotServices));
    }

    @Override
    public Container copy(CopyRequest request) {
        return lifecycle.copy(request);
    }

    @Override
    public Container rename(Path lxcpath, String name, String newName) {
        return lifecycle.rename(lxcpath, name, newName);
    }

    @Override
    public String snapshot(Path lxcpath, String name, Optional<Path> commentFile) {
        return lifecycle.snapshot(lxcpath, name, commentFile);
    }

    @Override
    public List<SnapshotInfo> snapshots(Path lxcpath, String name) {
        return lifecycle.snapshots(lxcpath, name);
    }

    @Override
    public Container restoreSnapshot(Path lxcpath, String name, String snapshot, Optional<String> newName) {
        return lifecycle.restoreSnapshot(lxcpath, name, snapshot, newName);
    }

    @Override
    public void destroySnapshot(Path lxcpath, String name, String snapshot) {
        lifecycle.destroySnapshot(lxcpath, name, snapshot);
    }

    /** Adds a template as if registered as a service. */
    public void addTemplate(Template template) {
        List<Map.Entry<Map<String, Object>, Template>> copy = new ArrayList<>(templateServices);
        copy.add(Map.entry(Map.of("service.id", (long) copy.size()), template));
        templateServices = copy;
    }

    /** Adds a listener as if registered on the whiteboard. */
    public void addListener(ContainerListener listener) {
        List<ContainerListener> copy = new ArrayList<>(listeners);
        copy.add(listener);
        listeners = copy;
    }

    /** Sets (or, with null, removes) the host facts. */
    public void setHostFacts(HostFacts facts) {
        hostFacts = facts;
    }

    /** Adds an LSM backend as if registered with {@code service.ranking} {@code ranking}. */
    public void addLsmBackend(LsmBackend backend, int ranking) {
        List<Map.Entry<Map<String, Object>, LsmBackend>> copy = new ArrayList<>(lsmBackends);
        copy.add(Map.entry(Map.of("service.ranking", ranking, "service.id", (long) copy.size()), backend));
        lsmBackends = copy;
    }

    /** The installed LSM backends, highest {@code service.ranking} first. */
    private List<LsmBackend> lsmBackends() {
        return new ArrayList<>(lsmBackends).stream()
                .sorted(Comparator.comparingInt((Map.Entry<Map<String, Object>, LsmBackend> e) ->
                        e.getKey().get("service.ranking") instanceof Integer r ? r : 0).reversed())
                .map(Map.Entry::getValue).toList();
    }

    /** Adds a launch contributor as if registered as a service. */
    public void addContributor(LaunchContributor contributor) {
        List<LaunchContributor> copy = new ArrayList<>(contributors);
        copy.add(contributor);
        contributors = copy;
    }

    @Override
    public Optional<ContainerStats> stats(Path lxcpath, String name) {
        return runs.live(lxcpath, name).flatMap(cgroups::stats);
    }

    @Override
    public void freeze(Path lxcpath, String name) {
        control.freeze(abs(lxcpath), name);
    }

    @Override
    public void unfreeze(Path lxcpath, String name) {
        control.unfreeze(abs(lxcpath), name);
    }

    @Override
    public String cgroupGet(Path lxcpath, String name, String file) {
        return control.get(abs(lxcpath), name, file);
    }

    @Override
    public void cgroupSet(Path lxcpath, String name, String file, String value) {
        control.set(abs(lxcpath), name, file, value);
    }

    /** Adds a cgroup backend as if registered as a service. */
    public void addCgroupBackend(CgroupBackend backend) {
        List<CgroupBackend> copy = new ArrayList<>(cgroupBackends);
        copy.add(backend);
        cgroupBackends = copy;
    }

    /** Adds a network backend as if registered as a service. */
    public void addNetworkBackend(NetworkBackend backend) {
        List<NetworkBackend> copy = new ArrayList<>(networkBackends);
        copy.add(backend);
        networkBackends = copy;
    }

    @Override
    public Optional<ContainerNetwork> network(Path lxcpath, String name) {
        return runs.live(lxcpath, name).map(s -> network.network(s.initPid(), runLayout.dir(lxcpath, name)));
    }

    /** Sets (or, with null, removes) the launcher. */
    public void setLauncher(Launcher value) {
        launcher = value;
    }

    /** Stops the watchers and event delivery; for users of the plain constructor. Containers keep running. */
    public void close() {
        runs.close();
        events.close();
    }

    @Override
    public List<Ranked<StorageBackend>> storage() {
        return Ranked.of(List.copyOf(storageBackends));
    }

    @Override
    public List<Ranked<Template>> templates() {
        return Ranked.of(List.copyOf(templateServices));
    }

    @Override
    public Optional<HostFacts> host() {
        return Optional.ofNullable(hostFacts);
    }

    @Override
    public SystemConfig systemConfig() {
        return lifecycle.systemConfig();
    }

    @Override
    public List<Container> list(Path lxcpath) {
        return lifecycle.list(lxcpath);
    }

    @Override
    public Optional<Container> find(Path lxcpath, String name) {
        return lifecycle.find(lxcpath, name);
    }

    @Override
    public Container create(CreateRequest request) {
        return lifecycle.create(request);
    }

    @Override
    public void destroy(Path lxcpath, String name, DestroyOptions options) {
        if (options.force() && runs.state(lxcpath.toAbsolutePath().normalize(), name).isActive()) {
            stopper.stop(lxcpath.toAbsolutePath().normalize(), name,
                    new StopOptions(false, true, false, false, StopOptions.DEFAULT_TIMEOUT));
        }
        lifecycle.destroy(lxcpath, name, options);
    }

    @Override
    public ContainerConfig parseConfig(Path file) {
        return lifecycle.parseConfig(file);
    }

    @Override
    public ConfigUpdate updateConfig(Path file) {
        return new ConfigUpdater().update(file);
    }

    @Override
    public void start(Path lxcpath, String name, StartOptions options) {
        Map<String, String> overrides = new LinkedHashMap<>(options.overrides());
        options.share().forEach((ns, target) -> overrides.put("lxc.namespace.share." + ns, target));
        LaunchRequest request = new LaunchRequest(LaunchRequest.Mode.START, options.command(), OptionalLong.empty(),
                OptionalLong.empty(), System.getenv());
        // never half started by an interrupt (a daemon client that hung up): the interrupt waits for the start
        Uninterruptibly.run("lxj-start-" + name, () -> starter.launch(abs(lxcpath), name, options.configFile(),
                overrides, request, LaunchStdio.NULL, options.pidFile()));
    }

    @Override
    public void stop(Path lxcpath, String name, StopOptions options) {
        stopper.stop(abs(lxcpath), name, options);
    }

    @Override
    public int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio) {
        return commands.execute(abs(lxcpath), name, options, stdio);
    }

    @Override
    public int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio,
            java.util.function.IntConsumer exited) {
        return commands.execute(abs(lxcpath), name, options, stdio, exited);
    }

    @Override
    public ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns) {
        return console(lxcpath, name, tty, rows, columns, false);
    }

    @Override
    public ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns, boolean replay) {
        LxcLayout.validateName(name);
        return new ConsoleAccess(runs).open(abs(lxcpath), name, tty, rows, columns, replay);
    }

    @Override
    public int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio) {
        return commands.attach(abs(lxcpath), name, options, stdio);
    }

    @Override
    public int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio, AttachTerminal terminal) {
        return commands.attach(abs(lxcpath), name, options, stdio, Optional.of(terminal));
    }

    @Override
    public boolean waitFor(Path lxcpath, String name, Set<ContainerState> states, Duration timeout) {
        Path p = abs(lxcpath);
        LxcLayout.validateName(name);
        return waiter.await(p, name, states, timeout, control::state);
    }

    @Override
    public int unshare(UnshareOptions options, Stdio stdio) {
        return unsharer.run(options, stdio);
    }

    @Override
    public Subscription followJournal(Path lxcpath, ContainerListener listener) {
        Path p = abs(lxcpath);
        return JournalFollower.start(p, EventJournal.file(runLayout, p), ProcessHandle.current().pid(), listener);
    }

    private static Path abs(Path lxcpath) {
        return lxcpath.toAbsolutePath().normalize();
    }
}
