package org.lxj.core.internal.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.lxj.spi.network.PreparedNic;

/**
 * The prepared interfaces of a start, kept in the run directory ({@value #NAME}) so that the teardown happens after
 * a runtime restart too: one line per interface, {@code index type host transit container} separated by tabs,
 * followed, when the interface has a {@code script.down}, by what running it needs without the container's config
 * ({@code script parent configFile rootfsMount rootfsPath hookVersion}); tabs, newlines and backslashes in values
 * are written as {@code \t}, {@code \n} and {@code \\}.
 */
public final class NicRecord {
    public static final String NAME = "network";

    /** What {@code lxc.net.N.script.down} runs with, captured at the start. */
    public record DownScript(String script, String parent, String configFile, String rootfsMount, String rootfsPath,
            boolean version1) {
    }

    /** One recorded interface with its down script, if any. */
    public record Entry(PreparedNic nic, Optional<DownScript> down) {
    }

    private NicRecord() {
    }

    public static void write(Path runDir, List<PreparedNic> nics) throws IOException {
        writeEntries(runDir, nics.stream().map(n -> new Entry(n, Optional.empty())).toList());
    }

    public static void writeEntries(Path runDir, List<Entry> entries) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Entry e : entries) {
            PreparedNic n = e.nic();
            b.append(n.index()).append('\t').append(escape(n.type())).append('\t').append(escape(n.hostInterface()))
                    .append('\t').append(escape(n.transitName())).append('\t').append(escape(n.containerName()));
            e.down().ifPresent(d -> b.append('\t').append(escape(d.script())).append('\t').append(escape(d.parent()))
                    .append('\t').append(escape(d.configFile())).append('\t').append(escape(d.rootfsMount()))
                    .append('\t').append(escape(d.rootfsPath())).append('\t').append(d.version1() ? "1" : "0"));
            b.append('\n');
        }
        Path tmp = runDir.resolve(NAME + ".tmp");
        Files.writeString(tmp, b, StandardCharsets.UTF_8);
        Files.move(tmp, runDir.resolve(NAME), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** The recorded interfaces; none when there is no record. Malformed lines are skipped. */
    public static List<PreparedNic> read(Path runDir) throws IOException {
        return readEntries(runDir).stream().map(Entry::nic).toList();
    }

    /** The recorded interfaces with their down scripts; none when there is no record. */
    public static List<Entry> readEntries(Path runDir) throws IOException {
        Path file = runDir.resolve(NAME);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Entry> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t", -1);
            if (f.length != 5 && f.length != 11) {
                continue;
            }
            for (int i = 0; i < f.length; i++) {
                f[i] = unescape(f[i]);
            }
            try {
                PreparedNic nic = new PreparedNic(Integer.parseInt(f[0]), f[1], f[2], f[3], f[4]);
                Optional<DownScript> down = f.length == 5 ? Optional.empty()
                        : Optional.of(new DownScript(f[5], f[6], f[7], f[8], f[9], f[10].equals("1")));
                out.add(new Entry(nic, down));
            } catch (NumberFormatException e) {
                // not a line of ours
            }
        }
        return out;
    }

    private static final Map<Character, Character> ESCAPES = Map.of('t', '\t', 'n', '\n', '\\', '\\');

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && ESCAPES.containsKey(s.charAt(i + 1))) {
                b.append(ESCAPES.get(s.charAt(++i)));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
