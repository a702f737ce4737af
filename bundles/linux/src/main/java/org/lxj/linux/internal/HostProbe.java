package org.lxj.linux.internal;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.Uname;
import org.lxj.spi.host.HostFacts;

/** Gathers {@link HostFacts} from procfs, sysfs and a few syscalls. Reads only; changes nothing. */
final class HostProbe {

    private final HostPaths paths;
    private final Syscalls sys;

    HostProbe(HostPaths paths, Syscalls sys) {
        this.paths = paths;
        this.sys = sys;
    }

    HostFacts probe() {
        Uname u = sys.uname();
        CgroupScan cgroups = cgroups();
        return new HostFacts(u.release(), u.machine(), filesystems(), lsms(), cgroups.layout(),
                cgroups.hierarchies(), userNamespaces(), seccompActions(), landlockAbi());
    }

    CgroupScan cgroups() {
        List<MountEntry> mounts = MountInfo.parse(paths.read("/proc/self/mountinfo").orElse(""));
        return new CgroupScan(mounts, (Path p) -> paths.read(p.toString()));
    }

    /** The second column of {@code /proc/filesystems}. */
    Set<String> filesystems() {
        Set<String> out = new LinkedHashSet<>();
        for (String line : paths.read("/proc/filesystems").orElse("").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (!f[f.length - 1].isEmpty()) {
                out.add(f[f.length - 1]);
            }
        }
        return out;
    }

    /**
     * {@code /sys/kernel/security/lsm} when securityfs is mounted, else {@code lsm_list_modules(2)};
     * empty when neither answers (securityfs unmounted on a kernel before 6.8).
     */
    List<String> lsms() {
        String text = paths.read("/sys/kernel/security/lsm").orElse("").trim();
        if (!text.isEmpty()) {
            return Arrays.stream(text.split(",")).filter(s -> !s.isEmpty()).toList();
        }
        try {
            return sys.lsmListModules().stream().map(LsmIds::name).toList();
        } catch (SyscallException e) {
            return List.of();
        }
    }

    /** The kernel has user namespaces and does not cap their number at zero. */
    boolean userNamespaces() {
        if (!paths.exists("/proc/self/ns/user")) {
            return false;
        }
        String max = paths.read("/proc/sys/user/max_user_namespaces").orElse("").trim();
        return max.isEmpty() || !max.equals("0");
    }

    Set<String> seccompActions() {
        String text = paths.read("/proc/sys/kernel/seccomp/actions_avail").orElse("").trim();
        return text.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.split("\\s+")));
    }

    /** 0 when the kernel has no Landlock or it is disabled ({@code ENOSYS}, {@code EOPNOTSUPP}). */
    int landlockAbi() {
        try {
            return sys.landlockAbiVersion();
        } catch (SyscallException e) {
            return 0;
        }
    }
}
