package org.lxj.core.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.network.PreparedNic;

/**
 * The prepared interfaces of a start, kept in the run directory ({@value #NAME}) so that the teardown happens after
 * a runtime restart too: one line per interface, {@code index type host transit container} separated by tabs.
 */
public final class NicRecord {
    public static final String NAME = "network";

    private NicRecord() {
    }

    public static void write(Path runDir, List<PreparedNic> nics) throws IOException {
        StringBuilder b = new StringBuilder();
        for (PreparedNic n : nics) {
            b.append(n.index()).append('\t').append(n.type()).append('\t').append(n.hostInterface()).append('\t')
                    .append(n.transitName()).append('\t').append(n.containerName()).append('\n');
        }
        Path tmp = runDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, runDir.resolve(NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The recorded interfaces; none when there is no record. Malformed lines are skipped. */
    public static List<PreparedNic> read(Path runDir) throws IOException {
        Path file = runDir.resolve(NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<PreparedNic> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                continue;
            }
            try {
                out.add(new PreparedNic(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4]));
            } catch (NumberFormatException e) {
                // not a line of ours
            }
        }
        return out;
    }
}
