package org.lxj.spi.snapshot;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where a snapshot (or a restored container) goes.
 *
 * @param name    its name: {@code snapN} for a snapshot, the new container's name for a restore or clone
 * @param dir     its directory ({@code <lxcpath>/<name>/snaps/snapN}, or {@code <lxcpath>/<new>}), which exists
 * @param options backend options ({@code lxc-copy -B} options), ignored when not the provider's own
 */
public record SnapshotTarget(String name, Path dir, Map<String, String> options) {
    public SnapshotTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dir, "dir");
        options = Map.copyOf(options);
    }
}
