package org.lxj.security.seccomp.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import org.lxj.api.BackendNotFoundException;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.SeccompNotifyProxy;
import org.lxj.spi.seccomp.CompiledFilter;
import org.lxj.spi.seccomp.SeccompCompiler;
import org.lxj.spi.seccomp.SeccompRequest;
import org.lxj.spi.security.SecurityContributor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code seccomp} security backend: {@code lxc.seccomp.profile} is read, compiled by the best installed
 * {@link SeccompCompiler} for the host's native and compat architectures and the capability sets earlier
 * contributors chose, and put into the plan as its seccomp program. It runs last
 * ({@link LaunchContributor#ORDER_SECCOMP}). As in LXC, a runtime that is itself under a seccomp filter loads
 * the container's only with {@code lxc.seccomp.allow_nesting = 1}. A profile is a file or the name of a built-in
 * one ({@value #DOCKER_DEFAULT}, a Docker/Moby-format profile flattened by the container's capabilities).
 * {@code notify} rules are allowed when {@code lxc.seccomp.notify.proxy} is set: the plan then carries the proxy
 * and cookie, and the monitor forwards each notification to it in LXC's message format.
 */
@Component(service = {SecurityContributor.class, LaunchContributor.class},
        property = Backend.TYPE_PROPERTY + "=" + SeccompContributor.TYPE)
public final class SeccompContributor implements SecurityContributor {

    static final String TYPE = "seccomp";
    static final String PROFILE = "lxc.seccomp.profile";
    static final String ALLOW_NESTING = "lxc.seccomp.allow_nesting";
    static final String NOTIFY_PROXY = "lxc.seccomp.notify.proxy";
    static final String NOTIFY_COOKIE = "lxc.seccomp.notify.cookie";
    /** The built-in Docker/Moby-format profile: {@code lxc.seccomp.profile = docker-default}. */
    static final String DOCKER_DEFAULT = "docker-default";
    private static final List<String> BUILTINS = List.of(DOCKER_DEFAULT);
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final int SECCOMP_MODE_FILTER = 2;
    private static final Logger LOG = LoggerFactory.getLogger(SeccompContributor.class);

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<SeccompCompiler> compilers = new ArrayList<>();
    private final IntSupplier ownSeccompMode;
    /** Built-in profile texts by name, read from the bundle once. */
    private final Map<String, Optional<String>> builtins = new ConcurrentHashMap<>();

    @Activate
    public SeccompContributor() {
        this(SeccompContributor::readOwnMode);
    }

    /** {@code ownSeccompMode}: the runtime's own {@code Seccomp:} mode (0 none, 1 strict, 2 filter). */
    SeccompContributor(IntSupplier ownSeccompMode) {
        this.ownSeccompMode = ownSeccompMode;
    }

    /** For tests: the compilers, best first. */
    SeccompContributor(IntSupplier ownSeccompMode, List<SeccompCompiler> compilers) {
        this(ownSeccompMode);
        this.compilers = new ArrayList<>(compilers);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int order() {
        return ORDER_SECCOMP;
    }

    @Override
    public Detection detect(HostFacts host) {
        return Files.exists(Path.of("/proc/sys/kernel/seccomp/actions_avail"))
                ? Detection.available("seccomp filters (/proc/sys/kernel/seccomp/actions_avail)")
                : Detection.unavailable("the kernel has no seccomp filters");
    }

    @Override
    public boolean supports(ContainerConfig config) {
        return set(config, PROFILE).isPresent() || set(config, NOTIFY_PROXY).isPresent();
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ContainerConfig config = context.config();
        Optional<String> proxy = set(config, NOTIFY_PROXY);
        boolean nesting = allowNesting(config);
        Optional<String> profile = set(config, PROFILE);
        if (profile.isEmpty()) {
            return;
        }
        if (!nesting && ownSeccompMode.getAsInt() == SECCOMP_MODE_FILTER) {
            LOG.info("{}: not loading seccomp profile \"{}\": the runtime is already under a seccomp filter and "
                    + "{} is 0", context.name(), profile.get(), ALLOW_NESTING);
            return;
        }
        Path file = Path.of(profile.get());
        Optional<String> builtin = BUILTINS.contains(profile.get())
                ? builtins.computeIfAbsent(profile.get(), SeccompContributor::builtin) : Optional.empty();
        String text = builtin.isPresent() ? builtin.get() : read(config, file);
        long caps = plan.capabilitySets().map(CapabilitySets::effective).orElse(-1L);
        SeccompRequest request = new SeccompRequest(text, Optional.of(file),
                Arches.withCompat(context.host().architecture()), caps, proxy.isPresent());
        SeccompCompiler compiler = compiler(request, context.host());
        CompiledFilter compiled = compiler.compile(request);
        if (builtin.isPresent()) {
            // a built-in profile lists syscalls newer than some libseccomp builds on purpose; those get ENOSYS
            compiled.warnings().forEach(w -> LOG.debug("{}: {}: {}", context.name(), file, w));
        } else {
            compiled.warnings().forEach(w -> LOG.warn("{}: {}: {}", context.name(), file, w));
        }
        plan.seccomp(compiled.program());
        // as LXC, the proxy is used only by a filter with notify rules; without them it is not contacted
        if (compiled.program().notifies()) {
            plan.seccompNotifyProxy(SeccompNotifyProxy.parse(proxy.orElseThrow(), set(config, NOTIFY_COOKIE)
                    .orElse("")));
        } else if (proxy.isPresent()) {
            LOG.debug("{}: {} is set but seccomp profile \"{}\" has no notify rules", context.name(), NOTIFY_PROXY,
                    profile.get());
        }
        LOG.debug("{}: seccomp profile \"{}\" compiled by {}: {}", context.name(), file, compiler.compilerId(),
                compiled.program());
    }

    private SeccompCompiler compiler(SeccompRequest request, HostFacts host) {
        List<SeccompCompiler> copy = new ArrayList<>(compilers);
        for (SeccompCompiler c : copy) {
            if (c.detect(host).available() && c.accepts(request)) {
                return c;
            }
        }
        if (copy.isEmpty()) {
            throw new BackendNotFoundException("seccomp", LibseccompCompiler.TYPE);
        }
        throw new UnsupportedFeatureException("Failed to compile seccomp profile \"" + request.source().orElse(null)
                + "\": no installed seccomp compiler handles " + String.join(", ", request.architectures()));
    }

    /**
     * The text of the built-in profile {@code value} names ({@value #DOCKER_DEFAULT}), shipped in this bundle; a value
     * with a {@code /} or a name no built-in profile has is a path.
     */
    static Optional<String> builtin(String value) {
        if (!BUILTINS.contains(value)) {
            return Optional.empty();
        }
        try (InputStream in = SeccompContributor.class.getResourceAsStream(value + ".json")) {
            if (in == null) {
                throw new BackendException("Failed to read the built-in seccomp profile \"" + value
                        + "\": the bundle does not contain it");
            }
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BackendException("Failed to read the built-in seccomp profile \"" + value + "\": "
                    + e.getMessage(), e);
        }
    }

    private static String read(ContainerConfig config, Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            Optional<ConfigEntry> at = last(config, PROFILE);
            throw new ConfigException(at.map(ConfigEntry::file).orElse(null), at.map(ConfigEntry::line).orElse(0),
                    PROFILE, file.toString(), "Failed to read seccomp profile \"" + file + "\": "
                            + e.getClass().getSimpleName().replace("Exception", "") + " " + e.getMessage());
        }
    }

    private static boolean allowNesting(ContainerConfig config) {
        Optional<String> v = set(config, ALLOW_NESTING);
        if (v.isEmpty()) {
            return false;
        }
        return switch (v.get()) {
            case "1" -> true;
            case "0" -> false;
            default -> {
                Optional<ConfigEntry> at = last(config, ALLOW_NESTING);
                throw new ConfigException(at.map(ConfigEntry::file).orElse(null),
                        at.map(ConfigEntry::line).orElse(0), ALLOW_NESTING, v.get(),
                        "Invalid " + ALLOW_NESTING + " \"" + v.get() + "\": expected 0 or 1");
            }
        };
    }

    private static Optional<String> set(ContainerConfig config, String key) {
        return last(config, key).map(e -> e.value().trim()).filter(v -> !v.isEmpty());
    }

    private static Optional<ConfigEntry> last(ContainerConfig config, String key) {
        return config.entries().stream().filter(e -> e.key().equals(key)).reduce((a, b) -> b);
    }

    private static int readOwnMode() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("Seccomp:")) {
                    return Integer.parseInt(line.substring("Seccomp:".length()).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            throw new BackendException("Failed to read \"" + STATUS + "\": " + e.getMessage(), e);
        }
        return 0;
    }
}
