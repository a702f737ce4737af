package org.lxj.storage.overlay.internal;

import java.nio.file.Path;
import java.util.List;

import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copy-on-write snapshots with overlayfs, as LXC's {@code ovl_clonepaths}:
 * <ul>
 * <li>an {@code overlay:} rootfs gets a new upper {@code <target>/overlay/delta} over the same lower
 * directories, holding a copy of the source's upper (its changes are usually small);</li>
 * <li>a rootfs that is a plain directory in place (its {@code lxc.rootfs.path} names the directory the storage
 * backend hands out, as {@code dir:} does) gets an empty upper with that directory as the lower: the snapshot
 * clone of {@code lxc-copy -s}. Which of these core asks for is core's one fallback rule.</li>
 * </ul>
 * Either result keeps using the source's directories, so it {@linkplain SnapshotResult#dependsOnSource()
 * depends on the source}.
 */
@Component(service = SnapshotProvider.class,
        property = {Backend.TYPE_PROPERTY + "=" + OverlayStorageBackend.TYPE,
                "service.ranking:Integer=" + OverlayStorageBackend.RANKING})
public final class OverlaySnapshotProvider implements SnapshotProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OverlaySnapshotProvider.class);

    private final Syscalls sys;
    private final OverlayStorageBackend overlay;

    @Activate
    public OverlaySnapshotProvider(@Reference Syscalls sys) {
        this.sys = sys;
        this.overlay = new OverlayStorageBackend(sys);
    }

    @Override
    public String type() {
        return OverlayStorageBackend.TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return overlay.detect(host);
    }

    @Override
    public SnapshotKind kind() {
        return SnapshotKind.COPY_ON_WRITE;
    }

    @Override
    public boolean canSnapshot(SnapshotSource source) {
        if (overlay.owns(source.rootfsPath())) {
            try {
                OverlayStorageBackend.parse(source.rootfsPath());
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return directoryInPlace(source) != null;
    }

    /**
     * Both cases read only directories named by the rootfs value (the layers, or the directory in place), so the
     * source is never mounted for them.
     */
    @Override
    public boolean worksUnmounted(SnapshotSource source) {
        return canSnapshot(source);
    }

    /**
     * The directory of a rootfs whose path value is {@code [type:]/dir} with {@code /dir} exactly what the backend
     * mounted for the operation (so the rootfs is that directory, not a temporary mount), else null.
     */
    private Path directoryInPlace(SnapshotSource source) {
        String value = source.rootfsPath();
        String mounted = source.mounted().toString();
        String dir = value.startsWith("/") ? value : value.substring(value.indexOf(':') + 1);
        if (!dir.equals(mounted) || dir.indexOf(':') >= 0 || dir.indexOf(',') >= 0) {
            return null;
        }
        try {
            return sys.stat(dir).isDirectory() ? source.mounted() : null;
        } catch (SyscallException e) {
            return null;
        }
    }

    @Override
    public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
        String path;
        if (overlay.owns(source.rootfsPath())) {
            OverlayStorageBackend.Layers layers = OverlayStorageBackend.parse(source.rootfsPath());
            path = overlay.layerOver(layers.lowers(), layers.upper(), target.dir(), "snapshot");
        } else {
            Path lower = directoryInPlace(source);
            if (lower == null) {
                throw new org.lxj.spi.backend.BackendException("Failed to snapshot \"" + source.rootfsPath()
                        + "\" as overlay: it is not a directory in place");
            }
            path = overlay.layerOver(List.of(lower), null, target.dir(), "clone");
        }
        LOG.debug("{}: overlay snapshot \"{}\" of \"{}\"", source.containerName(), path, source.rootfsPath());
        return new SnapshotResult(path, true);
    }

    @Override
    public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
        return snapshot(snapshot, target);
    }

    @Override
    public void destroy(String snapshotRootfsPath) {
        overlay.destroy(snapshotRootfsPath);
    }
}
