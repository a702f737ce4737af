package org.lxj.core.internal.plan;

import java.util.Collection;
import java.util.Optional;
import java.util.Set;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.LaunchContributor;

/**
 * Refuses, before anything is prepared, a config that asks for a mechanism nothing installed provides: keys
 * served by contributor bundles that are missing, and keys whose mechanism this runtime does not have yet
 * (network devices, clone and destroy hooks). A key is never silently ignored.
 */
public final class KeyGate {
    private static final Set<String> HARMLESS_APPARMOR = Set.of("unconfined", "unchanged");
    private static final Set<String> NIC_TYPES_BUILT_IN = Set.of("empty", "none");

    private KeyGate() {
    }

    /**
     * Checks every effective entry of {@code config}.
     *
     * @throws UnsupportedFeatureException naming the first key that cannot be honoured, e.g.
     *         {@code Config key "lxc.cap.drop" needs a capability backend, and none is installed}
     */
    public static void check(ContainerConfig config, Collection<? extends LaunchContributor> installed) {
        check(config, installed, Set.of());
    }

    /**
     * Like {@link #check(ContainerConfig, Collection)} with the network types the installed network backends serve.
     */
    public static void check(ContainerConfig config, Collection<? extends LaunchContributor> installed,
            Set<String> nicTypes) {
        for (ConfigEntry e : config.entries()) {
            String value = e.value().trim();
            if (value.isEmpty()) {
                continue;
            }
            Optional<Mechanism> m = mechanism(e.key(), value);
            if (m.isPresent() && !m.get().installedIn(installed)) {
                throw new UnsupportedFeatureException("Config key \"" + e.key() + "\" needs "
                        + m.get().description() + ", and none is installed");
            }
            if (e.key().startsWith("lxc.net.") && e.key().endsWith(".type") && nicTypes.contains(value)) {
                continue;
            }
            missingSupport(e.key(), value).ifPresent(what -> {
                throw new UnsupportedFeatureException("Config key \"" + e.key() + "\" needs " + what
                        + ", and none is installed");
            });
        }
    }

    /** The contributor mechanism a key needs, if any. */
    static Optional<Mechanism> mechanism(String key, String value) {
        if (key.equals("lxc.namespace.clone") || key.equals("lxc.namespace.keep")
                || key.startsWith("lxc.namespace.share.") || key.equals("lxc.idmap")
                || key.startsWith("lxc.time.offset.")) {
            return Optional.of(Mechanism.NAMESPACE);
        }
        if (key.startsWith("lxc.cgroup.") || key.startsWith("lxc.cgroup2.")) {
            boolean off = key.equals("lxc.cgroup.relative") && value.equals("0");
            return off ? Optional.empty() : Optional.of(Mechanism.CGROUP);
        }
        if (key.equals("lxc.cap.drop") || key.equals("lxc.cap.keep")) {
            return Optional.of(Mechanism.CAPABILITY);
        }
        if (key.equals("lxc.apparmor.profile")) {
            return HARMLESS_APPARMOR.contains(value) ? Optional.empty() : Optional.of(Mechanism.LSM);
        }
        if (key.startsWith("lxc.apparmor.") || key.startsWith("lxc.seccomp.allow_nesting")) {
            if (value.equals("0")) {
                return Optional.empty();
            }
            return Optional.of(key.startsWith("lxc.apparmor.") ? Mechanism.LSM : Mechanism.SECCOMP);
        }
        if (key.startsWith("lxc.selinux.")) {
            return Optional.of(Mechanism.LSM);
        }
        if (key.startsWith("lxc.seccomp.")) {
            return Optional.of(Mechanism.SECCOMP);
        }
        if (key.startsWith("lxj.landlock.") && !key.equals("lxj.landlock.best_effort")) {
            return Optional.of(Mechanism.LANDLOCK);
        }
        return Optional.empty();
    }

    /** A mechanism this runtime does not have yet that a key needs, described for the message. */
    static Optional<String> missingSupport(String key, String value) {
        if (key.startsWith("lxc.net.") && key.endsWith(".type") && !NIC_TYPES_BUILT_IN.contains(value)) {
            return Optional.of("a network backend for type \"" + value + "\"");
        }
        boolean zero = value.equals("0");
        if (key.equals("lxc.hook.clone") || key.equals("lxc.hook.destroy")) {
            return Optional.of("clone and destroy hook support (lxc-copy, lxc-destroy)");
        }
        if (key.equals("lxc.sched.core") && !zero) {
            return Optional.of("core scheduling support");
        }
        if (key.equals("lxc.monitor.unshare") && !zero) {
            return Optional.of("monitor unsharing support");
        }
        return Optional.empty();
    }
}
