package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.lxj.core.internal.layout.OneDeviceRemover;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/**
 * A storage backend over plain directories that records its calls: {@code <type>:<dir>/rootfs}. It can be told
 * to fail its create, or to be unavailable on the host.
 */
public class FakeStorage implements StorageBackend {
    final String type;
    final List<String> created = new CopyOnWriteArrayList<>();
    final List<String> destroyed = new CopyOnWriteArrayList<>();
    volatile boolean failCreate;
    volatile boolean available = true;

    public FakeStorage(String type) {
        this.type = type;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public Detection detect(HostFacts host) {
        return available ? Detection.available("fake") : Detection.unavailable("told to be unavailable");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of();
    }

    @Override
    public boolean owns(String rootfsPath) {
        return rootfsPath.startsWith(type + ":");
    }

    @Override
    public String create(StorageRequest request) {
        if (failCreate) {
            throw new BackendException("Failed to create rootfs for \"" + request.containerName() + "\": told to");
        }
        Path rootfs = request.containerDir().resolve("rootfs");
        try {
            Files.createDirectory(rootfs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = type + ":" + rootfs;
        created.add(value);
        return value;
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        return new MountedRootfs(Path.of(rootfsPath.substring(type.length() + 1)), false);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        throw new AssertionError("nothing to unmount");
    }

    @Override
    public void destroy(String rootfsPath) {
        destroyed.add(rootfsPath);
        new OneDeviceRemover().remove(Path.of(rootfsPath.substring(type.length() + 1)));
    }
}
