package org.lxj.linux.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code --- Title ---} block.
 *
 * @param title {@code Namespaces}, {@code Control groups}, {@code Misc}, {@code Checkpoint/Restore}, {@code LXJ}
 * @param lines its lines in order
 */
public record CheckSection(String title, List<CheckLine> lines) {
    public CheckSection {
        Objects.requireNonNull(title, "title");
        lines = List.copyOf(lines);
    }

    /** The first line with this label. */
    public Optional<CheckLine> line(String label) {
        return lines.stream().filter(l -> l.label().equals(label)).findFirst();
    }
}
