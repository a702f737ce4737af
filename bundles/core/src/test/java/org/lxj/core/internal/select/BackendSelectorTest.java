package org.lxj.core.internal.select;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.BackendNotFoundException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

class BackendSelectorTest {
    static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of("ext4", "overlay"), List.of(),
            CgroupLayout.HYBRID, List.of(), true, Set.of(), 0);

    /** A backend available when the host lists its filesystem. */
    record Fs(String type, String fs) implements Backend {
        @Override
        public Detection detect(HostFacts host) {
            return host.supportsFilesystem(fs) ? Detection.available(fs + " is supported")
                    : Detection.unavailable(fs + " is not in /proc/filesystems");
        }
    }

    final Fs dir = new Fs("dir", "ext4");
    final Fs btrfs = new Fs("btrfs", "btrfs");
    final Fs overlay = new Fs("overlay", "overlay");
    final BackendSelector<Fs> selector = new BackendSelector<>("storage");

    List<Ranked<Fs>> installed() {
        return Ranked.of(List.of(
                Map.entry(Map.of("service.ranking", 0, "service.id", 5L), dir),
                Map.entry(Map.of("service.ranking", 20, "service.id", 7L), btrfs),
                Map.entry(Map.of("service.ranking", 10, "service.id", 6L), overlay)));
    }

    @Test
    void rankingOrdersServicesHighestFirstThenOldestFirst() {
        List<Ranked<Fs>> r = Ranked.of(List.of(Map.entry(Map.of("service.id", 9L), dir),
                Map.entry(Map.of("service.id", 3L), btrfs), Map.entry(Map.of("service.ranking", 1), overlay)));
        assertEquals(List.of(overlay, btrfs, dir), r.stream().map(Ranked::backend).toList());
    }

    @Test
    void explicitWinsOverRankingAndDetection() {
        assertEquals(List.of(btrfs), selector.candidates(installed(), List.of("btrfs"), Optional.of(HOST)));
        assertEquals(List.of(dir, overlay), selector.candidates(installed(), List.of("dir", "overlay"),
                Optional.of(HOST)));
    }

    @Test
    void aCommaListSkipsTypesThatAreNotInstalled() {
        assertEquals(List.of(dir), selector.candidates(installed(), List.of("zfs", "dir"), Optional.of(HOST)));
    }

    @Test
    void withoutExplicitChoiceRankingThenDetectionDecide() {
        assertEquals(List.of(overlay), selector.candidates(installed(), List.of(), Optional.of(HOST)),
                "btrfs ranks highest but the host lacks it");
        assertEquals(List.of(btrfs), selector.candidates(installed(), List.of(), Optional.empty()),
                "without host facts the ranking alone decides");
    }

    @Test
    void bestIsEveryAvailableBackendByRanking() {
        assertEquals(List.of(overlay, dir), selector.candidates(installed(), List.of("best"), Optional.of(HOST)));
        assertEquals(List.of(btrfs, overlay, dir), selector.candidates(installed(), List.of("best"),
                Optional.empty()));
    }

    @Test
    void aMissingTypeIsNamed() {
        BackendNotFoundException e = assertThrows(BackendNotFoundException.class,
                () -> selector.candidates(installed(), List.of("fake"), Optional.of(HOST)));
        assertEquals("no storage backend \"fake\" is installed", e.getMessage());
        assertEquals("fake", e.type());
        BackendNotFoundException first = assertThrows(BackendNotFoundException.class,
                () -> selector.candidates(installed(), List.of("zfs", "lvm"), Optional.of(HOST)));
        assertEquals("no storage backend \"zfs\" is installed", first.getMessage());
    }

    @Test
    void nothingInstalledOrNothingAvailableIsSaid() {
        UnsupportedFeatureException none = assertThrows(UnsupportedFeatureException.class,
                () -> selector.candidates(List.of(), List.of(), Optional.of(HOST)));
        assertEquals("No storage backend is installed", none.getMessage());
        List<Ranked<Fs>> onlyBtrfs = List.of(new Ranked<>(btrfs, 0, 1));
        UnsupportedFeatureException unavailable = assertThrows(UnsupportedFeatureException.class,
                () -> selector.candidates(onlyBtrfs, List.of(), Optional.of(HOST)));
        assertEquals("No installed storage backend can work on this host (btrfs)", unavailable.getMessage());
    }

    @Test
    void templateMessageNamesATemplate() {
        assertEquals("no template \"busybox\" is installed", BackendNotFoundException.template("busybox").getMessage());
    }
}
