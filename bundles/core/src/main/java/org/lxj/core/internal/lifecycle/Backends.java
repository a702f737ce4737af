package org.lxj.core.internal.lifecycle;

import java.util.List;
import java.util.Optional;

import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.snapshot.SnapshotProvider;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.template.Template;

/** The backends installed right now, read afresh on every call (services come and go). */
public interface Backends {

    /** Storage backends, best first. */
    List<Ranked<StorageBackend>> storage();

    /** Templates, best first. */
    List<Ranked<Template>> templates();

    /** The host's facts, when the linux bundle publishes them. */
    Optional<HostFacts> host();

    /** Snapshot providers, best first; none when the runtime has no snapshot support wired. */
    default List<Ranked<SnapshotProvider>> snapshotProviders() {
        return List.of();
    }
}
