package org.lxj.shell.internal.backends;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.LxjException;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.cgroup.CgroupBackend;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.namespace.NamespacePolicy;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.seccomp.SeccompCompiler;
import org.lxj.spi.security.SecurityContributor;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.template.Template;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The backend commands of scope {@code lxj}:
 * <ul>
 * <li>{@code lxj:backends}: every backend service of every SPI area, with its bundle, ranking and probe result;</li>
 * <li>{@code lxj:install JAR|URL}: installs and starts a backend bundle; its backends are selectable at once;</li>
 * <li>{@code lxj:stop [-P LXCPATH]... BUNDLE} and {@code lxj:uninstall [-P LXCPATH]... BUNDLE}: stop (and
 * remove) a bundle, refused while an active container uses one of its storage backends.</li>
 * </ul>
 * OSGi gives no way to veto Felix's own {@code felix:stop}: it always stops the bundle; see docs/vendor.md.
 */
@Component(service = BackendsCommand.class, property = { "osgi.command.scope=lxj",
        "osgi.command.function=backends", "osgi.command.function=install", "osgi.command.function=stop",
        "osgi.command.function=uninstall" })
public final class BackendsCommand {

    /** The SPI areas, by the service interface core looks backends up with. */
    static final Map<Class<? extends Backend>, String> AREAS = areas();

    private final BundleContext context;
    private final BackendUsage usage;

    @Activate
    public BackendsCommand(@Reference ContainerRuntime runtime, BundleContext context) {
        this.context = context;
        this.usage = new BackendUsage(runtime);
    }

    private static Map<Class<? extends Backend>, String> areas() {
        Map<Class<? extends Backend>, String> m = new LinkedHashMap<>();
        m.put(StorageBackend.class, "storage");
        m.put(SnapshotProvider.class, "snapshot");
        m.put(CgroupBackend.class, "cgroup");
        m.put(NamespacePolicy.class, "namespace");
        m.put(SecurityContributor.class, "security");
        m.put(LsmBackend.class, "lsm");
        m.put(SeccompCompiler.class, "seccomp");
        m.put(NetworkBackend.class, "network");
        m.put(Template.class, "template");
        return m;
    }

    @Descriptor("List every backend service: area, type, bundle, version, ranking, and what detect() says on this host")
    public Object backends() {
        out().print(BackendRow.table(rows()));
        return null;
    }

    @Descriptor("Install and start a backend bundle (a jar path or URL); its backends are selectable at once")
    public Object install(@Descriptor("the bundle's jar file or URL") String location) {
        String uri = location.contains(":") && !location.startsWith("/") ? location : jarUri(location);
        Bundle b;
        try {
            b = context.installBundle(uri);
            b.start();
        } catch (BundleException e) {
            throw new LxjException("Failed to install \"" + location + "\": " + e.getMessage(), e);
        }
        List<String> backends = backendsOf(b);
        out().println("Started " + name(b) + (backends.isEmpty() ? "; it registered no backend"
                : ": " + String.join(", ", backends)));
        return null;
    }

    @Descriptor("Stop a bundle unless an active container uses one of its storage backends")
    public Object stop(@Descriptor("[-P LXCPATH]... BUNDLE (id or symbolic name); -P adds lxcpaths to check") String... args) {
        Bundle b = checkedBundle(args);
        try {
            b.stop();
        } catch (BundleException e) {
            throw new LxjException("Failed to stop " + name(b) + ": " + e.getMessage(), e);
        }
        out().println("Stopped " + name(b));
        return null;
    }

    @Descriptor("Stop and remove a bundle unless an active container uses one of its storage backends")
    public Object uninstall(@Descriptor("[-P LXCPATH]... BUNDLE (id or symbolic name); -P adds lxcpaths to check") String... args) {
        Bundle b = checkedBundle(args);
        String name = name(b);
        try {
            b.uninstall();
        } catch (BundleException e) {
            throw new LxjException("Failed to uninstall " + name + ": " + e.getMessage(), e);
        }
        context.getBundle(Constants.SYSTEM_BUNDLE_LOCATION).adapt(FrameworkWiring.class).refreshBundles(List.of(b));
        out().println("Uninstalled " + name);
        return null;
    }

