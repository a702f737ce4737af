package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.util.List;

/**
 * The host's mount table as far as clean-up after a killed command needs it: a command killed with {@code kill -9}
 * while it had a rootfs mounted leaves that mount behind, and the next command detaches it before removing the
 * leftover.
 */
public interface HostMounts {

    /** A host where nothing is mounted, for tests without root. */
    HostMounts NONE = new HostMounts() {
        @Override
        public boolean isMountPoint(Path path) {
            return false;
        }

        @Override
        public List<Path> detachBelow(Path dir) {
            return List.of();
        }
    };

    /** Whether something is mounted on {@code path}. */
    boolean isMountPoint(Path path);

    /**
     * Detaches every mount on {@code dir} or below it, deepest first, and returns the mount points it detached.
     *
     * @throws org.lxj.api.LxjException naming the mount point that could not be detached
     */
    List<Path> detachBelow(Path dir);
}
