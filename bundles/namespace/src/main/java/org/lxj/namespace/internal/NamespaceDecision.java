package org.lxj.namespace.internal;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.TimeOffsets;
import org.lxj.spi.namespace.NamespaceSelection;
import org.lxj.spi.namespace.ShareResolver;

/**
 * One container's namespaces, decided as LXC's {@code resolve_clone_flags()} does:
 * <ul>
 * <li>{@code lxc.namespace.keep} set: everything of the default set that is not kept is created;</li>
 * <li>else {@code lxc.namespace.clone} set: exactly those are created;</li>
 * <li>else the default set: mnt, pid, uts, ipc, net and cgroup as far as the kernel has them, user when
 * {@code lxc.idmap} is set, time when a {@code lxc.time.offset.*} is not zero, and no net namespace when
 * every configured NIC is of type {@code none};</li>
 * <li>a shared namespace ({@code lxc.namespace.share.<ns>}) is joined instead, whatever the above said.</li>
 * </ul>
 * Setting both {@code clone} and {@code keep} is an error, as in LXC's config parser. Id maps go into the
 * plan only with a new user namespace; time offsets only with a new time namespace.
 *
 * @param selection the namespaces to create, join and keep, with the id maps
 * @param offsets   the clock offsets of a new time namespace
 */
record NamespaceDecision(NamespaceSelection selection, Optional<TimeOffsets> offsets) {

