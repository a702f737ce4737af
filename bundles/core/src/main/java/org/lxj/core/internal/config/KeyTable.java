package org.lxj.core.internal.config;

import static org.lxj.core.internal.config.KeySpec.Print.*;
import static org.lxj.core.internal.config.KeySpec.Shape.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.core.internal.config.KeySpec.Print;

/**
 * Every key LXC's {@code config_jump_table[]} knows (HEAD), the {@code lxc.net.N.*} subkeys of
 * {@code config_jump_table_net[]}, their value types and how they print.
 */
final class KeyTable {
    static final String NET = "lxc.net";
    static final List<String> HOOK_TYPES = List.of("pre-start", "pre-mount", "mount", "autodev", "start-host",
            "start", "stop", "post-stop", "clone", "destroy");

    private static final Map<String, KeySpec> EXACT_KEYS = new LinkedHashMap<>();
    private static final List<KeySpec> PREFIXES = new ArrayList<>();
    private static final Map<String, NetSpec> NET_KEYS = new LinkedHashMap<>();

    /** A {@code lxc.net.N.SUB} row: the spec plus the NIC type it is valid for (null = all types). */
    record NetSpec(KeySpec spec, String onlyType) {
    }

    /**
     * A key resolved against the table.
     *
     * @param key      the canonical key
     * @param spec     its row
     * @param netIndex the NIC index for {@code lxc.net.N[.SUB]}, else -1
     * @param netSub   the subkey for {@code lxc.net.N.SUB}, else null
     * @param onlyType the NIC type a net subkey requires, else null
     */
    record Resolved(String key, KeySpec spec, int netIndex, String netSub, String onlyType) {
    }

