package org.lxj.linux.check;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Checks what this kernel offers containers, section by section as {@code lxc-checkconfig} does, plus
 * an {@code LXJ} section (seccomp, Landlock, LSMs, filesystems, cgroup layout). Reads only.
 */
@ProviderType
public interface HostChecker {

    /**
     * Uses the kernel configuration where lxc-checkconfig looks ({@code /proc/config.gz}, then
     * {@code /lib/modules/<release>/build/.config}, {@code /boot/config-<release>}); where none exists,
     * probes the running kernel instead.
     */
    CheckReport check();

    /** Uses this kernel configuration (plain or gzip), like {@code CONFIG=path lxc-checkconfig}. */
    CheckReport check(Path kernelConfig);

    /** Ignores any kernel configuration and probes the running kernel (procfs, sysfs, kallsyms). */
    CheckReport checkRunningKernel();
}
