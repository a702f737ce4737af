package org.lxj.storage.lvm.internal;

import java.util.regex.Pattern;

import org.lxj.linux.Errno;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Thin snapshots of thin logical volumes ({@code lvcreate -s} without a size, then activated with {@code -K}):
 * copy-on-write inside the pool and independent of the origin afterwards. Plain (thick) volumes are left to the
 * copy provider, as their snapshots would depend on the origin. The new volume is named by the
 * {@code lvname} option, else the target's name ({@code lxc-copy -N}); a snapshot {@code snapN} is named
 * {@code <origin>_snapN} so snapshots of different containers do not collide in the group.
 */
@Component(service = SnapshotProvider.class,
        property = {Backend.TYPE_PROPERTY + "=" + Lvm.TYPE,
                "service.ranking:Integer=" + LvmStorageBackend.RANKING})
public final class LvmSnapshotProvider implements SnapshotProvider {

    private static final Pattern SNAP_NAME = Pattern.compile("snap[0-9]+");

    private final Syscalls sys;
    private final LvmStorageBackend backend;

    @Activate
    public LvmSnapshotProvider(@Reference Syscalls sys) {
        this(sys, new LvmStorageBackend(sys));
    }

    LvmSnapshotProvider(Syscalls sys, LvmStorageBackend backend) {
        this.sys = sys;
        this.backend = backend;
    }

    @Override
    public String type() {
        return Lvm.TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return backend.detect(host);
    }

    @Override
    public SnapshotKind kind() {
        return SnapshotKind.COPY_ON_WRITE;
    }

    @Override
    public boolean canSnapshot(SnapshotSource source) {
        if (!source.storageType().equals(Lvm.TYPE)) {
            return false;
        }
        try {
            return backend.lvm().isThinVolume(Lvm.parse(source.rootfsPath()));
        } catch (BackendException e) {
            return false;
        }
    }

    @Override
    public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
        Lvm.Volume from = Lvm.parse(source.rootfsPath());
        String name = target.options().getOrDefault(LvmStorageBackend.LVNAME_OPTION,
                SNAP_NAME.matcher(target.name()).matches() ? from.lv() + "_" + target.name() : target.name());
        Lvm.Volume dest = new Lvm.Volume(from.vg(), name);
        if (backend.lvm().exists(dest)) {
            throw new BackendException("Failed to snapshot \"" + from.spec() + "\": logical volume \"" + dest.spec()
                    + "\" already exists");
        }
        backend.lvm().snapshot(from, dest);
        String mountpoint = target.dir().resolve("rootfs").toString();
        try {
            sys.mkdir(mountpoint, 0755);
            sys.chmod(mountpoint, 0755);
        } catch (SyscallException e) {
            if (!e.is(Errno.EEXIST)) {
                backend.lvm().remove(dest);
                throw new BackendException("Failed to create mount point \"" + mountpoint + "\": " + e.getMessage(),
                        e);
            }
        }
        return new SnapshotResult(dest.rootfsPath(), false);
    }

    @Override
    public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
        return snapshot(snapshot, target);
    }

    @Override
    public void destroy(String snapshotRootfsPath) {
        backend.destroy(snapshotRootfsPath);
    }
}
