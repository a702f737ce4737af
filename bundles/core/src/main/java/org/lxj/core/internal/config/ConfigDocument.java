package org.lxj.core.internal.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.lxj.api.ConfigException;
import org.lxj.api.LxjException;

/**
 * A config file as lines, kept with comments and order, for rewriting. Loading and rendering an unchanged
 * document gives the file back byte for byte: lines keep their own line ends, and bytes are held one char
 * each (ISO-8859-1) so that any encoding survives; new text is stored as its UTF-8 bytes.
 */
public final class ConfigDocument {
    /** One line: its text without the line end, and the line end ({@code "\n"}, {@code "\r\n"} or none). */
    record Line(String text, String eol) {
        LineSyntax.Split split() {
            return LineSyntax.split(text);
        }

        String key() {
            LineSyntax.Split s = split();
            return s.kind() == LineSyntax.Kind.ENTRY ? s.key() : null;
        }
    }

    private final List<Line> lines;

    private ConfigDocument(List<Line> lines) {
        this.lines = lines;
    }

    /** Reads a file's lines (no include expansion). */
    public static ConfigDocument load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, null, "Failed to read config file \"" + file
                    + "\": No such file or directory");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "Failed to read config file \"" + file + "\": "
                    + e.getMessage());
        }
        return parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    /** A document of the given text (as ISO-8859-1 chars, one per byte). */
    static ConfigDocument parse(String raw) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < raw.length()) {
            int nl = raw.indexOf('\n', start);
            if (nl < 0) {
                lines.add(new Line(raw.substring(start), ""));
                break;
            }
            boolean crlf = nl > start && raw.charAt(nl - 1) == '\r';
            lines.add(new Line(raw.substring(start, crlf ? nl - 1 : nl), crlf ? "\r\n" : "\n"));
            start = nl + 1;
        }
        return new ConfigDocument(lines);
    }

    /** A document with no lines. */
    public static ConfigDocument empty() {
        return new ConfigDocument(new ArrayList<>());
    }

    /** Appends a {@code key = value} line. */
    public void append(String key, String value) {
        add(bytes(key + " = " + value));
    }

    /** Appends a comment line ({@code # text}), or an empty line for an empty text. */
    public void appendComment(String text) {
        add(text.isEmpty() ? "" : bytes("# " + text));
    }

    /** Replaces the last line of a scalar key in place, or appends it. */
    public void set(String key, String value) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (key.equals(lines.get(i).key())) {
                lines.set(i, new Line(bytes(key + " = " + value), lines.get(i).eol()));
                return;
            }
        }
        append(key, value);
    }

    /** Removes every line of {@code key}. */
    public void remove(String key) {
        lines.removeIf(l -> key.equals(l.key()));
    }

    /** The values of {@code key} in file order, as this file writes them (no includes, no legacy names). */
    public List<String> values(String key) {
        List<String> out = new ArrayList<>();
        for (Line l : lines) {
            LineSyntax.Split s = l.split();
            if (s.kind() == LineSyntax.Kind.ENTRY && s.key().equals(key)) {
                out.add(new String(s.value().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** The text, exactly as it would be saved. */
    public String render() {
        return new String(rawBytes(), StandardCharsets.UTF_8);
    }

    /** Writes atomically (temp file in the same directory, fsync, rename). */
    public void save(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(rawBytes());
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new LxjException("Failed to write config file \"" + abs + "\": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the write already failed; that error is the one to report
                }
            }
        }
    }

    /** The lines, for in-package rewriting ({@link ConfigUpdater}). */
    List<Line> lines() {
        return lines;
    }

    private void add(String text) {
        int last = lines.size() - 1;
        if (last >= 0 && lines.get(last).eol().isEmpty()) {
            lines.set(last, new Line(lines.get(last).text(), "\n"));
        }
        lines.add(new Line(text, "\n"));
    }

    private byte[] rawBytes() {
        StringBuilder sb = new StringBuilder();
        for (Line l : lines) {
            sb.append(l.text()).append(l.eol());
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Java text as one char per UTF-8 byte. */
    static String bytes(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }
}
