package org.lxj.security.caps.internal;

import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.security.Capability;

/**
 * Computes the capability sets of {@code lxc.cap.drop} and {@code lxc.cap.keep} as LXC does:
 * <ul>
 * <li>{@code keep}: the bounding set is exactly the listed capabilities; {@code none} clears what was listed
 * before it, so {@code none} alone keeps nothing;</li>
 * <li>{@code drop}: the bounding set is every capability of this kernel (up to {@code cap_last_cap}) minus
 * the listed ones;</li>
 * <li>both at once is an error; neither leaves the capabilities alone (no plan step);</li>
 * <li>permitted and effective equal the bounding set for a root init and are empty for any other uid (the
 * kernel clears them at the uid change and the exec of a plain binary); inheritable and ambient stay empty
 * (CVE-2022-29162).</li>
 * </ul>
 * Entries are capability names without {@code CAP_} ({@code sys_admin}), with it, or numbers. A number must
 * exist on this kernel; a name this kernel does not know yet is skipped, as LXC skips it.
 */
final class CapabilityPolicy {

    static final String DROP = "lxc.cap.drop";
    static final String KEEP = "lxc.cap.keep";

    private CapabilityPolicy() {
    }

    /** The sets for {@code config} with init running as {@code uid}; empty when neither key is set. */
    static Optional<CapabilitySets> compute(ContainerConfig config, int lastCap, long uid) {
        boolean drop = isSet(config, DROP);
        boolean keep = isSet(config, KEEP);
        if (drop && keep) {
            String later = ConfigErrors.lineOf(config, DROP) > ConfigErrors.lineOf(config, KEEP) ? DROP : KEEP;
            throw ConfigErrors.invalid(config, later, config.value(later).orElse(""),
                    "Keeping and dropping capabilities are mutually exclusive: use either " + KEEP + " or " + DROP);
        }
        if (!drop && !keep) {
            return Optional.empty();
        }
        long full = Capability.allUpTo(lastCap);
        long bounding = keep ? keepMask(config, lastCap) : full & ~dropMask(config, lastCap);
        long permitted = uid == 0 ? bounding : 0;
        return Optional.of(new CapabilitySets(bounding, permitted, permitted, 0, 0));
    }

    /** Whether {@code key} has a value; a blank one is a clearing line, not a list. */
    static boolean isSet(ContainerConfig config, String key) {
        return config.values(key).stream().anyMatch(v -> !v.isBlank());
    }

    private static long keepMask(ContainerConfig config, int lastCap) {
        long mask = 0;
        for (String value : config.values(KEEP)) {
            for (String token : tokens(value)) {
                mask = token.equals("none") ? 0 : mask | bit(config, KEEP, value, token, lastCap);
            }
        }
        return mask;
    }

    private static long dropMask(ContainerConfig config, int lastCap) {
        long mask = 0;
        for (String value : config.values(DROP)) {
            for (String token : tokens(value)) {
                if (token.equals("none")) {
                    throw ConfigErrors.invalid(config, DROP, value, "Invalid " + DROP + " \"" + value
                            + "\": \"none\" is only valid for " + KEEP);
                }
                mask |= bit(config, DROP, value, token, lastCap);
            }
        }
        return mask;
    }

    private static String[] tokens(String value) {
        String v = value.trim();
        return v.isEmpty() ? new String[0] : v.split("\\s+");
    }

    /** The bit of one entry; 0 for a named capability beyond this kernel's last one. */
    private static long bit(ContainerConfig config, String key, String value, String token, int lastCap) {
        if (token.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int n = token.length() > 2 ? Integer.MAX_VALUE : Integer.parseInt(token);
            if (n > lastCap) {
                throw ConfigErrors.invalid(config, key, value, "Invalid capability " + token + " in " + key
                        + ": this kernel's capabilities are numbered 0 to " + lastCap);
            }
            return 1L << n;
        }
        Capability cap = Capability.find(token).orElseThrow(() -> ConfigErrors.invalid(config, key, value,
                "Invalid capability \"" + token + "\" in " + key + ": expected a name such as sys_admin or "
                        + "net_raw (capabilities(7) without CAP_), a number, or none for " + KEEP));
        return cap.number() > lastCap ? 0 : cap.bit();
    }
}
