package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.api.LxjException;

/**
 * LXC's clone bookkeeping files: {@code lxc_snapshots} (who depends on me) and {@code lxc_rdepends} (whom I depend
 * on), each a sequence of two-line records {@code lxcpath\nname\n}.
 */
final class Bookkeeping {

    record Pair(Path lxcpath, String name) {
    }

    private Bookkeeping() {
    }

    static List<Pair> pairs(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + file + "\": " + e, e);
        }
        List<Pair> out = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            if (!lines.get(i).isEmpty() && !lines.get(i + 1).isEmpty()) {
                out.add(new Pair(Path.of(lines.get(i)), lines.get(i + 1)));
            }
        }
        return out;
    }

    /** Removes one record; the file goes when it is empty, as LXC leaves it. */
    static void remove(Path file, Pair pair) {
        List<Pair> left = new ArrayList<>(pairs(file));
        if (!left.removeIf(p -> p.lxcpath().normalize().equals(pair.lxcpath().normalize())
                && p.name().equals(pair.name()))) {
            return;
        }
        try {
            if (left.isEmpty()) {
                Files.deleteIfExists(file);
            } else {
                StringBuilder sb = new StringBuilder();
                left.forEach(p -> sb.append(p.lxcpath()).append('\n').append(p.name()).append('\n'));
                ConfigFiles.write(file, sb.toString());
            }
        } catch (IOException e) {
            throw new LxjException("Failed to update \"" + file + "\": " + e, e);
        }
    }

    /** Appends one record ({@code lxcpath\nname\n}), as LXC appends to these files; a record already there stays single. */
    static void add(Path file, Pair pair) {
        List<Pair> now = pairs(file);
        if (now.stream().anyMatch(p -> p.lxcpath().normalize().equals(pair.lxcpath().normalize())
                && p.name().equals(pair.name()))) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        now.forEach(p -> sb.append(p.lxcpath()).append('\n').append(p.name()).append('\n'));
        sb.append(pair.lxcpath()).append('\n').append(pair.name()).append('\n');
        ConfigFiles.write(file, sb.toString());
    }
}
