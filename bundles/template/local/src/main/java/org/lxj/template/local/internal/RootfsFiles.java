package org.lxj.template.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.lxj.spi.backend.BackendException;

/**
 * Edits files of an unpacked image in place. The image is untrusted: a listed path is edited only when
 * it and every directory on the way to it under the rootfs is not a symlink, so an edit never lands
 * on the host.
 */
final class RootfsFiles {

    private final Path rootfs;

    RootfsFiles(Path rootfs) {
        this.rootfs = rootfs;
    }

    /**
     * The regular file {@code listed} (an absolute path inside the container, as the image lists it),
     * empty when it is missing, not a regular file, or reached through a symlink.
     */
    Optional<Path> regularFile(String listed) {
        Path rel = Path.of("/").relativize(Path.of("/", listed)).normalize();
        if (rel.toString().isEmpty() || rel.startsWith("..")) {
            return Optional.empty();
        }
        Path current = rootfs;
        for (Path part : rel) {
            current = current.resolve(part);
            if (Files.isSymbolicLink(current) || !Files.exists(current, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
        }
        return Files.isRegularFile(current, LinkOption.NOFOLLOW_LINKS) ? Optional.of(current) : Optional.empty();
    }

    /**
     * Rewrites {@code file} with {@code edit} applied, keeping its inode, owner and mode. The text is
     * read byte for byte (ISO-8859-1), as sed would, so the edit's replacements must be too.
     */
    static void edit(Path file, UnaryOperator<String> edit) {
        try {
            String before = Files.readString(file, StandardCharsets.ISO_8859_1);
            String after = edit.apply(before);
            if (!after.equals(before)) {
                Files.writeString(file, after, StandardCharsets.ISO_8859_1, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new BackendException("Failed to edit \"" + file + "\": " + e.getMessage(), e);
        }
    }
}
