package org.lxj.spi.launch;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * The kernel's namespace types, with their {@code clone(2)} flag and their name under {@code /proc/PID/ns}
 * (the names {@code lxc.namespace.clone}, {@code lxc.namespace.keep} and {@code lxc.namespace.share.*} use).
 */
public enum Namespace {
    MOUNT("mnt", 0x0002_0000L),
    UTS("uts", 0x0400_0000L),
    IPC("ipc", 0x0800_0000L),
    USER("user", 0x1000_0000L),
    PID("pid", 0x2000_0000L),
    NET("net", 0x4000_0000L),
    CGROUP("cgroup", 0x0200_0000L),
    TIME("time", 0x0000_0080L);

    private final String procName;
    private final long cloneFlag;

    Namespace(String procName, long cloneFlag) {
        this.procName = procName;
        this.cloneFlag = cloneFlag;
    }

    /** The file name under {@code /proc/PID/ns}: {@code mnt}, {@code net}, ... */
    public String procName() {
        return procName;
    }

    /** The {@code CLONE_NEW*} flag. */
    public long cloneFlag() {
        return cloneFlag;
    }

    /** The namespace with this {@code /proc/PID/ns} name, case-insensitively; also accepts the enum name. */
    public static Optional<Namespace> find(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Namespace ns : values()) {
            if (ns.procName.equals(n) || ns.name().toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(ns);
            }
        }
        return Optional.empty();
    }

    /** The {@code clone(2)} flags for a set of namespaces, OR-ed. */
    public static long cloneFlags(Collection<Namespace> namespaces) {
        long flags = 0;
        for (Namespace ns : namespaces) {
            flags |= ns.cloneFlag;
        }
        return flags;
    }
}
