package org.lxj.spi.cgroup;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A container's cgroups as one backend made them. Core stores {@link #payload()} and {@link #monitor()} with
 * the backend type in {@code state.json} and gets the handle back after a restart with
 * {@link CgroupBackend#reopen}. The directory lists are the same for every backend: one entry per hierarchy
 * the backend manages (one for v2, one per mounted controller hierarchy for v1).
 *
 * @param containerName      the container's name
 * @param payload            the payload cgroup's path relative to each hierarchy root ({@code lxc.payload.web})
 * @param monitor            the monitor cgroup's path relative to each hierarchy root ({@code lxc.monitor.web})
 * @param payloadDirectories the payload cgroup's directory in each hierarchy
 * @param monitorDirectories the monitor cgroup's directory in each hierarchy
 */
public record CgroupHandle(String containerName, String payload, String monitor, List<Path> payloadDirectories,
        List<Path> monitorDirectories) {

    public CgroupHandle {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(monitor, "monitor");
        payloadDirectories = List.copyOf(payloadDirectories);
        monitorDirectories = List.copyOf(monitorDirectories);
    }
}
