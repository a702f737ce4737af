package org.lxj.shell.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.lxj.api.AttachOptions;
import org.lxj.api.BackendNotFoundException;
import org.lxj.api.ConfigException;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.api.config.ConfigUpdate;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;

/**
 * An in-memory runtime: containers by lxcpath and name, the requests it was given, and the failures a real
 * runtime reports (existing or missing container, busy container, missing storage backend, unknown template,
 * unknown {@code -s} key, a container that is or is not running). Started containers get PIDs from 99999 on;
 * executed and attached commands run in {@link FakeProgram}.
 */
class FakeRuntime implements ContainerRuntime {

    /** Storage backends this fake has "installed". */
    static final Set<String> INSTALLED_STORAGE = Set.of("dir", "best", "overlay", "btrfs");
    /** Templates this fake knows besides none. */
    static final Set<String> TEMPLATES = Set.of("busybox");

    private final SystemConfig systemConfig;
    private final Map<Path, Map<String, Container>> containers = new TreeMap<>();
    final List<CreateRequest> created = new ArrayList<>();
    final List<String> destroyed = new ArrayList<>();
    final List<DestroyOptions> destroyOptions = new ArrayList<>();
    final List<Path> updated = new ArrayList<>();
    final Map<Path, ContainerConfig> configFiles = new TreeMap<>();
    LxjException updateFailure;
    final List<StartOptions> started = new ArrayList<>();
    final List<StopOptions> stopped = new ArrayList<>();
    final List<ExecuteOptions> executed = new ArrayList<>();
    final List<AttachOptions> attached = new ArrayList<>();
    final List<Stdio> stdios = new ArrayList<>();
    /** The terminal of each attach that had one (lxc-attach when a caller fd is a terminal). */
    final List<org.lxj.api.AttachTerminal> terminals = new ArrayList<>();
    final List<Wait> waited = new ArrayList<>();
    LxjException startFailure;
    LxjException stopFailure;
    long nextPid = 99999;

    FakeRuntime(SystemConfig systemConfig) {
        this.systemConfig = systemConfig;
    }

    /** The system configuration Debian's LXC reports by default ({@code lxc-config}). */
    static SystemConfig debianSystemConfig() {
        return new SystemConfig(Path.of("/var/lib/lxc"), Optional.of(Path.of("/etc/lxc/default.conf")), "lxc", "lxc",
                "lxc", "", "", Optional.empty());
    }

    FakeRuntime add(Container c) {
        containers.computeIfAbsent(c.lxcpath(), p -> new TreeMap<>()).put(c.name(), c);
        return this;
    }

    @Override
    public SystemConfig systemConfig() {
        return systemConfig;
    }

    @Override
    public List<Container> list(Path lxcpath) {
        return List.copyOf(containers.getOrDefault(lxcpath, Map.of()).values());
    }

    @Override
    public Optional<Container> find(Path lxcpath, String name) {
        return Optional.ofNullable(containers.getOrDefault(lxcpath, Map.of()).get(name));
    }

    @Override
    public Container create(CreateRequest request) {
        if (find(request.lxcpath(), request.name()).isPresent()) {
            throw new ContainerExistsException(request.name(), request.lxcpath());
        }
        for (String type : request.storageTypes()) {
            if (!INSTALLED_STORAGE.contains(type)) {
                throw new BackendNotFoundException("storage", type);
            }
        }
        if (request.template().isPresent() && !TEMPLATES.contains(request.template().get())) {
            throw new LxjException("Template \"" + request.template().get() + "\" not found");
        }
        created.add(request);
        Container c = FakeContainer.stopped(request.lxcpath(), request.name(), FakeConfig.of());
        add(c);
        return c;
    }

    @Override
    public void destroy(Path lxcpath, String name, DestroyOptions options) {
        Container c = get(lxcpath, name);
        if (c.state().isActive() && !options.force()) {
            throw new ContainerBusyException("Container \"" + name + "\" is running");
        }
        containers.get(lxcpath).remove(name);
        destroyed.add(name);
        destroyOptions.add(options);
    }

