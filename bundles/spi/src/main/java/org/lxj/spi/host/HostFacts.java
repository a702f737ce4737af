package org.lxj.spi.host;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What backends need to know about the host, probed once by the linux bundle and published as a service.
 *
 * @param kernelRelease   {@code uname -r}
 * @param architecture    {@code uname -m}
 * @param filesystems     names from {@code /proc/filesystems} ({@code overlay}, {@code btrfs}, ...)
 * @param lsms            active LSMs in order ({@code lockdown, capability, landlock, bpf})
 * @param cgroupLayout    legacy, hybrid, unified or none
 * @param cgroups         every mounted cgroup hierarchy
 * @param userNamespaces  whether unprivileged/privileged user namespaces can be created
 * @param seccompActions  actions from {@code /proc/sys/kernel/seccomp/actions_avail}
 * @param landlockAbi     the Landlock ABI version, 0 when Landlock is unavailable
 */
public record HostFacts(String kernelRelease, String architecture, Set<String> filesystems, List<String> lsms,
        CgroupLayout cgroupLayout, List<CgroupHierarchy> cgroups, boolean userNamespaces, Set<String> seccompActions,
        int landlockAbi) {

    public HostFacts {
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(cgroupLayout, "cgroupLayout");
        filesystems = Set.copyOf(filesystems);
        lsms = List.copyOf(lsms);
        cgroups = List.copyOf(cgroups);
        seccompActions = Set.copyOf(seccompActions);
    }

    /** Whether {@code /proc/filesystems} lists {@code name}. */
    public boolean supportsFilesystem(String name) {
        return filesystems.contains(name);
    }
}
