package org.lxj.spi.snapshot;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;

class SnapshotProviderDefaultsTest {

    /** A provider with only the 1.0 methods, as a bundle built before {@code worksUnmounted} would be. */
    private static final class Copies implements SnapshotProvider {
        @Override
        public String type() {
            return "copies";
        }

        @Override
        public SnapshotKind kind() {
            return SnapshotKind.COPY;
        }

        @Override
        public boolean canSnapshot(SnapshotSource source) {
            return true;
        }

        @Override
        public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
            return new SnapshotResult("copies:" + target.dir().resolve("rootfs"), false);
        }

        @Override
        public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
            return snapshot(snapshot, target);
        }

        @Override
        public void destroy(String snapshotRootfsPath) {
            // made nothing on disk in this test
        }
    }

    /** A backend that is never called here. */
    private static final class Plain implements StorageBackend {
        @Override
        public String type() {
            return "plain";
        }

        @Override
        public Set<StorageCapability> capabilities() {
            return Set.of();
        }

        @Override
        public boolean owns(String rootfsPath) {
            return rootfsPath.startsWith("plain:");
        }

        @Override
        public String create(StorageRequest request) {
            throw new AssertionError("not called");
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            throw new AssertionError("not called");
        }

        @Override
        public void unmount(String rootfsPath, Path target) {
            throw new AssertionError("not called");
        }

        @Override
        public void destroy(String rootfsPath) {
            throw new AssertionError("not called");
        }
    }

    @Test
    void aProviderNeedsTheSourceMountedUnlessItSaysOtherwise() {
        SnapshotSource source = new SnapshotSource("c1", "plain:/lxc/c1/rootfs", "plain", Set.of(), new Plain(),
                Path.of("/lxc/c1/rootfs"));
        assertFalse(new Copies().worksUnmounted(source));
        assertFalse(new Copies().snapshot(source, new SnapshotTarget("snap0", Path.of("/lxc/c1/snaps/snap0"),
                Map.of())).dependsOnSource());
    }
}