    @Override
    public ContainerConfig parseConfig(Path file) {
        ContainerConfig config = configFiles.get(file);
        if (config == null) {
            throw new LxjException("Failed to open \"" + file + "\": No such file or directory");
        }
        return config;
    }

    @Override
    public ConfigUpdate updateConfig(Path file) {
        if (updateFailure != null) {
            throw updateFailure;
        }
        updated.add(file);
        return new ConfigUpdate(file, Optional.of(Path.of(file + ".backup")), List.of());
    }

    /** Throws for a missing container, as the interface's default does; here to keep the fake's contract visible. */
    @Override
    public Container get(Path lxcpath, String name) {
        return find(lxcpath, name).orElseThrow(() -> new ContainerNotFoundException(name, lxcpath));
    }

    @Override
    public void start(Path lxcpath, String name, StartOptions options) {
        if (options.configFile().isEmpty()) {
            get(lxcpath, name);
        }
        Optional<Container> c = find(lxcpath, name);
        if (c.isPresent() && c.get().state().isActive()) {
            throw new ContainerBusyException("Container \"" + name + "\" is running");
        }
        checkOverrides(options.overrides());
        for (Map.Entry<String, String> share : options.share().entrySet()) {
            if (!share.getValue().matches("[0-9]+") && find(lxcpath, share.getValue()).isEmpty()) {
                throw new LxjException("Failed to share the " + share.getKey() + " namespace of \""
                        + share.getValue() + "\": it is not running");
            }
        }
        if (startFailure != null) {
            throw startFailure;
        }
        started.add(options);
        ContainerConfig config = c.map(Container::config).orElseGet(FakeConfig::of);
        add(FakeContainer.running(lxcpath, name, config, nextPid++));
    }

    @Override
    public void stop(Path lxcpath, String name, StopOptions options) {
        Optional<Container> c = find(lxcpath, name);
        if (c.isEmpty() || !c.get().state().isActive()) {
            throw new ContainerNotRunningException(name);
        }
        if (stopFailure != null) {
            throw stopFailure;
        }
        stopped.add(options);
        add(FakeContainer.stopped(lxcpath, name, c.get().config()));
    }

    @Override
    public int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio) {
        if (options.configFile().isEmpty()) {
            get(lxcpath, name);
        }
        if (find(lxcpath, name).filter(c -> c.state().isActive()).isPresent()) {
            throw new ContainerBusyException("Container \"" + name + "\" appears to be already running");
        }
        checkOverrides(options.overrides());
        executed.add(options);
        stdios.add(stdio);
        return options.daemonize() ? 0 : FakeProgram.run(options.command(), stdio);
    }

    @Override
    public int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio) {
        if (find(lxcpath, name).filter(c -> c.state().isActive()).isEmpty()) {
            throw new ContainerNotRunningException(name);
        }
        attached.add(options);
        stdios.add(stdio);
        return FakeProgram.run(options.command(), stdio);
    }

    @Override
    public int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio,
            org.lxj.api.AttachTerminal terminal) {
        terminals.add(terminal);
        return attach(lxcpath, name, options, stdio);
    }

    /**
     * Answers at once, as if the wait had run out: whether the container is in one of {@code states} now
     * (a container that is not defined counts as STOPPED, as LXC sees it).
     */
    @Override
    public boolean waitFor(Path lxcpath, String name, Set<ContainerState> states, Duration timeout) {
        waited.add(new Wait(name, Set.copyOf(states), timeout));
        return states.contains(find(lxcpath, name).map(Container::state).orElse(ContainerState.STOPPED));
    }

    /** One {@link #waitFor} call. */
    record Wait(String name, Set<ContainerState> states, Duration timeout) {
    }

    /** The runtime's check of {@code -s KEY=VALUE}: keys it does not know are refused, as LXC refuses them. */
    private static void checkOverrides(Map<String, String> overrides) {
        for (Map.Entry<String, String> e : overrides.entrySet()) {
            if (!FakeConfig.isKnown(e.getKey())) {
                throw new ConfigException(null, 0, e.getKey(), e.getValue(),
                        "Unsupported config key \"" + e.getKey() + "\"");
            }
        }
    }
}
