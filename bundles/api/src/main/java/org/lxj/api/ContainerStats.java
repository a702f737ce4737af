package org.lxj.api;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A running container's resource use, as {@code lxc-info -S} prints it. A value is empty when the host lacks its
 * controller.
 *
 * @param cpuNanos    CPU time used, nanoseconds ({@code CPU use})
 * @param blkioBytes  bytes read and written on block devices ({@code BlkIO use})
 * @param memoryBytes memory in use ({@code Memory use})
 * @param kmemBytes   kernel memory in use ({@code KMem use})
 * @since 1.4
 */
public record ContainerStats(OptionalLong cpuNanos, OptionalLong blkioBytes, OptionalLong memoryBytes,
        OptionalLong kmemBytes) {

    public ContainerStats {
        Objects.requireNonNull(cpuNanos, "cpuNanos");
        Objects.requireNonNull(blkioBytes, "blkioBytes");
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(kmemBytes, "kmemBytes");
    }
}
