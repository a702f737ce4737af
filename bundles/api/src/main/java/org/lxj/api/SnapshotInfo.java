package org.lxj.api;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One snapshot of a container, as {@code lxc-snapshot -L} lists it.
 *
 * @param name      {@code snapN}
 * @param lxcpath   the directory holding it ({@code <lxcpath>/<container>/snaps})
 * @param timestamp when it was taken, as LXC writes its {@code ts} file ({@code 2026:11:28 23:26:22})
 * @param comment   the text of its {@code comment} file, when it has one
 * @since 1.5
 */
public record SnapshotInfo(String name, Path lxcpath, String timestamp, Optional<String> comment) {
    public SnapshotInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lxcpath, "lxcpath");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(comment, "comment");
    }
}
