package org.lxj.spi.launch;

/**
 * The five capability sets the container's process ends up with, as kernel bit masks (bit N is capability
 * number N; {@link org.lxj.spi.security.Capability#mask} builds them). The launcher applies them in the
 * kernel's order: drop from the bounding set, then {@code capset} permitted/effective/inheritable after the
 * uid change, then raise ambient.
 *
 * @param bounding    the bounding set: the upper limit for anything gained at exec
 * @param permitted   the permitted set; a subset of {@code bounding} unless the launcher keeps caps it already
 *                    holds, which it never needs to
 * @param effective   the effective set, a subset of {@code permitted}
 * @param inheritable the inheritable set; empty unless asked for (CVE-2022-29162)
 * @param ambient     the ambient set, a subset of both {@code permitted} and {@code inheritable}
 */
public record CapabilitySets(long bounding, long permitted, long effective, long inheritable, long ambient) {

    /** No capabilities at all. */
    public static final CapabilitySets NONE = new CapabilitySets(0, 0, 0, 0, 0);

    public CapabilitySets {
        if ((effective & ~permitted) != 0) {
            throw new PlanValidationException("effective capabilities", hex(effective),
                    "not a subset of the permitted set " + hex(permitted));
        }
        if ((ambient & ~(permitted & inheritable)) != 0) {
            throw new PlanValidationException("ambient capabilities", hex(ambient),
                    "not a subset of both the permitted and the inheritable set");
        }
        if ((permitted & ~bounding) != 0) {
            throw new PlanValidationException("permitted capabilities", hex(permitted),
                    "not a subset of the bounding set " + hex(bounding));
        }
    }

    /**
     * What a root process keeps from {@code mask}: bounding, permitted and effective are {@code mask},
     * inheritable and ambient are empty (LXC's behaviour for {@code lxc.cap.drop}/{@code lxc.cap.keep}).
     */
    public static CapabilitySets rootWith(long mask) {
        return new CapabilitySets(mask, mask, mask, 0, 0);
    }

    /** The mask as {@code /proc/PID/status} prints it: 16 hex digits. */
    public static String hex(long mask) {
        return String.format("%016x", mask);
    }
}