    static {
        exact("lxc.include", true, ValueCheck.ANY, INVALID, null);
        exact("lxc.arch", false, Checks.arch(), ARCH, "");
        exact("lxc.apparmor.profile", false, Checks.apparmorProfile(), TEXT, "");
        exact("lxc.apparmor.allow_incomplete", false, Checks.bool(), NUMBER, "0");
        exact("lxc.apparmor.allow_nesting", false, Checks.bool(), NUMBER, "0");
        exact("lxc.apparmor.raw", true, Checks.text(), LINES, "");
        exact("lxc.autodev", false, Checks.uint(0, 2, "0, 1 or 2"), NUMBER, "1");
        exact("lxc.autodev.tmpfs.size", false, Checks.uint(0, Integer.MAX_VALUE, "a size in bytes"), NUMBER, "0");
        exact("lxc.cap.drop", true, Checks.caps(false), TOKENS, "");
        exact("lxc.cap.keep", true, Checks.caps(true), TOKENS, "");
        root("lxc.cgroup2");
        prefix("lxc.cgroup2", Checks.cgroupSetting("lxc.cgroup2."), FAMILY_LINES);
        exact("lxc.cgroup.dir.monitor.pivot", false, Checks.relativePath("cgroup path"), TEXT, "");
        exact("lxc.cgroup.dir.monitor", false, Checks.relativePath("cgroup path"), TEXT, "");
        exact("lxc.cgroup.dir.container.inner", false, Checks.relativePath("cgroup path"), TEXT, "");
        exact("lxc.cgroup.dir.container", false, Checks.relativePath("cgroup path"), TEXT, "");
        exact("lxc.cgroup.dir", false, Checks.relativePath("cgroup path"), TEXT, "");
        exact("lxc.cgroup.relative", false, Checks.bool(), NUMBER, "0");
        root("lxc.cgroup");
        prefix("lxc.cgroup", Checks.cgroupSetting("lxc.cgroup."), FAMILY_LINES);
        exact("lxc.console.buffer.size", false, Checks.sizeOrAuto(), SIZE, "0");
        exact("lxc.console.logfile", false, Checks.absolutePath("console log file"), TEXT, "");
        exact("lxc.console.path", false, Checks.consolePath(), TEXT, "");
        exact("lxc.console.rotate", false, Checks.bool(), NUMBER, "0");
        exact("lxc.console.size", false, Checks.sizeOrAuto(), SIZE, "0");
        exact("lxc.sched.core", false, Checks.bool(), NUMBER, "0");
        exact("lxc.environment", true, Checks.environment(), LINES, "");
        exact("lxc.environment.runtime", true, Checks.environment(), LINES, "");
        exact("lxc.environment.hooks", true, Checks.environment(), LINES, "");
        exact("lxc.ephemeral", false, Checks.bool(), NUMBER, "0");
        exact("lxc.execute.cmd", false, Checks.text(), TEXT, "");
        exact("lxc.group", true, Checks.word("group name"), LINES, "");
        root("lxc.hook");
        for (String type : HOOK_TYPES) {
            EXACT_KEYS.put("lxc.hook." + type, new KeySpec("lxc.hook." + type, EXACT, true, Checks.text(), LINES,
                    "", "lxc.hook"));
        }
        exact("lxc.hook.version", false, Checks.bool(), NUMBER, "0");
        exact("lxc.idmap", true, Checks.idmap(), JOINED, "");
        exact("lxc.init.cmd", false, Checks.text(), TEXT, "");
        exact("lxc.init.gid", false, Checks.uint(0, 0xFFFFFFFEL, "a group id"), NUMBER, "0");
        exact("lxc.init.groups", true, Checks.gidList(), TEXT, "");
        exact("lxc.init.uid", false, Checks.uint(0, 0xFFFFFFFEL, "a user id"), NUMBER, "0");
        exact("lxc.init.cwd", false, Checks.absolutePath("working directory"), TEXT, "");
        exact("lxc.keyring.session", false, Checks.bool(), NUMBER, "0");
        exact("lxc.log.file", false, Checks.absolutePath("log file"), TEXT, "");
        exact("lxc.log.level", false, Checks.logLevel(), LOG_LEVEL, "NOTSET");
        exact("lxc.log.syslog", false, Checks.syslogFacility(), TEXT, "");
        exact("lxc.monitor.unshare", false, Checks.bool(), NUMBER, "0");
        exact("lxc.monitor.signal.pdeath", false, Checks.signal(true), SIGNAL, "9");
        exact("lxc.mount.auto", true, Checks.mountAuto(), MOUNT_AUTO, "");
        exact("lxc.mount.entry", true, Checks.mountEntry(), LINES, "");
        exact("lxc.mount.fstab", false, Checks.text(), TEXT, "");
        exact("lxc.namespace.clone", true, Checks.namespaces(), NAMESPACES, "");
        exact("lxc.namespace.keep", true, Checks.namespaces(), NAMESPACES, "");
        prefix("lxc.namespace.share", Checks.namespaceShare(), FAMILY_LAST);
        exact("lxc.time.offset.boot", false, Checks.timeOffset(), TIME_BOOT, "");
        exact("lxc.time.offset.monotonic", false, Checks.timeOffset(), TIME_MONOTONIC, "");
        exact("lxc.no_new_privs", false, Checks.bool(), NUMBER, "0");
        root("lxc.prlimit");
        prefix("lxc.prlimit", Checks.prlimit(), FAMILY_LAST);
        exact("lxc.pty.max", false, Checks.uint(0, Integer.MAX_VALUE, "a number of ptys"), NUMBER, "0");
        exact("lxc.rootfs.managed", false, Checks.bool(), NUMBER, "1");
        exact("lxc.rootfs.mount", false, Checks.absolutePath("rootfs mount point"), TEXT, "");
        exact("lxc.rootfs.options", false, Checks.word("mount options"), TEXT, "");
        exact("lxc.rootfs.path", false, Checks.rootfsPath(), ROOTFS_PATH, "");
        exact("lxc.seccomp.allow_nesting", false, Checks.bool(), NUMBER, "0");
        exact("lxc.seccomp.notify.cookie", false, Checks.word("seccomp notify cookie"), TEXT, "");
        exact("lxc.seccomp.notify.proxy", false, Checks.notifyProxy(), TEXT, "");
        exact("lxc.seccomp.profile", false, Checks.text(), TEXT, "");
        exact("lxc.selinux.context.keyring", false, Checks.word("SELinux context"), TEXT, "");
        exact("lxc.selinux.context", false, Checks.word("SELinux context"), TEXT, "");
        // Landlock (org.lxj.security.landlock, beyond LXC): lists of paths and ports, blank-separated
        exact("lxj.landlock.fs.ro", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.fs.exec", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.fs.rw", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.net.bind", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.net.connect", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.scope", true, Checks.text(), TOKENS, "");
        exact("lxj.landlock.best_effort", false, Checks.bool(), NUMBER, "1");
        exact("lxc.signal.halt", false, Checks.signal(false), SIGNAL, "0");
        exact("lxc.signal.reboot", false, Checks.signal(false), SIGNAL, "0");
        exact("lxc.signal.stop", false, Checks.signal(false), SIGNAL, "0");
        exact("lxc.start.auto", false, Checks.bool(), NUMBER, "0");
        exact("lxc.start.delay", false, Checks.uint(0, Integer.MAX_VALUE, "a delay in seconds"), NUMBER, "0");
        exact("lxc.start.order", false, Checks.intRange(Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer"),
                NUMBER, "0");
        exact("lxc.tty.dir", false, Checks.relativePath("tty directory"), TEXT, "");
        exact("lxc.tty.max", false, Checks.uint(0, 1024, "a number of ttys"), NUMBER, "0");
        exact("lxc.uts.name", false, Checks.utsName(), TEXT, "");
        root("lxc.sysctl");
        prefix("lxc.sysctl", Checks.subkeyed("lxc.sysctl.", "sysctl", Checks.text()), FAMILY_LAST);
        root("lxc.proc");
        prefix("lxc.proc", Checks.subkeyed("lxc.proc.", "/proc file", Checks.text()), FAMILY_LAST);

        net("type", false, Checks.oneOf("network type", Checks.NET_TYPES.toArray(String[]::new)), TEXT, "", null);
        net("flags", false, Checks.netFlags(), TEXT, "", null);
        net("link", false, Checks.ifName("link"), TEXT, "", null);
        net("l2proxy", false, Checks.bool(), NUMBER, "0", null);
        net("name", false, Checks.ifName("interface name"), TEXT, "", null);
        net("macvlan.mode", false, Checks.oneOf("macvlan mode", "private", "vepa", "bridge", "passthru"), TEXT, "",
                "macvlan");
        net("ipvlan.mode", false, Checks.oneOf("ipvlan mode", "l3", "l3s", "l2"), TEXT, "l3", "ipvlan");
        net("ipvlan.isolation", false, Checks.oneOf("ipvlan isolation", "bridge", "private", "vepa"), TEXT,
                "bridge", "ipvlan");
        net("hwaddr", false, Checks.hwaddr(), TEXT, "", null);
        net("vlan.id", false, Checks.uint(0, 4094, "a VLAN id"), NUMBER, "0", "vlan");
        net("mtu", false, Checks.uint(68, 65535, "an MTU"), TEXT, "", null);
        net("ipv4.address", true, Checks.ipv4Address(), JOINED, "", null);
        net("ipv4.gateway", false, Checks.gateway(false), TEXT, "", null);
        net("ipv6.address", true, Checks.ipv6Address(), JOINED, "", null);
        net("ipv6.gateway", false, Checks.gateway(true), TEXT, "", null);
        net("script.up", false, Checks.text(), TEXT, "", null);
        net("script.down", false, Checks.text(), TEXT, "", null);
        net("veth.pair", false, Checks.ifName("veth peer name"), TEXT, "", "veth");
        net("veth.mode", false, Checks.oneOf("veth mode", "bridge", "router"), TEXT, "bridge", "veth");
        net("veth.ipv4.route", true, Checks.ipv4Route(), LINES, "", "veth");
        net("veth.ipv6.route", true, Checks.ipv6Route(), LINES, "", "veth");
        net("veth.vlan.id", false, Checks.vlanIdOrNone(), NUMBER, "0", "veth");
        net("veth.vlan.tagged.id", true, Checks.uint(1, 4094, "a VLAN id"), LINES, "", "veth");
        net("veth.n_rxqueues", false, Checks.uint(1, 65535, "a queue count"), TEXT, "", "veth");
        net("veth.n_txqueues", false, Checks.uint(1, 65535, "a queue count"), TEXT, "", "veth");
    }

    private KeyTable() {
    }

    private static void exact(String name, boolean list, ValueCheck check, Print print, String unset) {
        EXACT_KEYS.put(name, new KeySpec(name, EXACT, list, check, print, unset, null));
    }

    private static void root(String name) {
        EXACT_KEYS.put(name, new KeySpec(name, ROOT, true, ValueCheck.ANY, FAMILY, "", name));
    }

    private static void prefix(String name, ValueCheck check, Print print) {
        PREFIXES.add(new KeySpec(name, PREFIX, print == FAMILY_LINES, check, print, "", name));
    }

    private static void net(String sub, boolean list, ValueCheck check, Print print, String unset, String type) {
        NET_KEYS.put(sub, new NetSpec(new KeySpec(NET + ".N." + sub, EXACT, list, check, print, unset, NET), type));
    }

    /** The exact keys of the table (without prefixes and net subkeys), in table order. */
    static List<String> exactKeys() {
        return Collections.unmodifiableList(new ArrayList<>(EXACT_KEYS.keySet()));
    }

    /** The {@code lxc.net.N.*} subkeys, in table order. */
    static List<String> netSubkeys() {
        return Collections.unmodifiableList(new ArrayList<>(NET_KEYS.keySet()));
    }

    /** The NIC type a net subkey requires, or null when it is valid for every type. */
    static String netSubkeyType(String sub) {
        NetSpec n = NET_KEYS.get(sub);
        return n == null ? null : n.onlyType();
    }

    /** Resolves a canonical key, or empty when LXC does not know it. */
    static Optional<Resolved> resolve(String key) {
        KeySpec spec = EXACT_KEYS.get(key);
        if (spec != null) {
            return Optional.of(new Resolved(key, spec, -1, null, null));
        }
        if (key.equals(NET)) {
            return Optional.of(new Resolved(key, new KeySpec(NET, ROOT, true, ValueCheck.ANY, Print.FAMILY, "", NET),
                    -1, null, null));
        }
        if (key.startsWith(NET + ".")) {
            return resolveNet(key);
        }
        for (KeySpec p : PREFIXES) {
            if (key.startsWith(p.name() + ".") && key.length() > p.name().length() + 1) {
                return Optional.of(new Resolved(key, p, -1, null, null));
            }
        }
        return Optional.empty();
    }

    private static Optional<Resolved> resolveNet(String key) {
        String rest = key.substring(NET.length() + 1);
        int dot = rest.indexOf('.');
        String index = dot < 0 ? rest : rest.substring(0, dot);
        if (!Numbers.isDigits(index) || index.length() > 4 || (index.length() > 1 && index.startsWith("0"))) {
            return Optional.empty();
        }
        int n = Integer.parseInt(index);
        if (dot < 0) {
            KeySpec nic = new KeySpec(key, ROOT, true, ValueCheck.ANY, Print.INVALID, "", key);
            return Optional.of(new Resolved(key, nic, n, null, null));
        }
        String sub = rest.substring(dot + 1);
        NetSpec ns = NET_KEYS.get(sub);
        if (ns == null) {
            return Optional.empty();
        }
        return Optional.of(new Resolved(key, ns.spec(), n, sub, ns.onlyType()));
    }
}
