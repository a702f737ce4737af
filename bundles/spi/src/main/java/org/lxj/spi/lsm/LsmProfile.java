package org.lxj.spi.lsm;

import java.util.Objects;

/**
 * The confinement an LSM backend chose for a container.
 *
 * @param lsm       the LSM's name as {@code /sys/kernel/security/lsm} lists it ({@code apparmor}, {@code selinux})
 * @param label     the profile name or context the container's processes get ({@code lxc-container-default-cgns},
 *                  {@code system_u:system_r:lxc_t:s0:c22}, {@code unconfined})
 * @param generated whether the backend generated the profile for this container; then {@link LsmBackend#prepare}
 *                  loads it and {@link LsmBackend#cleanup} unloads it
 * @param optional  a failure to apply it is a warning rather than an error ({@code lxc.apparmor.allow_incomplete},
 *                  or an explicit opt-in on a development host)
 */
public record LsmProfile(String lsm, String label, boolean generated, boolean optional) {
    public LsmProfile {
        Objects.requireNonNull(lsm, "lsm");
        Objects.requireNonNull(label, "label");
        if (lsm.isEmpty() || label.isEmpty()) {
            throw new IllegalArgumentException("Invalid LSM profile \"" + lsm + ":" + label + "\": empty name");
        }
    }
}
