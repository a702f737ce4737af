package org.lxj.spi.snapshot;

import java.util.Objects;

/**
 * A snapshot or clone that was made.
 *
 * @param rootfsPath      the new {@code lxc.rootfs.path} value
 * @param dependsOnSource whether the result keeps using the source (an overlay lower directory, a non-thin LVM
 *                        snapshot); core then records it in {@code lxc_snapshots}/{@code lxc_rdepends} and
 *                        refuses to destroy the source while it exists
 */
public record SnapshotResult(String rootfsPath, boolean dependsOnSource) {
    public SnapshotResult {
        Objects.requireNonNull(rootfsPath, "rootfsPath");
    }
}