    static final String CLONE = "lxc.namespace.clone";
    static final String KEEP = "lxc.namespace.keep";
    private static final Set<Namespace> BASE = EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS,
            Namespace.IPC, Namespace.NET, Namespace.CGROUP);
    private static final Pattern NIC_TYPE = Pattern.compile("lxc\\.net\\.(\\d+)\\.type");

    /** Puts the decision into {@code plan}. */
    void applyTo(LaunchPlan.Builder plan) {
        selection.applyTo(plan);
        offsets.ifPresent(plan::timeOffsets);
    }

    static NamespaceDecision decide(ConfigValues config, HostFacts host, KernelNamespaces kernel,
            ShareResolver resolver) {
        List<IdMapping> idMaps = IdMaps.parse(config);
        Optional<TimeOffsets> offsets = TimeOffsetValues.parse(config);
        Optional<Set<Namespace>> cloneList = list(config, CLONE);
        Optional<Set<Namespace>> keepList = list(config, KEEP);
        if (cloneList.isPresent() && keepList.isPresent()) {
            String later = config.lineOf(CLONE) > config.lineOf(KEEP) ? CLONE : KEEP;
            throw config.invalid(later, config.value(later).orElse(""),
                    "Cannot set both " + CLONE + " and " + KEEP + ": keep lists what is not created, clone what is");
        }
        Set<Namespace> defaults = defaults(config, kernel, !idMaps.isEmpty(), offsets.isPresent());
        Set<Namespace> create = EnumSet.noneOf(Namespace.class);
        Set<Namespace> keep = EnumSet.noneOf(Namespace.class);
        if (keepList.isPresent()) {
            keep.addAll(keepList.get());
            create.addAll(defaults);
            create.removeAll(keep);
        } else {
            create.addAll(cloneList.orElse(defaults));
        }
        Map<Namespace, NamespaceJoin> joins = shares(config, resolver);
        create.removeAll(joins.keySet());
        keep.removeAll(joins.keySet());
        checkTime(config, offsets, keep, joins.keySet());
        String source = cloneList.isPresent() ? CLONE : keepList.isPresent() ? KEEP : "the default namespace set";
        checkCreatable(config, host, kernel, create, source, idMaps);
        List<IdMapping> maps = create.contains(Namespace.USER) ? idMaps : List.of();
        Optional<TimeOffsets> timeOffsets = create.contains(Namespace.TIME) ? offsets : Optional.empty();
        NamespaceSelection selection = new NamespaceSelection(create, orderedJoins(joins), keep, maps, true);
        return new NamespaceDecision(selection, timeOffsets);
    }

    private static Set<Namespace> defaults(ConfigValues config, KernelNamespaces kernel, boolean idMaps,
            boolean timeOffsets) {
        Set<Namespace> set = EnumSet.noneOf(Namespace.class);
        for (Namespace ns : BASE) {
            if (kernel.has(ns)) {
                set.add(ns);
            }
        }
        // A mount namespace is never optional: without it the rootfs setup would change the host's mounts.
        set.add(Namespace.MOUNT);
        if (idMaps) {
            set.add(Namespace.USER);
        }
        if (timeOffsets) {
            set.add(Namespace.TIME);
        }
        if (onlyNoneNetworks(config)) {
            set.remove(Namespace.NET);
        }
        return set;
    }

    /** LXC's {@code lxc_requests_empty_network()}: NICs are configured and all are of type {@code none}. */
    private static boolean onlyNoneNetworks(ConfigValues config) {
        Map<Integer, String> types = new java.util.TreeMap<>();
        for (ConfigEntry e : config.withPrefix("lxc.net.")) {
            Matcher m = NIC_TYPE.matcher(e.key());
            if (m.matches()) {
                types.put(Integer.valueOf(m.group(1)), e.value().trim());
            }
        }
        return !types.isEmpty() && types.values().stream().allMatch("none"::equals);
    }

    private static Optional<Set<Namespace>> list(ConfigValues config, String key) {
        if (!config.isSet(key)) {
            return Optional.empty();
        }
        Set<Namespace> set = EnumSet.noneOf(Namespace.class);
        for (String value : config.values(key)) {
            for (String token : value.trim().split("\\s+")) {
                if (token.isEmpty()) {
                    continue;
                }
                set.add(Namespace.find(token).orElseThrow(() -> config.invalid(key, value, "Invalid namespace \""
                        + token + "\" in " + key
                        + ": expected mnt (or mount), pid, uts, ipc, net, user, cgroup or time")));
            }
        }
        return Optional.of(set);
    }

    private static Map<Namespace, NamespaceJoin> shares(ConfigValues config, ShareResolver resolver) {
        Map<Namespace, String> values = new EnumMap<>(Namespace.class);
        for (ConfigEntry e : config.withPrefix(ShareTargets.PREFIX)) {
            String name = e.key().substring(ShareTargets.PREFIX.length());
            Namespace ns = Namespace.find(name).filter(n -> n.procName().equals(name) || name.equals("mount"))
                    .orElseThrow(() -> config.invalid(e.key(), e.value(), "Invalid key \"" + e.key()
                            + "\": expected " + ShareTargets.PREFIX + "<ns> with ns one of mnt, pid, uts, ipc, net, "
                            + "user, cgroup, time"));
            if (e.value().isEmpty()) {
                values.remove(ns);
            } else {
                values.put(ns, e.value());
            }
        }
        Map<Namespace, NamespaceJoin> joins = new EnumMap<>(Namespace.class);
        values.forEach((ns, v) -> joins.put(ns, ShareTargets.resolve(config, ns, v, resolver)));
        return joins;
    }

    /** The user namespace first, so later joins happen with the shared container's credentials. */
    private static List<NamespaceJoin> orderedJoins(Map<Namespace, NamespaceJoin> joins) {
        List<NamespaceJoin> list = new ArrayList<>();
        if (joins.containsKey(Namespace.USER)) {
            list.add(joins.get(Namespace.USER));
        }
        joins.forEach((ns, j) -> {
            if (ns != Namespace.USER) {
                list.add(j);
            }
        });
        return list;
    }

    private static void checkTime(ConfigValues config, Optional<TimeOffsets> offsets, Set<Namespace> keep,
            Set<Namespace> shared) {
        if (offsets.isEmpty()) {
            return;
        }
        String key = TimeOffsetValues.keyOf(offsets.get());
        String value = config.value(key).orElse("");
        if (keep.contains(Namespace.TIME)) {
            throw config.invalid(key, value, "Invalid " + key + " \"" + value + "\": " + KEEP
                    + " keeps the time namespace, so there is no new one to offset");
        }
        if (shared.contains(Namespace.TIME)) {
            throw config.invalid(key, value, "Invalid " + key + " \"" + value + "\": the time namespace is shared ("
                    + ShareTargets.PREFIX + "time), so there is no new one to offset");
        }
    }

    private static void checkCreatable(ConfigValues config, HostFacts host, KernelNamespaces kernel,
            Set<Namespace> create, String listKey, List<IdMapping> idMaps) {
        for (Namespace ns : create) {
            if (!kernel.has(ns)) {
                throw new UnsupportedFeatureException("Failed to create a " + ns.procName() + " namespace: this kernel "
                        + "has none (/proc/self/ns/" + ns.procName() + " is missing), but " + listKey + " asks for it");
            }
        }
        if (!create.contains(Namespace.USER)) {
            return;
        }
        if (idMaps.isEmpty()) {
            throw config.invalid(listKey, config.value(listKey).orElse(""), "Invalid " + listKey + ": a new user "
                    + "namespace needs " + IdMaps.KEY + " lines for uids and gids (e.g. u 0 100000 65536)");
        }
        if (!host.userNamespaces()) {
            throw new UnsupportedFeatureException("Failed to create a user namespace for " + IdMaps.KEY
                    + ": user namespaces are not available on this host");
        }
    }
}
