package org.lxj.core.internal.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.Container;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.config.ConfigUpdate;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigUpdater;
import org.lxj.api.config.SystemConfig;
import org.lxj.api.event.ContainerListener;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.core.internal.config.SystemConfigLoader;
import org.lxj.core.internal.lifecycle.Backends;
import org.lxj.core.internal.lifecycle.Lifecycle;
import org.lxj.core.internal.lifecycle.NothingRunsStateStore;
import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.StorageBackend;
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

    @ObjectClassDefinition(name = "LXJ runtime", description = "The container runtime of the core bundle")
    public @interface Config {
        @AttributeDefinition(name = "System configuration", description = "Path of lxj.conf (LXC's "
                + "lxc.system.conf); empty: the framework property lxj.conf, else the built-in defaults")
        String conf() default "";
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, StorageBackend>> storageBackends = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<Map.Entry<Map<String, Object>, Template>> templateServices = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<ContainerListener> listeners = new ArrayList<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.OPTIONAL,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile HostFacts hostFacts;

    private final EventDispatcher events;
    private final Lifecycle lifecycle;

    @Activate
    public RuntimeComponent(Config config, BundleContext context) {
        this(systemConfig(config.conf(), context.getProperty(CONF_PROPERTY)));
    }

    /**
     * For tests and embedders without a framework: backends, templates, listeners and host facts are set through
     * the {@code add…}/{@code setHostFacts} methods.
     */
    public RuntimeComponent(SystemConfig system) {
        ConfigParser parser = new ConfigParser();
        this.events = new EventDispatcher(() -> List.copyOf(listeners));
        this.lifecycle = new Lifecycle(system, this, parser::parse, new NothingRunsStateStore(), events);
        LOG.info("runtime ready: lxcpath \"{}\"{}", system.lxcpath(),
                system.source().map(s -> ", system configuration \"" + s + "\"").orElse(""));
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
        events.close();
    }

    /** Adds a storage backend as if registered with {@code service.ranking} {@code ranking}. */
    public void addStorageBackend(StorageBackend backend, int ranking) {
        List<Map.Entry<Map<String, Object>, StorageBackend>> copy = new ArrayList<>(storageBackends);
        copy.add(Map.entry(Map.of("service.ranking", ranking, "service.id", (long) copy.size()), backend));
        storageBackends = copy;
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

    /** Stops event delivery; for users of the plain constructor. */
    public void close() {
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
