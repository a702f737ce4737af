package org.lxj.spi.storage;

import java.nio.file.Path;
import java.util.Set;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A storage backend, modelled on LXC's {@code struct lxc_storage_ops}: a probe, verbs, capability flags.
 * <p>
 * A rootfs is named by its {@code lxc.rootfs.path} value ({@code dir:/x}, {@code /x},
 * {@code overlay:/lower:/upper}, {@code btrfs:/x}, {@code loop:/img}, {@code lvm:/dev/vg/lv}); that string
 * is all core stores, and all a backend gets back. Every verb is idempotent where the host allows it, and
 * leaves nothing half-made when it fails: a failed {@code create} removes what it made.
 */
@ConsumerType
public interface StorageBackend extends Backend {

    /** What this backend can do beyond create, mount and destroy. */
    Set<StorageCapability> capabilities();

    /**
     * Whether {@code rootfsPath} (an {@code lxc.rootfs.path} value) is this backend's: by its
     * {@code type:} prefix, or, for an unprefixed path, by looking at what is there (LXC's detection order
     * asks each backend in turn).
     */
    boolean owns(String rootfsPath);

    /**
     * Creates an empty rootfs for a new container.
     *
     * @return the {@code lxc.rootfs.path} value to write into the container's config
     * @throws BackendException naming what could not be made and why
     */
    String create(StorageRequest request);

    /**
     * Makes the rootfs available as a directory before a start; for {@code dir} this is the directory itself.
     *
     * @param rootfsPath the {@code lxc.rootfs.path} value
     * @param target     a directory the backend may mount onto ({@code lxc.rootfs.mount})
     */
    MountedRootfs mount(String rootfsPath, Path target);

    /** Undoes {@link #mount} after the container stopped. Does nothing for a backend that mounts nothing. */
    void unmount(String rootfsPath, Path target);

    /**
     * Whether {@link #mount} mounts onto its {@code target}, which the runtime then creates first and removes after
     * the stop. A backend whose rootfs is used where it lies ({@code dir}) says false, and no mount point is made
     * for it: a directory less to create and remove on every start.
     *
     * @param rootfsPath the {@code lxc.rootfs.path} value
     * @return true unless {@link #mount} never uses its target
     * @since 1.1
     */
    default boolean mountsAtTarget(String rootfsPath) {
        return true;
    }

    /**
     * Makes a new rootfs of this backend's type holding a full copy of another one (of any type): every file,
     * with owners, modes, times, extended attributes and device nodes preserved; no data shared with the
     * source afterwards. Like {@link #create}, a failed copy removes what it made.
     *
     * @return the {@code lxc.rootfs.path} value to write into the new container's config
     * @throws UnsupportedFeatureException when this backend cannot copy (the default; a backend that lists
     *                                     {@link StorageCapability#CLONE} overrides it)
     * @throws BackendException            naming what could not be copied and why
     * @since 1.0
     */
    default String copy(StorageCopyRequest request) {
        throw new UnsupportedFeatureException("Storage backend \"" + type() + "\" cannot copy \""
                + request.sourceRootfsPath() + "\"");
    }

    /**
     * Removes the rootfs and everything the backend made for it. A rootfs that is already gone is not an
     * error. Must not cross into other filesystems mounted below it.
     */
    void destroy(String rootfsPath);
}
