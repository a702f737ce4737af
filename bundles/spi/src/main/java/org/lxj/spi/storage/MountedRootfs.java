package org.lxj.spi.storage;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A rootfs ready for the launcher.
 *
 * @param path        the directory the container's {@code /} will be
 * @param needsUnmount whether {@link StorageBackend#unmount} must be called after the container stops
 */
public record MountedRootfs(Path path, boolean needsUnmount) {
    public MountedRootfs {
        Objects.requireNonNull(path, "path");
    }
}
