package org.lxj.security.landlock.internal;

import static org.lxj.security.landlock.internal.LandlockKeys.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.LandlockRuleset;

/**
 * Turns the {@code lxj.landlock.*} keys into a {@link LandlockRuleset} for one Landlock ABI. Filesystem rights
 * are handled as soon as any {@code fs} key is set (everything not allowed beneath a listed path is denied);
 * binding or connecting is handled when its {@code net} key is set. What the ABI cannot restrict is dropped
 * with a warning under {@code best_effort = 1}, and fails the start, naming the key, under {@code 0}.
 */
final class LandlockPolicy {

    private final ContainerConfig config;
    private final int abi;
    private final Predicate<Path> nonDirectory;
    private final Consumer<String> warn;
    private final boolean bestEffort;

    /**
     * @param abi          the host's Landlock ABI, 0 without Landlock
     * @param nonDirectory whether a container path is known to be something other than a directory, so that
     *                     directory-only rights must be masked off its rule
     * @param warn         where downgrades are reported
     */
    LandlockPolicy(ContainerConfig config, int abi, Predicate<Path> nonDirectory, Consumer<String> warn) {
        this.config = config;
        this.abi = abi;
        this.nonDirectory = nonDirectory;
        this.warn = warn;
        this.bestEffort = bestEffort(config);
    }

    /** Whether any key that asks for a restriction is set. */
    static boolean requested(ContainerConfig config) {
        return RULES.stream().anyMatch(k -> !tokens(config, k).isEmpty());
    }

    /** The ruleset, or empty when nothing is asked or the host has no Landlock and best effort allows that. */
    Optional<LandlockRuleset> compute() {
        if (!requested(config)) {
            return Optional.empty();
        }
        if (abi < 1) {
            String key = RULES.stream().filter(k -> !tokens(config, k).isEmpty()).findFirst().orElseThrow();
            downgrade(key, "the kernel has no Landlock");
            return Optional.empty();
        }
        Map<Path, Long> paths = new LinkedHashMap<>();
        addPaths(paths, FS_RO, LandlockAbi.READ);
        addPaths(paths, FS_EXEC, LandlockAbi.EXEC);
        addPaths(paths, FS_RW, LandlockAbi.fsRights(abi));
        boolean fs = !tokens(config, FS_RO).isEmpty() || !tokens(config, FS_EXEC).isEmpty()
                || !tokens(config, FS_RW).isEmpty();
        Map<Integer, Long> ports = new LinkedHashMap<>();
        long handledNet = net(NET_BIND, LandlockRuleset.ACCESS_NET_BIND_TCP, ports)
                | net(NET_CONNECT, LandlockRuleset.ACCESS_NET_CONNECT_TCP, ports);
        long scoped = scopes();
        long handledFs = fs ? LandlockAbi.fsRights(abi) : 0;
        if (handledFs == 0 && handledNet == 0 && scoped == 0) {
            return Optional.empty();
        }
        List<LandlockRuleset.PathRule> pathRules = new ArrayList<>();
        paths.forEach((p, r) -> {
            long allowed = nonDirectory.test(p) ? r & LandlockAbi.FILE_RIGHTS : r;
            if (allowed != 0) {
                pathRules.add(new LandlockRuleset.PathRule(p, allowed));
            }
        });
        List<LandlockRuleset.PortRule> portRules = new ArrayList<>();
        ports.forEach((p, r) -> portRules.add(new LandlockRuleset.PortRule(p, r)));
        return Optional.of(new LandlockRuleset(handledFs, handledNet, scoped, pathRules, portRules, bestEffort));
    }

    private void addPaths(Map<Path, Long> paths, String key, long rights) {
        for (String t : tokens(config, key)) {
            if (!t.startsWith("/")) {
                throw ConfigErrors.invalid(config, key, value(key, t),
                        "Invalid " + key + " path \"" + t + "\": expected an absolute path inside the container");
            }
            paths.merge(Path.of(t).normalize(), rights, (a, b) -> a | b);
        }
    }

    /** The right {@code right} if {@code key} asks to restrict it and the ABI can; its ports go into {@code ports}. */
    private long net(String key, long right, Map<Integer, Long> ports) {
        List<String> list = tokens(config, key);
        if (list.isEmpty()) {
            return 0;
        }
        List<Integer> allowed = new ArrayList<>();
        for (String t : list) {
            if (t.equals("none")) {
                continue;
            }
            allowed.add(port(key, t));
        }
        if (abi < LandlockAbi.NET_ABI) {
            downgrade(key, "TCP rules need Landlock ABI " + LandlockAbi.NET_ABI + " and the host has " + abi);
            return 0;
        }
        allowed.forEach(p -> ports.merge(p, right, (a, b) -> a | b));
        return right;
    }

    private int port(String key, String t) {
        try {
            int p = Integer.parseInt(t);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigErrors.invalid(config, key, value(key, t),
                "Invalid " + key + " port \"" + t + "\": expected 0 to 65535 or none");
    }

    private long scopes() {
        long scoped = 0;
        for (String t : tokens(config, SCOPE)) {
            scoped |= switch (t) {
                case "signal" -> LandlockRuleset.SCOPE_SIGNAL;
                case "abstract_unix_socket" -> LandlockRuleset.SCOPE_ABSTRACT_UNIX_SOCKET;
                default -> throw ConfigErrors.invalid(config, SCOPE, value(SCOPE, t), "Invalid " + SCOPE + " \""
                        + t + "\": expected signal or abstract_unix_socket");
            };
        }
        if (scoped != 0 && abi < LandlockAbi.SCOPE_ABI) {
            downgrade(SCOPE, "scoping needs Landlock ABI " + LandlockAbi.SCOPE_ABI + " and the host has " + abi);
            return 0;
        }
        return scoped;
    }

    private void downgrade(String key, String why) {
        if (!bestEffort) {
            throw new UnsupportedFeatureException("Config key \"" + key + "\" cannot be enforced: " + why
                    + " (" + BEST_EFFORT + " is 0)");
        }
        warn.accept("Config key \"" + key + "\" is not enforced: " + why);
    }

    private static boolean bestEffort(ContainerConfig config) {
        Optional<String> v = config.value(BEST_EFFORT).map(String::trim).filter(s -> !s.isEmpty());
        if (v.isEmpty() || v.get().equals("1")) {
            return true;
        }
        if (v.get().equals("0")) {
            return false;
        }
        throw ConfigErrors.invalid(config, BEST_EFFORT, v.get(),
                "Invalid " + BEST_EFFORT + " \"" + v.get() + "\": expected 0 or 1");
    }

    /** The entry value holding token {@code t}, so an error points at its line. */
    private String value(String key, String t) {
        return config.values(key).stream().filter(v -> List.of(v.trim().split("\\s+")).contains(t)).reduce((a, b) -> b)
                .orElse(t);
    }

    static List<String> tokens(ContainerConfig config, String key) {
        List<String> out = new ArrayList<>();
        for (String v : config.values(key)) {
            for (String t : v.trim().split("\\s+")) {
                if (!t.isEmpty()) {
                    out.add(t);
                }
            }
        }
        return out;
    }
}
