package org.lxj.core.internal.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartialClaimTest {
    @TempDir
    Path dir;
    final ClaimRegistry registry = new ClaimRegistry();

    @Test
    void oneHolderAtATimeAndTheMarkerGoesOnRelease() throws IOException {
        PartialClaim claim = PartialClaim.acquire(registry, dir).orElseThrow();
        assertTrue(Files.exists(dir.resolve("partial")));
        assertEquals(List.of("partial"), names(), "the private name is gone once linked");
        assertTrue(PartialClaim.acquire(registry, dir).isEmpty());
        assertTrue(PartialClaim.adoptLeftover(registry, dir).isEmpty(), "a held marker is no leftover");
        assertTrue(PartialClaim.acquire(new ClaimRegistry(), dir).isEmpty(), "the marker exists");
        claim.release();
        assertFalse(Files.exists(dir.resolve("partial")));
        assertFalse(registry.isHeld(dir));
        PartialClaim.acquire(registry, dir).orElseThrow().release();
    }

    @Test
    void aMarkerLeftUnlockedCanBeAdoptedOnce() throws IOException {
        PartialClaim.acquire(registry, dir).orElseThrow().close();
        assertTrue(Files.exists(dir.resolve("partial")), "close keeps the marker");
        Optional<PartialClaim> adopted = PartialClaim.adoptLeftover(registry, dir);
        assertTrue(adopted.isPresent());
        assertTrue(PartialClaim.adoptLeftover(registry, dir).isEmpty());
        adopted.get().release();
        assertTrue(PartialClaim.adoptLeftover(registry, dir).isEmpty(), "no marker, nothing to adopt");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
