package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The container's root: the launcher bind-mounts {@code path} onto itself in the new mount namespace,
 * applies {@code propagation} to the old root (LXC and runc use {@code rslave}), runs the mount steps
 * relative to it, then pivots into it ({@code pivot_root(".", ".")} and a lazy unmount of the old root) or,
 * with {@code noPivot}, moves it over {@code /} and chroots (for a root on a ramfs, as {@code --no-pivot}).
 *
 * @param path        the mounted rootfs directory on the host ({@link org.lxj.spi.storage.MountedRootfs#path()})
 * @param propagation propagation of the old root before the pivot, if any
 * @param readOnly    remount the root read-only after all mounts ({@code lxc.rootfs.options = ro})
 * @param noPivot     use {@code MS_MOVE} + {@code chroot} instead of {@code pivot_root}
 */
public record Rootfs(Path path, Optional<Propagation> propagation, boolean readOnly, boolean noPivot) {

    public Rootfs {
        PlanChecks.absolute("rootfs path", path);
        Objects.requireNonNull(propagation, "propagation");
    }

    /** A rootfs at {@code path}, old root {@code rslave}, writable, pivoted into. */
    public static Rootfs of(Path path) {
        return new Rootfs(path, Optional.of(Propagation.RSLAVE), false, false);
    }
}
