package org.lxj.spi.cgroup;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * A container's resource use, as {@code lxc-info} prints it ({@code CPU use}, {@code BlkIO use},
 * {@code Memory use}, {@code KMem use}). A value is empty when its controller is not available.
 *
 * @param cpuNanos     CPU time used, nanoseconds ({@code cpuacct.usage}, {@code cpu.stat usage_usec})
 * @param blkioBytes   bytes read and written ({@code blkio.throttle.io_service_bytes} Total, {@code io.stat})
 * @param memoryBytes  memory in use ({@code memory.usage_in_bytes}, {@code memory.current})
 * @param kmemBytes    kernel memory in use ({@code memory.kmem.usage_in_bytes}; {@code memory.stat kernel})
 * @param pids         processes in the cgroup ({@code pids.current})
 */
public record CgroupStats(OptionalLong cpuNanos, OptionalLong blkioBytes, OptionalLong memoryBytes,
        OptionalLong kmemBytes, OptionalLong pids) {

    /** Nothing known. */
    public static final CgroupStats EMPTY = new CgroupStats(OptionalLong.empty(), OptionalLong.empty(),
            OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

    public CgroupStats {
        Objects.requireNonNull(cpuNanos, "cpuNanos");
        Objects.requireNonNull(blkioBytes, "blkioBytes");
        Objects.requireNonNull(memoryBytes, "memoryBytes");
        Objects.requireNonNull(kmemBytes, "kmemBytes");
        Objects.requireNonNull(pids, "pids");
    }
}
