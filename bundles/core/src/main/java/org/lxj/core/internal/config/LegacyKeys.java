package org.lxj.core.internal.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Pre-3.0 key names and their current names, as LXC's {@code lxc-update-config} maps them.
 * Network keys ({@code lxc.network.*}) need the NIC index and are translated by the parser and the updater.
 */
final class LegacyKeys {
    static final Map<String, String> RENAMED = Map.ofEntries(
            Map.entry("lxc.utsname", "lxc.uts.name"),
            Map.entry("lxc.rootfs", "lxc.rootfs.path"),
            Map.entry("lxc.pts", "lxc.pty.max"),
            Map.entry("lxc.tty", "lxc.tty.max"),
            Map.entry("lxc.devttydir", "lxc.tty.dir"),
            Map.entry("lxc.id_map", "lxc.idmap"),
            Map.entry("lxc.aa_profile", "lxc.apparmor.profile"),
            Map.entry("lxc.aa_allow_incomplete", "lxc.apparmor.allow_incomplete"),
            Map.entry("lxc.se_context", "lxc.selinux.context"),
            Map.entry("lxc.mount", "lxc.mount.fstab"),
            Map.entry("lxc.seccomp", "lxc.seccomp.profile"),
            Map.entry("lxc.console", "lxc.console.path"),
            Map.entry("lxc.haltsignal", "lxc.signal.halt"),
            Map.entry("lxc.rebootsignal", "lxc.signal.reboot"),
            Map.entry("lxc.stopsignal", "lxc.signal.stop"),
            Map.entry("lxc.syslog", "lxc.log.syslog"),
            Map.entry("lxc.loglevel", "lxc.log.level"),
            Map.entry("lxc.logfile", "lxc.log.file"),
            Map.entry("lxc.init_cmd", "lxc.init.cmd"),
            Map.entry("lxc.init_uid", "lxc.init.uid"),
            Map.entry("lxc.init_gid", "lxc.init.gid"),
            Map.entry("lxc.network", "lxc.net"));

    /** Keys that no longer mean anything; they are dropped with a warning. */
    static final Set<String> DROPPED = Set.of("lxc.rootfs.backend", "lxc.pivotdir", "lxc.kmsg");

    static final String LIMIT = "lxc.limit.";
    static final String NETWORK = "lxc.network.";

    private LegacyKeys() {
    }

    /** The current name of a legacy key that needs no NIC index, if it is one. */
    static Optional<String> rename(String key) {
        String renamed = RENAMED.get(key);
        if (renamed != null) {
            return Optional.of(renamed);
        }
        if (key.startsWith(LIMIT) && key.length() > LIMIT.length()) {
            return Optional.of("lxc.prlimit." + key.substring(LIMIT.length()));
        }
        return Optional.empty();
    }

    /**
     * Splits a legacy {@code lxc.network[.N].SUB} key.
     *
     * @return {index or -1 when unindexed, current subkey}, or empty when the key is not a network key
     */
    static Optional<NetworkKey> network(String key) {
        if (!key.startsWith(NETWORK)) {
            return Optional.empty();
        }
        String rest = key.substring(NETWORK.length());
        int index = -1;
        int dot = rest.indexOf('.');
        String head = dot < 0 ? rest : rest.substring(0, dot);
        if (Numbers.isDigits(head) && head.length() <= 4) {
            index = Integer.parseInt(head);
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        if (rest.equals("ipv4") || rest.equals("ipv6")) {
            rest = rest + ".address";
        }
        return Optional.of(new NetworkKey(index, rest));
    }

    /** A legacy network key: its explicit index (or -1) and its current subkey (empty for {@code lxc.network.N}). */
    record NetworkKey(int index, String sub) {
    }
}
