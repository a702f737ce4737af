package org.lxj.spi.security;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The kernel's capabilities with their numbers ({@code linux/capability.h}), up to
 * {@code CAP_CHECKPOINT_RESTORE} (40). {@code lxc.cap.drop} and {@code lxc.cap.keep} name them in lower case
 * without the prefix ({@code sys_admin}) or by number.
 */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO, SYS_CHROOT,
    SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME, SYS_TTY_CONFIG, MKNOD, LEASE,
    AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG, WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ,
    PERFMON, BPF, CHECKPOINT_RESTORE;

    /** The highest capability this enum knows; a host may know more ({@code /proc/sys/kernel/cap_last_cap}). */
    public static final Capability LAST = CHECKPOINT_RESTORE;

    /** The capability's number: its bit in the kernel's masks. */
    public int number() {
        return ordinal();
    }

    /** The kernel's name: {@code CAP_SYS_ADMIN}. */
    public String kernelName() {
        return "CAP_" + name();
    }

    /** The name {@code lxc.cap.drop} uses: {@code sys_admin}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The bit of this capability in a mask. */
    public long bit() {
        return 1L << ordinal();
    }

    /** The capability with this number, if this enum knows it. */
    public static Optional<Capability> ofNumber(int number) {
        Capability[] all = values();
        return number >= 0 && number < all.length ? Optional.of(all[number]) : Optional.empty();
    }

    /**
     * The capability named {@code name}: {@code sys_admin}, {@code SYS_ADMIN}, {@code cap_sys_admin},
     * {@code CAP_SYS_ADMIN} or the number {@code 21}.
     */
    public static Optional<Capability> find(String name) {
        String n = name.trim();
        if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
            try {
                return ofNumber(Integer.parseInt(n));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        n = n.toUpperCase(Locale.ROOT);
        if (n.startsWith("CAP_")) {
            n = n.substring(4);
        }
        try {
            return Optional.of(valueOf(n));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Like {@link #find} but failing.
     *
     * @throws IllegalArgumentException {@code Unknown capability "x"}; callers turn it into a
     *                                  {@link org.lxj.api.ConfigException} with the file and line
     */
    public static Capability parse(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("Unknown capability \"" + name.trim() + "\""));
    }

    /**
     * Parses a blank-separated list as {@code lxc.cap.drop} holds it ({@code "sys_module mac_admin 21"}).
     *
     * @throws IllegalArgumentException naming the first unknown entry
     */
    public static Set<Capability> parseList(String list) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        for (String item : list.trim().split("\\s+")) {
            if (!item.isEmpty()) {
                caps.add(parse(item));
            }
        }
        return caps;
    }

    /** The kernel mask of a set of capabilities. */
    public static long mask(Collection<Capability> caps) {
        long m = 0;
        for (Capability c : caps) {
            m |= c.bit();
        }
        return m;
    }

    /** The capabilities in a kernel mask; bits beyond {@link #LAST} are ignored. */
    public static Set<Capability> fromMask(long mask) {
        Set<Capability> caps = EnumSet.noneOf(Capability.class);
        for (Capability c : values()) {
            if ((mask & c.bit()) != 0) {
                caps.add(c);
            }
        }
        return caps;
    }

    /** The mask of every capability up to {@code lastCap} ({@code /proc/sys/kernel/cap_last_cap}). */
    public static long allUpTo(int lastCap) {
        if (lastCap < 0 || lastCap > 63) {
            throw new IllegalArgumentException("Invalid last capability " + lastCap + ": expected 0 to 63");
        }
        return lastCap == 63 ? -1L : (1L << (lastCap + 1)) - 1;
    }
}
