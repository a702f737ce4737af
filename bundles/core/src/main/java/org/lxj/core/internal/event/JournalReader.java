package org.lxj.core.internal.event;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what was appended to a journal since the last call, starting at its end when opened. Only whole lines are
 * returned; a journal that shrank (started over) or appeared later is read from its start.
 */
public final class JournalReader {
    private final Path file;
    private long position;
    private final StringBuilder partial = new StringBuilder();

    /** A reader positioned at the current end of {@code file} (at 0 when it does not exist yet). */
    public JournalReader(Path file) {
        this.file = file;
        this.position = size();
    }

    private long size() {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return ch.size();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The whole lines appended since the last call. */
    public List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < position) {
                position = 0;
                partial.setLength(0);
            }
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (position < size) {
                b.clear();
                int n = ch.read(b, position);
                if (n <= 0) {
                    break;
                }
                position += n;
                partial.append(new String(b.array(), 0, n, StandardCharsets.UTF_8));
            }
        } catch (NoSuchFileException e) {
            position = 0;
            return lines;
        }
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            lines.add(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
        return lines;
    }
}
