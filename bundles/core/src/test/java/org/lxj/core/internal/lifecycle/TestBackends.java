package org.lxj.core.internal.lifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.spi.snapshot.SnapshotProvider;

import org.lxj.core.internal.select.Ranked;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.template.Template;

/** Backends as a test installs them. */
final class TestBackends implements Backends {
    final List<Ranked<StorageBackend>> storage = new ArrayList<>();
    final List<Ranked<Template>> templates = new ArrayList<>();
    final List<Ranked<SnapshotProvider>> snapshots = new ArrayList<>();
    HostFacts host;

    static HostFacts someHost() {
        return new HostFacts("6.1.0", "x86_64", java.util.Set.of("ext4"), List.of(), CgroupLayout.NONE, List.of(),
                false, java.util.Set.of(), 0);
    }

    TestBackends add(StorageBackend b, int ranking) {
        storage.add(new Ranked<>(b, ranking, storage.size()));
        storage.sort(Ranked.ORDER);
        return this;
    }

    TestBackends add(Template t) {
        templates.add(new Ranked<>(t, 0, templates.size()));
        return this;
    }

    @Override
    public List<Ranked<StorageBackend>> storage() {
        return List.copyOf(storage);
    }

    @Override
    public List<Ranked<Template>> templates() {
        return List.copyOf(templates);
    }

    @Override
    public Optional<HostFacts> host() {
        return Optional.ofNullable(host);
    }

    TestBackends add(SnapshotProvider p, int ranking) {
        snapshots.add(new Ranked<>(p, ranking, snapshots.size()));
        snapshots.sort(Ranked.ORDER);
        return this;
    }

    @Override
    public List<Ranked<SnapshotProvider>> snapshotProviders() {
        return List.copyOf(snapshots);
    }
}