    /** Parses {@code [-P LXCPATH]... BUNDLE} and refuses a bundle whose storage backends active containers use. */
    private Bundle checkedBundle(String... args) {
        List<Path> lxcpaths = new ArrayList<>();
        String target = null;
        for (int i = 0; i < args.length; i++) {
            if ((args[i].equals("-P") || args[i].equals("--lxcpath")) && i + 1 < args.length) {
                lxcpaths.add(Path.of(args[++i]));
            } else if (target == null && !args[i].startsWith("-")) {
                target = args[i];
            } else {
                throw new LxjException("Usage: lxj:stop|lxj:uninstall [-P LXCPATH]... BUNDLE (an id or a symbolic name)");
            }
        }
        if (target == null) {
            throw new LxjException("Usage: lxj:stop|lxj:uninstall [-P LXCPATH]... BUNDLE (an id or a symbolic name)");
        }
        Bundle b = bundle(target);
        if (b.getBundleId() == 0) {
            throw new LxjException("Refusing to stop the framework: use exit or lxj shutdown");
        }
        ServiceReference<?>[] refs = b.getRegisteredServices();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            if (!isA(ref, StorageBackend.class)) {
                continue;
            }
            Object service = context.getService(ref);
            try {
                if (service instanceof StorageBackend storage) {
                    List<String> users = usage.users(storage, usage.lxcpaths(lxcpaths));
                    if (!users.isEmpty()) {
                        throw new BackendInUseException(name(b), "storage backend \"" + storage.type() + "\"", users);
                    }
                }
            } finally {
                context.ungetService(ref);
            }
        }
        return b;
    }

    private Bundle bundle(String target) {
        if (target.chars().allMatch(Character::isDigit)) {
            Bundle b = context.getBundle(Long.parseLong(target));
            if (b == null) {
                throw new LxjException("No bundle " + target + " is installed");
            }
            return b;
        }
        for (Bundle b : context.getBundles()) {
            if (target.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new LxjException("No bundle \"" + target + "\" is installed");
    }

    private List<BackendRow> rows() {
        HostFacts host = hostFacts();
        List<BackendRow> rows = new ArrayList<>();
        for (Map.Entry<Class<? extends Backend>, String> area : AREAS.entrySet()) {
            for (ServiceReference<?> ref : references(area.getKey())) {
                Object service = context.getService(ref);
                if (!(service instanceof Backend backend)) {
                    continue;                                   // gone meanwhile, or from another SPI wiring
                }
                try {
                    Detection d = detect(backend, host);
                    Bundle owner = ref.getBundle();
                    rows.add(new BackendRow(area.getValue(), type(ref, backend),
                            owner == null ? "-" : owner.getSymbolicName(),
                            owner == null ? "-" : owner.getVersion().toString(), ranking(ref),
                            (Long) ref.getProperty(Constants.SERVICE_ID), d.available(), d.reason()));
                } finally {
                    context.ungetService(ref);
                }
            }
        }
        return rows;
    }

    private static Detection detect(Backend backend, HostFacts host) {
        if (host == null) {
            return Detection.unavailable("no host facts (the linux bundle is not active)");
        }
        try {
            return backend.detect(host);
        } catch (RuntimeException e) {
            return Detection.unavailable("detect failed: " + e.getMessage());
        }
    }

    private HostFacts hostFacts() {
        ServiceReference<HostFacts> ref = context.getServiceReference(HostFacts.class);
        if (ref == null) {
            return null;
        }
        try {
            return context.getService(ref);
        } finally {
            context.ungetService(ref);
        }
    }

    private List<ServiceReference<?>> references(Class<?> type) {
        try {
            ServiceReference<?>[] refs = context.getServiceReferences(type.getName(), null);
            return refs == null ? List.of() : List.of(refs);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("A null filter is valid", e);
        }
    }

    private List<String> backendsOf(Bundle b) {
        List<String> found = new ArrayList<>();
        ServiceReference<?>[] refs = b.getRegisteredServices();
        for (ServiceReference<?> ref : refs == null ? new ServiceReference<?>[0] : refs) {
            for (Map.Entry<Class<? extends Backend>, String> area : AREAS.entrySet()) {
                if (isA(ref, area.getKey())) {
                    Object type = ref.getProperty(Backend.TYPE_PROPERTY);
                    found.add(area.getValue() + " backend \"" + (type == null ? "?" : type) + "\"");
                }
            }
        }
        return found;
    }

    private static boolean isA(ServiceReference<?> ref, Class<?> type) {
        return ref.getProperty(Constants.OBJECTCLASS) instanceof String[] classes
                && List.of(classes).contains(type.getName());
    }

    private static String type(ServiceReference<?> ref, Backend backend) {
        Object type = ref.getProperty(Backend.TYPE_PROPERTY);
        return type == null ? backend.type() : type.toString();
    }

    private static int ranking(ServiceReference<?> ref) {
        return ref.getProperty(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static String name(Bundle b) {
        return b.getSymbolicName() + " " + b.getVersion() + " (bundle " + b.getBundleId() + ")";
    }

    private static String jarUri(String path) {
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p)) {
            throw new LxjException("No bundle file \"" + p + "\"");
        }
        return p.toUri().toString();
    }

    /** Gogo binds System.out to the session's output while a command runs. */
    private static PrintStream out() {
        return System.out;
    }
}
