package org.lxj.snapshot.copy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;

class CopySnapshotProviderTest {

    /** Records copies and destroys; {@code TYPE:<containerDir>/rootfs}. */
    static final class Recording implements StorageBackend {
        final String type;
        final Set<StorageCapability> caps;
        final List<StorageCopyRequest> copies = new ArrayList<>();
        final List<String> destroyed = new ArrayList<>();

        Recording(String type, Set<StorageCapability> caps) {
            this.type = type;
            this.caps = caps;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Set<StorageCapability> capabilities() {
            return caps;
        }

        @Override
        public boolean owns(String rootfsPath) {
            return rootfsPath.startsWith(type + ":");
        }

        @Override
        public String create(StorageRequest request) {
            throw new AssertionError("not used");
        }

        @Override
        public MountedRootfs mount(String rootfsPath, Path target) {
            throw new AssertionError("not used");
        }

        @Override
        public void unmount(String rootfsPath, Path target) {
            throw new AssertionError("not used");
        }

        @Override
        public String copy(StorageCopyRequest request) {
            copies.add(request);
            return type + ":" + request.containerDir().resolve("rootfs");
        }

        @Override
        public void destroy(String rootfsPath) {
            destroyed.add(rootfsPath);
        }
    }

    private static SnapshotSource source(StorageBackend b) {
        return new SnapshotSource("c1", b.type() + ":/l/c1/rootfs", b.type(), b.capabilities(), b, Path.of("/l/c1/rootfs"));
    }

    @Test
    void aSnapshotIsACopyByTheSourcesOwnBackendAndDependsOnNothing() {
        Recording loop = new Recording("loop", Set.of(StorageCapability.CLONE));
        CopySnapshotProvider p = new CopySnapshotProvider(() -> List.of(loop));
        assertEquals(SnapshotKind.COPY, p.kind());
        assertTrue(p.canSnapshot(source(loop)));

        SnapshotResult r = p.snapshot(source(loop), new SnapshotTarget("snap0", Path.of("/l/c1/snaps/snap0"),
                Map.of("fstype", "ext4")));
        assertEquals(new SnapshotResult("loop:/l/c1/snaps/snap0/rootfs", false), r);
        StorageCopyRequest req = loop.copies.get(0);
        assertEquals("loop:/l/c1/rootfs", req.sourceRootfsPath());
        assertEquals(Path.of("/l/c1/rootfs"), req.sourceMounted());
        assertEquals("snap0", req.containerName());
        assertEquals(Map.of("fstype", "ext4"), req.options());
        assertTrue(req.newSize().isEmpty());

        assertEquals("loop:/l/c2/rootfs",
                p.restore(source(loop), new SnapshotTarget("c2", Path.of("/l/c2"), Map.of())).rootfsPath());
    }

    @Test
    void aBackendThatCannotCopyIsNotACandidateAndIsRefusedByName() {
        Recording lvm = new Recording("lvm", Set.of(StorageCapability.SNAPSHOT));
        CopySnapshotProvider p = new CopySnapshotProvider(() -> List.of(lvm));
        assertFalse(p.canSnapshot(source(lvm)));
        BackendException e = assertThrows(BackendException.class,
                () -> p.snapshot(source(lvm), new SnapshotTarget("snap0", Path.of("/x"), Map.of())));
        assertEquals("Failed to snapshot \"lvm:/l/c1/rootfs\" of \"c1\": storage backend \"lvm\" cannot copy",
                e.getMessage());
        assertTrue(lvm.copies.isEmpty());
    }

    @Test
    void destroyGoesToTheOwnerAndNamesAMissingOne() {
        Recording dir = new Recording("dir", Set.of(StorageCapability.CLONE));
        CopySnapshotProvider p = new CopySnapshotProvider(() -> List.of(dir));
        p.destroy("dir:/l/c1/snaps/snap0/rootfs");
        assertEquals(List.of("dir:/l/c1/snaps/snap0/rootfs"), dir.destroyed);
        BackendException e = assertThrows(BackendException.class, () -> p.destroy("zfs:pool/x"));
        assertEquals("Failed to destroy snapshot \"zfs:pool/x\": no installed storage backend handles it",
                e.getMessage());
    }
}
