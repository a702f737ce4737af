package org.lxj.spi.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.UnsupportedFeatureException;

class StorageBackendDefaultsTest {

    /** A backend that implements only the 1.0 verbs, as a third-party bundle built before copy would. */
    private static final class CreateOnly implements StorageBackend {
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
            return "plain:" + request.containerDir().resolve("rootfs");
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            return new MountedRootfs(Path.of(rootfsPath.substring(6)), false);
        }

        @Override
        public void unmount(String rootfsPath, Path target) {
            // mounts nothing
        }

        @Override
        public void destroy(String rootfsPath) {
            // made nothing on disk in this test
        }
    }

    @Test
    void copyIsUnsupportedByDefault() {
        StorageCopyRequest req = new StorageCopyRequest("dir:/var/lib/lxj/a/rootfs", Path.of("/var/lib/lxj/a/rootfs"),
                "b", Path.of("/var/lib/lxj/b"), Map.of(), OptionalLong.empty());
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> new CreateOnly().copy(req));
        assertEquals("Storage backend \"plain\" cannot copy \"dir:/var/lib/lxj/a/rootfs\"", e.getMessage());
    }
}
