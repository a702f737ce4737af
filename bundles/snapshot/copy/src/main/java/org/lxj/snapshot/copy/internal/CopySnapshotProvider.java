package org.lxj.snapshot.copy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotResult;
import org.lxj.spi.snapshot.SnapshotSource;
import org.lxj.spi.snapshot.SnapshotTarget;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots for backends without copy-on-write ({@code dir}, {@code loop}), as LXC makes them: a full copy into
 * the snapshot's directory by the source's own storage backend, so the snapshot keeps the storage type and shares
 * nothing with its source. It can snapshot any rootfs whose backend lists {@link StorageCapability#CLONE}; the
 * lowest ranking makes every copy-on-write provider win over it.
 */
@Component(service = SnapshotProvider.class,
        property = {Backend.TYPE_PROPERTY + "=" + CopySnapshotProvider.TYPE,
                "service.ranking:Integer=" + CopySnapshotProvider.RANKING})
public final class CopySnapshotProvider implements SnapshotProvider {

    static final String TYPE = "copy";
    static final int RANKING = -1000;

    private static final Logger LOG = LoggerFactory.getLogger(CopySnapshotProvider.class);

    @Reference(policy = ReferencePolicy.DYNAMIC, cardinality = ReferenceCardinality.MULTIPLE,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile List<StorageBackend> storage = new ArrayList<>();

    private final Supplier<List<StorageBackend>> backends;

    @Activate
    public CopySnapshotProvider() {
        this.backends = () -> List.copyOf(storage);
    }

    /** For tests: the storage backends a snapshot's owner is looked up among when it is destroyed. */
    public CopySnapshotProvider(Supplier<List<StorageBackend>> backends) {
        this.backends = backends;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public SnapshotKind kind() {
        return SnapshotKind.COPY;
    }

    @Override
    public boolean canSnapshot(SnapshotSource source) {
        return source.storageCapabilities().contains(StorageCapability.CLONE);
    }

    @Override
    public SnapshotResult snapshot(SnapshotSource source, SnapshotTarget target) {
        return copy(source, target, "snapshot");
    }

    @Override
    public SnapshotResult restore(SnapshotSource snapshot, SnapshotTarget target) {
        return copy(snapshot, target, "restore");
    }

    private SnapshotResult copy(SnapshotSource source, SnapshotTarget target, String verb) {
        if (!canSnapshot(source)) {
            throw new BackendException("Failed to " + verb + " \"" + source.rootfsPath() + "\" of \""
                    + source.containerName() + "\": storage backend \"" + source.storageType() + "\" cannot copy");
        }
        long began = System.nanoTime();
        String rootfs = source.storage().copy(new StorageCopyRequest(source.rootfsPath(), source.mounted(),
                target.name(), target.dir(), target.options(), OptionalLong.empty()));
        LOG.debug("{}: {} \"{}\" copied to \"{}\" by storage backend \"{}\" in {} ms", source.containerName(), verb,
                source.rootfsPath(), rootfs, source.storageType(), (System.nanoTime() - began) / 1_000_000);
        return new SnapshotResult(rootfs, false);
    }

    @Override
    public void destroy(String snapshotRootfsPath) {
        Optional<StorageBackend> owner = backends.get().stream().filter(b -> b.owns(snapshotRootfsPath)).findFirst();
        if (owner.isEmpty()) {
            throw new BackendException("Failed to destroy snapshot \"" + snapshotRootfsPath
                    + "\": no installed storage backend handles it");
        }
        owner.get().destroy(snapshotRootfsPath);
    }
}
