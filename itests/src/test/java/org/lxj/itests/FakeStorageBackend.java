package org.lxj.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/** A storage backend of type {@code fake}: a plain directory named {@code fake:<path>}. */
final class FakeStorageBackend implements StorageBackend {
    static final String TYPE = "fake";
    private static final String PREFIX = TYPE + ":";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of();
    }

    @Override
    public boolean owns(String rootfsPath) {
        return rootfsPath.startsWith(PREFIX);
    }

    @Override
    public String create(StorageRequest request) {
        Path dir = request.containerDir().resolve("fake-rootfs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PREFIX + dir;
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        return new MountedRootfs(Path.of(rootfsPath.substring(PREFIX.length())), false);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        // nothing mounted
    }

    @Override
    public void destroy(String rootfsPath) {
        try {
            LxjExamSupport.deleteTree(Path.of(rootfsPath.substring(PREFIX.length())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
