package org.lxj.spi.launch;

/**
 * A write to the process's LSM attributes just before the exec, as an LSM backend computed it. The launcher
 * writes {@code value} to {@code /proc/thread-self/attr/<lsm>/<attribute>}, falling back to
 * {@code /proc/thread-self/attr/<attribute>}, through a verified procfs handle. The value's format belongs
 * to the backend (AppArmor: {@code exec lxc-container-default}; SELinux: a context); the launcher only
 * writes it.
 *
 * @param lsm       the LSM's name as {@code /sys/kernel/security/lsm} lists it ({@code apparmor}, {@code selinux})
 * @param attribute the attribute file: {@code exec}, {@code current}, {@code keycreate}, {@code sockcreate}
 * @param value     the bytes to write, as text
 * @param optional  when the LSM rejects the write (absent or disabled), warn and go on instead of failing
 */
public record LsmLabel(String lsm, String attribute, String value, boolean optional) {
    public LsmLabel {
        PlanChecks.nonEmpty("LSM name", lsm);
        PlanChecks.nonEmpty("LSM attribute", attribute);
        PlanChecks.nonEmpty("LSM label", value);
        if (!lsm.matches("[a-z0-9_]+")) {
            throw new PlanValidationException("LSM name", lsm, "expected a name such as apparmor or selinux");
        }
        if (!attribute.matches("[a-z]+")) {
            throw new PlanValidationException("LSM attribute", attribute, "expected a name such as exec");
        }
    }
}
