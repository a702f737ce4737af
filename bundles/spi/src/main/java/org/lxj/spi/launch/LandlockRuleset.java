package org.lxj.spi.launch;

import java.util.List;

/**
 * A Landlock ruleset the launcher creates, fills and enforces with {@code landlock_restrict_self} after
 * {@code no_new_privs} and before seccomp. Rights are the kernel's {@code LANDLOCK_ACCESS_FS_*} and
 * {@code LANDLOCK_ACCESS_NET_*} bits; the contributor masks them to the host's ABI
 * ({@link org.lxj.spi.host.HostFacts#landlockAbi()}) before it adds the ruleset.
 *
 * @param handledFs  filesystem rights the ruleset restricts
 * @param handledNet network rights the ruleset restricts (ABI 4+)
 * @param scoped     {@code LANDLOCK_SCOPE_*} bits (ABI 6+)
 * @param pathRules  paths (inside the container) and the rights allowed beneath them
 * @param portRules  TCP ports and the rights allowed on them
 * @param bestEffort when the kernel has no Landlock, warn and go on instead of failing the start
 */
public record LandlockRuleset(long handledFs, long handledNet, long scoped, List<PathRule> pathRules,
        List<PortRule> portRules, boolean bestEffort) {

    public static final long ACCESS_FS_EXECUTE = 1L;
    public static final long ACCESS_FS_WRITE_FILE = 1L << 1;
    public static final long ACCESS_FS_READ_FILE = 1L << 2;
    public static final long ACCESS_FS_READ_DIR = 1L << 3;
    public static final long ACCESS_FS_REMOVE_DIR = 1L << 4;
    public static final long ACCESS_FS_REMOVE_FILE = 1L << 5;
    public static final long ACCESS_FS_MAKE_CHAR = 1L << 6;
    public static final long ACCESS_FS_MAKE_DIR = 1L << 7;
    public static final long ACCESS_FS_MAKE_REG = 1L << 8;
    public static final long ACCESS_FS_MAKE_SOCK = 1L << 9;
    public static final long ACCESS_FS_MAKE_FIFO = 1L << 10;
    public static final long ACCESS_FS_MAKE_BLOCK = 1L << 11;
    public static final long ACCESS_FS_MAKE_SYM = 1L << 12;
    public static final long ACCESS_FS_REFER = 1L << 13;
    public static final long ACCESS_FS_TRUNCATE = 1L << 14;
    public static final long ACCESS_FS_IOCTL_DEV = 1L << 15;
    public static final long ACCESS_NET_BIND_TCP = 1L;
    public static final long ACCESS_NET_CONNECT_TCP = 1L << 1;
    public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L;
    public static final long SCOPE_SIGNAL = 1L << 1;

    /**
     * Rights allowed beneath a path. Directory-only rights on a regular file make the kernel fail with
     * {@code EINVAL}; the contributor masks them per inode type.
     *
     * @param path    an absolute path inside the container
     * @param allowed rights allowed beneath it, a subset of the ruleset's {@code handledFs}
     */
    public record PathRule(java.nio.file.Path path, long allowed) {
        public PathRule {
            PlanChecks.absolute("Landlock rule path", path);
            if (allowed == 0) {
                throw new PlanValidationException("Landlock rights for " + path, "0", "must allow something");
            }
        }
    }

    /**
     * Rights allowed on a TCP port.
     *
     * @param port    0 to 65535
     * @param allowed rights allowed on it, a subset of the ruleset's {@code handledNet}
     */
    public record PortRule(int port, long allowed) {
        public PortRule {
            if (port < 0 || port > 65535) {
                throw new PlanValidationException("Landlock port", Integer.toString(port), "must be 0 to 65535");
            }
            if (allowed == 0) {
                throw new PlanValidationException("Landlock rights for port " + port, "0", "must allow something");
            }
        }
    }

    public LandlockRuleset {
        pathRules = List.copyOf(pathRules);
        portRules = List.copyOf(portRules);
        if (handledFs == 0 && handledNet == 0 && scoped == 0) {
            throw new PlanValidationException("Landlock ruleset", null, "handles no rights and no scopes");
        }
        for (PathRule r : pathRules) {
            if ((r.allowed() & ~handledFs) != 0) {
                throw new PlanValidationException("Landlock rights for " + r.path(), Long.toHexString(r.allowed()),
                        "not a subset of the handled filesystem rights " + Long.toHexString(handledFs));
            }
        }
        for (PortRule r : portRules) {
            if ((r.allowed() & ~handledNet) != 0) {
                throw new PlanValidationException("Landlock rights for port " + r.port(),
                        Long.toHexString(r.allowed()),
                        "not a subset of the handled network rights " + Long.toHexString(handledNet));
            }
        }
    }
}
