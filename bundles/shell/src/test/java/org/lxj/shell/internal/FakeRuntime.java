package org.lxj.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.lxj.api.BackendNotFoundException;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.config.ConfigUpdate;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;

/**
 * An in-memory runtime: containers by lxcpath and name, the requests it was given, and the failures a real
 * runtime reports (existing or missing container, busy container, missing storage backend, unknown template).
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
    public void start(Path lxcpath, String name, org.lxj.api.StartOptions options) {
        throw new org.lxj.api.UnsupportedFeatureException("Starting containers is not built yet");
    }

    @Override
    public void stop(Path lxcpath, String name, org.lxj.api.StopOptions options) {
        throw new org.lxj.api.UnsupportedFeatureException("Stopping containers is not built yet");
    }

    @Override
    public int execute(Path lxcpath, String name, org.lxj.api.ExecuteOptions options, org.lxj.api.Stdio stdio) {
        throw new org.lxj.api.UnsupportedFeatureException("Executing containers is not built yet");
    }

    @Override
    public int attach(Path lxcpath, String name, org.lxj.api.AttachOptions options, org.lxj.api.Stdio stdio) {
        throw new org.lxj.api.UnsupportedFeatureException("Attaching to containers is not built yet");
    }

    @Override
    public boolean waitFor(Path lxcpath, String name, java.util.Set<org.lxj.api.ContainerState> states,
            java.time.Duration timeout) {
        throw new org.lxj.api.UnsupportedFeatureException("Waiting for containers is not built yet");
    }
}
