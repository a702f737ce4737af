package org.lxj.spi.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a new rootfs copied from an existing one must be ({@code lxc-copy}, {@code lxc-snapshot} on a backend
 * without copy-on-write, {@code lxc-create -B X} from another backend).
 *
 * @param sourceRootfsPath the source's {@code lxc.rootfs.path} value
 * @param sourceMounted    the source's contents as a directory, mounted by core through the source's backend;
 *                         a backend that copies files reads from here, one that copies blocks may ignore it
 * @param containerName    the new container's name
 * @param containerDir     the new container's directory, which exists when {@code copy} is called
 * @param options          backend options as in {@link StorageRequest#options()}
 * @param newSize          a new size in bytes ({@code --fssize}) for backends with
 *                         {@link StorageCapability#RESIZE}; empty keeps the source's
 */
public record StorageCopyRequest(String sourceRootfsPath, Path sourceMounted, String containerName,
        Path containerDir, Map<String, String> options, OptionalLong newSize) {

    public StorageCopyRequest {
        Objects.requireNonNull(sourceRootfsPath, "sourceRootfsPath");
        Objects.requireNonNull(sourceMounted, "sourceMounted");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(containerDir, "containerDir");
        options = Map.copyOf(options);
        Objects.requireNonNull(newSize, "newSize");
    }

    /** An option's value, if given. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
