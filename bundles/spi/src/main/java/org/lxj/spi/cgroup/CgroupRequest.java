package org.lxj.spi.cgroup;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where a container's cgroups go, from the system and container configuration.
 *
 * @param containerName the container's name
 * @param pattern       the payload path pattern, {@code %n} the name ({@code lxc.cgroup.pattern},
 *                      default {@code lxc.payload.%n})
 * @param containerDir  an explicit payload path ({@code lxc.cgroup.dir.container} or {@code lxc.cgroup.dir}),
 *                      overriding the pattern
 * @param monitorDir    an explicit monitor path ({@code lxc.cgroup.dir.monitor}); default
 *                      {@code lxc.monitor.<name>} beside the payload
 * @param relative      place both below the caller's own cgroup instead of the hierarchy root
 *                      ({@code lxc.cgroup.relative})
 * @param controllers   controllers to use ({@code lxc.cgroup.use}); empty for all available
 */
public record CgroupRequest(String containerName, String pattern, Optional<String> containerDir,
        Optional<String> monitorDir, boolean relative, Set<String> controllers) {

    public CgroupRequest {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(pattern, "pattern");
        Objects.requireNonNull(containerDir, "containerDir");
        Objects.requireNonNull(monitorDir, "monitorDir");
        controllers = Set.copyOf(controllers);
    }

    /** The payload path, relative to a hierarchy root: the explicit one, or the pattern with {@code %n} filled. */
    public String payloadPath() {
        return containerDir.orElseGet(() -> pattern.replace("%n", containerName));
    }

    /** The monitor path, relative to a hierarchy root: the explicit one, or {@code lxc.monitor.<name>}. */
    public String monitorPath() {
        return monitorDir.orElse("lxc.monitor." + containerName);
    }
}
