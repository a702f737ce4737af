package org.lxj.spi.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One mounted cgroup hierarchy.
 *
 * @param version     1 or 2
 * @param mountPoint  where it is mounted
 * @param controllers its controllers ({@code name=systemd} style named hierarchies included), for v2 those
 *                    listed in the root's {@code cgroup.controllers}
 */
public record CgroupHierarchy(int version, Path mountPoint, List<String> controllers) {
    public CgroupHierarchy {
        Objects.requireNonNull(mountPoint, "mountPoint");
        controllers = List.copyOf(controllers);
    }
}
