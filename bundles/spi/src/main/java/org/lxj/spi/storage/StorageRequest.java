package org.lxj.spi.storage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a new rootfs must be.
 *
 * @param containerName the container's name
 * @param containerDir  {@code <lxcpath>/<name>}, which exists when {@code create} is called
 * @param options       backend options from {@code lxc-create} ({@code dir}, {@code fstype}, {@code fssize},
 *                      {@code lvname}, {@code vgname}, {@code thinpool}, ...); a backend ignores options
 *                      that are not its own
 */
public record StorageRequest(String containerName, Path containerDir, Map<String, String> options) {
    public StorageRequest {
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(containerDir, "containerDir");
        options = Map.copyOf(options);
    }

    /** An option's value, if given. */
    public Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }
}
