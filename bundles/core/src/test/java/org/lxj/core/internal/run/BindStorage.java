package org.lxj.core.internal.run;

import java.nio.file.Path;
import java.util.Set;

import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

/**
 * A storage backend for root tests that really mounts: {@code dir:} rootfs directories are bind-mounted onto the
 * mount target, so a start must unmount them afterwards (what a loop or overlay backend needs from core).
 */
final class BindStorage implements StorageBackend {
    private static final long MS_BIND = 4096;
    private static final int MNT_DETACH = 2;
    private final Syscalls sys;

    BindStorage(Syscalls sys) {
        this.sys = sys;
    }

    @Override
    public String type() {
        return "dir";
    }

    @Override
    public Detection detect(HostFacts host) {
        return Detection.available("bind mounts");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of();
    }

    @Override
    public boolean owns(String rootfsPath) {
        return rootfsPath.startsWith("dir:");
    }

    @Override
    public String create(StorageRequest request) {
        throw new UnsupportedOperationException("not used by these tests");
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        sys.mount(rootfsPath.substring("dir:".length()), target.toString(), "", MS_BIND, null);
        return new MountedRootfs(target, true);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        sys.umount2(target.toString(), MNT_DETACH);
    }

    @Override
    public void destroy(String rootfsPath) {
        // as the dir backend: the directory goes (Cleanup refuses to descend into anything still mounted)
        try {
            Cleanup.deleteTree(Path.of(rootfsPath.substring("dir:".length())));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
