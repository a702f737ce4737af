package org.lxj.linux.internal;

import java.util.Map;

/** Names of the {@code LSM_ID_*} values of {@code include/uapi/linux/lsm.h}. */
final class LsmIds {
    private static final Map<Long, String> NAMES = Map.ofEntries(Map.entry(100L, "capability"),
            Map.entry(101L, "selinux"), Map.entry(102L, "smack"), Map.entry(103L, "tomoyo"),
            Map.entry(104L, "apparmor"), Map.entry(105L, "yama"), Map.entry(106L, "loadpin"),
            Map.entry(107L, "safesetid"), Map.entry(108L, "lockdown"), Map.entry(109L, "bpf"),
            Map.entry(110L, "landlock"), Map.entry(111L, "ima"), Map.entry(112L, "evm"), Map.entry(113L, "ipe"));

    private LsmIds() {
    }

    /** The LSM's name as {@code /sys/kernel/security/lsm} spells it; {@code lsm-<id>} when unknown. */
    static String name(long id) {
        return NAMES.getOrDefault(id, "lsm-" + id);
    }
}
