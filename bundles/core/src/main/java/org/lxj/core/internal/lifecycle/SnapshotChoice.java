package org.lxj.core.internal.lifecycle;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.snapshot.SnapshotKind;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.snapshot.SnapshotSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which snapshot provider makes a snapshot, a snapshot clone or a restore. The one place where LXC's fallback rule
 * lives, stated over provider kinds and never over type names:
 * <ul>
 * <li>a snapshot ({@code lxc-snapshot}) and a restore keep the storage type: a copy-on-write provider of the
 * source's own type, else a copy provider (a full copy through the source's backend);</li>
 * <li>a snapshot clone ({@code lxc-copy -s}, {@code -e}) takes any copy-on-write provider that can layer over the
 * source, else a copy. This is how a clone of a {@code dir} container becomes an {@code overlay} one: the overlay
 * provider is copy-on-write and can snapshot a directory, while {@code dir} has no provider of its own.</li>
 * </ul>
 * Among equals the higher {@code service.ranking} wins.
 */
final class SnapshotChoice {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotChoice.class);

    /** What the provider is asked to make. */
    enum Purpose {
        /** {@code lxc-snapshot} or {@code lxc-snapshot -r}: the storage type is kept. */
        KEEP_TYPE,
        /** {@code lxc-copy -s}: copy-on-write of any type is preferred. */
        CLONE
    }

    private final Backends backends;

    SnapshotChoice(Backends backends) {
        this.backends = backends;
    }

    /** The provider for {@code source}, or an error naming the rootfs when none can. */
    SnapshotProvider choose(SnapshotSource source, Purpose purpose) {
        Optional<SnapshotProvider> p = candidates(backends.snapshotProviders(), source, purpose).stream().findFirst();
        if (p.isEmpty()) {
            throw new UnsupportedFeatureException("Failed to snapshot \"" + source.containerName() + "\": backing "
                    + "store cannot be backed up (no installed snapshot provider can snapshot \""
                    + source.rootfsPath() + "\")");
        }
        LOG.info("{}: snapshot provider \"{}\" chosen ({}, {})", source.containerName(), p.get().type(),
                p.get().kind(), purpose);
        return p.get();
    }

    /**
     * The provider for {@code unmounted} (whose {@code mounted()} is the not yet mounted mount point) when the best
     * eligible one {@linkplain SnapshotProvider#worksUnmounted works unmounted}; empty otherwise, and then the
     * caller mounts the source and asks {@link #choose}. Only the best is taken, so the choice is the one
     * {@link #choose} makes whenever a provider's eligibility does not hang on the source being mounted.
     */
    Optional<SnapshotProvider> chooseUnmounted(SnapshotSource unmounted, Purpose purpose) {
        Optional<SnapshotProvider> p = candidates(backends.snapshotProviders(), unmounted, purpose).stream()
                .findFirst().filter(b -> b.worksUnmounted(unmounted));
        p.ifPresent(b -> LOG.info("{}: snapshot provider \"{}\" chosen ({}, {}, source not mounted)",
                unmounted.containerName(), b.type(), b.kind(), purpose));
        return p;
    }

    /** The eligible providers, best first: copy-on-write before copy, then by ranking. */
    static List<SnapshotProvider> candidates(List<Ranked<SnapshotProvider>> installed, SnapshotSource source,
            Purpose purpose) {
        return installed.stream()
                .filter(r -> eligible(r.backend(), source, purpose))
                .sorted(Comparator.<Ranked<SnapshotProvider>>comparingInt(
                        r -> r.backend().kind() == SnapshotKind.COPY_ON_WRITE ? 0 : 1).thenComparing(Ranked.ORDER))
                .map(Ranked::backend)
                .toList();
    }

    private static boolean eligible(SnapshotProvider p, SnapshotSource source, Purpose purpose) {
        if (!p.canSnapshot(source)) {
            return false;
        }
        // A copy is always of the source's own type; copy-on-write keeps it only when the provider is that type.
        return p.kind() == SnapshotKind.COPY || purpose == Purpose.CLONE || p.type().equals(source.storageType());
    }
}
