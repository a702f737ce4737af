package org.lxj.security.selinux.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@code selinux} LSM backend. {@code lxc.selinux.context} is the context the container's processes get
 * (the exec label, applied at the container's {@code execve}) and labels the filesystems the launcher mounts
 * ({@code context="..."}); {@code lxc.selinux.context.keyring} is the context its session keyring is created
 * with (keycreate), by default the same context, as in LXC. SELinux has no generated policy: prepare and
 * cleanup do nothing. On a host without SELinux a configured context fails the start, naming the key.
 */
@Component(service = LsmBackend.class, property = Backend.TYPE_PROPERTY + "=" + SelinuxBackend.TYPE)
public final class SelinuxBackend implements LsmBackend {

    static final String TYPE = "selinux";
    static final String CONTEXT = "lxc.selinux.context";
    static final String KEYRING = "lxc.selinux.context.keyring";
    static final Path SELINUXFS = Path.of("/sys/fs/selinux");

    private final Path selinuxfs;

    @Activate
    public SelinuxBackend() {
        this(SELINUXFS);
    }

    SelinuxBackend(Path selinuxfs) {
        this.selinuxfs = selinuxfs;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        if (!host.lsms().contains(TYPE)) {
            return Detection.unavailable("SELinux is not an active LSM (active: " + String.join(",", host.lsms())
                    + ")");
        }
        if (!Files.isRegularFile(selinuxfs.resolve("enforce"))) {
            return Detection.unavailable("\"" + selinuxfs + "\" is not mounted");
        }
        return Detection.available("SELinux enabled (" + selinuxfs + ")");
    }

    @Override
    public boolean requested(ContainerConfig config) {
        return set(config, CONTEXT).isPresent() || set(config, KEYRING).isPresent();
    }

    @Override
    public Optional<LsmProfile> profileFor(ContainerContext context) {
        ContainerConfig config = context.config();
        Optional<String> ctx = set(config, CONTEXT);
        Optional<String> keyring = set(config, KEYRING);
        ctx.ifPresent(c -> check(config, CONTEXT, c));
        keyring.ifPresent(c -> check(config, KEYRING, c));
        if (!requested(config)) {
            return Optional.empty();
        }
        Detection d = detect(context.host());
        if (!d.available()) {
            String key = ctx.isPresent() ? CONTEXT : KEYRING;
            throw new UnsupportedFeatureException("Config key \"" + key + "\" = \""
                    + ctx.orElseGet(keyring::get) + "\" needs SELinux, which this host does not provide: " + d.reason());
        }
        // only a keyring context: processes keep the runtime's context, their keyrings get the configured one
        return ctx.map(c -> new LsmProfile(TYPE, c, false, false));
    }

    @Override
    public void prepare(ContainerContext context, LsmProfile profile) {
        // SELinux policy is the host's; nothing is generated or loaded per container
    }

    @Override
    public List<LsmLabel> labels(LsmProfile profile) {
        return List.of(new LsmLabel(TYPE, "exec", profile.label(), profile.optional()),
                new LsmLabel(TYPE, "keycreate", profile.label(), profile.optional()));
    }

    @Override
    public List<LsmLabel> labels(ContainerContext context, LsmProfile profile) {
        List<LsmLabel> out = new ArrayList<>();
        out.add(new LsmLabel(TYPE, "exec", profile.label(), profile.optional()));
        String keyring = set(context.config(), KEYRING).orElse(profile.label());
        out.add(new LsmLabel(TYPE, "keycreate", keyring, profile.optional()));
        return out;
    }

    @Override
    public Optional<String> mountOption(LsmProfile profile) {
        return Optional.of("context=\"" + profile.label() + "\"");
    }

    @Override
    public void cleanup(ContainerContext context, LsmProfile profile) {
        // nothing was prepared
    }

    /** {@code user:role:type[:level]}, the level possibly with a category range ({@code s0:c1,c2}). */
    private static void check(ContainerConfig config, String key, String value) {
        if (!value.matches("[A-Za-z0-9_.]+:[A-Za-z0-9_.]+:[A-Za-z0-9_.]+(:[A-Za-z0-9_.:,\\-]+)?")) {
            throw ConfigErrors.invalid(config, key, value, "Invalid " + key + " \"" + value
                    + "\": expected an SELinux context user:role:type[:level]");
        }
    }

    private static Optional<String> set(ContainerConfig config, String key) {
        return config.value(key).map(String::trim).filter(v -> !v.isEmpty());
    }
}
