package org.lxj.linux.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;

/** The host's cgroup hierarchies and layout, from mountinfo. */
final class CgroupScan {

    /** cgroup v1 superblock options that are not controllers. */
    private static final Set<String> V1_OPTIONS = Set.of("rw", "ro", "xattr", "noprefix", "clone_children",
            "cpuset_v2_mode", "favordynmods", "nofavordynmods", "nsdelegate");

    private final List<CgroupHierarchy> hierarchies;
    private final CgroupLayout layout;

    /**
     * @param mounts      the mountinfo entries
     * @param controllers reads a cgroup2 mount's root {@code cgroup.controllers} (absolute host path)
     */
    CgroupScan(List<MountEntry> mounts, Function<Path, Optional<String>> controllers) {
        List<CgroupHierarchy> found = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        for (MountEntry m : mounts) {
            boolean v1 = m.fsType().equals("cgroup");
            boolean v2 = m.fsType().equals("cgroup2");
            // a hierarchy bind-mounted twice shows up twice with the same device: keep the first
            if ((v1 || v2) && devices.add(m.device())) {
                found.add(v1 ? new CgroupHierarchy(1, m.mountPoint(), v1Controllers(m.superOptions()))
                        : new CgroupHierarchy(2, m.mountPoint(), words(controllers.apply(
                                m.mountPoint().resolve("cgroup.controllers")).orElse(""))));
            }
        }
        this.hierarchies = List.copyOf(found);
        this.layout = layoutOf(found);
    }

    List<CgroupHierarchy> hierarchies() {
        return hierarchies;
    }

    CgroupLayout layout() {
        return layout;
    }

    static List<String> v1Controllers(String superOptions) {
        return Arrays.stream(superOptions.split(","))
                .filter(o -> !o.isEmpty() && !V1_OPTIONS.contains(o) && !o.startsWith("release_agent="))
                .toList();
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private static CgroupLayout layoutOf(List<CgroupHierarchy> found) {
        boolean v1 = found.stream().anyMatch(h -> h.version() == 1);
        boolean v2 = found.stream().anyMatch(h -> h.version() == 2);
        if (v1 && v2) {
            return CgroupLayout.HYBRID;
        }
        if (v1) {
            return CgroupLayout.LEGACY;
        }
        if (v2) {
            return CgroupLayout.UNIFIED;
        }
        return CgroupLayout.NONE;
    }
}
