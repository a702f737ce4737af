package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

import org.lxj.api.ConfigException;
import org.lxj.api.LxjException;

/** Reading and writing a new container's config text, as {@code lxc-create} does. */
final class ConfigFiles {

    private ConfigFiles() {
    }

    /**
     * A config file's lines as LXC copies them into a new container: every line as written (comments, includes
     * and spacing kept), blank lines left out.
     */
    static List<String> copiedLines(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return text.lines().filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, null, null, "No such file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, null, null, "Not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "Failed to read: " + e);
        }
    }

    /** Reads a whole file. */
    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + file + "\": " + e, e);
        }
    }

    /** Writes {@code text} to {@code file} atomically (temp file beside it, fsync, rename), mode 0640 as LXC. */
    static void write(Path file, String text) {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID());
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(StandardCharsets.UTF_8.encode(text));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new LxjException("Failed to write \"" + file + "\": " + e, e);
        }
    }

    /** Lines joined as a file: each ends with a newline. */
    static String text(List<String> lines) {
        StringBuilder sb = new StringBuilder();
        lines.forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }
}
