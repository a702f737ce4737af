package org.lxj.spi.snapshot;

/** How a provider makes snapshots. */
public enum SnapshotKind {
    /** A full copy; independent of the source, costs time and space ({@code dir}, {@code loop}). */
    COPY,
    /** Copy-on-write; cheap, may keep the source in use ({@code btrfs} subvolumes, {@code overlay}, {@code zfs}). */
    COPY_ON_WRITE
}
