package org.lxj.spi.launch;

import java.util.Objects;

/**
 * One line of a user namespace's {@code uid_map} or {@code gid_map}, as {@code lxc.idmap = u 0 100000 65536}
 * writes it: ids {@code containerId .. containerId+range-1} inside are {@code hostId ..} outside.
 *
 * @param kind        uid or gid
 * @param containerId the first id inside the container
 * @param hostId      the first id on the host
 * @param range       how many ids, at least 1
 */
public record IdMapping(Kind kind, long containerId, long hostId, long range) {

    /** Which map a line belongs to. */
    public enum Kind {
        UID('u'), GID('g');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        /** {@code u} or {@code g}, as {@code lxc.idmap} spells it. */
        public char letter() {
            return letter;
        }
    }

    public IdMapping {
        Objects.requireNonNull(kind, "kind");
        PlanChecks.id("id map container id", containerId);
        PlanChecks.id("id map host id", hostId);
        if (range < 1 || containerId + range - 1 > PlanChecks.MAX_ID || hostId + range - 1 > PlanChecks.MAX_ID) {
            throw new PlanValidationException("id map range", Long.toString(range),
                    "must be at least 1 and keep both id ranges below " + (PlanChecks.MAX_ID + 1));
        }
    }

    /** Whether the container-side ranges of two lines of the same kind overlap. */
    public boolean overlaps(IdMapping other) {
        return kind == other.kind && containerId < other.containerId + other.range
                && other.containerId < containerId + range;
    }

    /** The host id that container id {@code id} maps to, or -1 when this line does not map it. */
    public long toHost(long id) {
        return id >= containerId && id < containerId + range ? hostId + (id - containerId) : -1;
    }

    /** The line as the kernel's map file takes it: {@code "0 100000 65536"}. */
    public String mapLine() {
        return containerId + " " + hostId + " " + range;
    }
}
