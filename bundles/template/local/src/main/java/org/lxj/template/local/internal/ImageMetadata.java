package org.lxj.template.local.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

import org.lxj.spi.backend.BackendException;

/**
 * An image's unpacked metadata tarball, read as {@code lxc-local} reads it: each file may come in a
 * variant for the mode ({@code config-user} in a user namespace, {@code config-system} otherwise) and
 * for the compatibility level ({@code config.5}), the most specific one present winning. Files that
 * are not regular files (a symlink out of the tarball) are refused, never followed.
 */
final class ImageMetadata implements AutoCloseable {

    /** The compatibility level lxc-local announces; {@code FILE.5} is preferred over {@code FILE}. */
    static final int COMPAT_LEVEL = 5;

    private final Path tarball;
    private final Path dir;
    private final String mode;

    private ImageMetadata(Path tarball, Path dir, String mode) {
        this.tarball = tarball;
        this.dir = dir;
        this.mode = mode;
    }

    /** Unpacks {@code tarball} into a new temporary directory, removed by {@link #close()}. */
    static ImageMetadata unpack(Tar tar, Path tarball, String mode) {
        Path dir;
        try {
            dir = Files.createTempDirectory("lxj-local-");
        } catch (IOException e) {
            throw new BackendException("Failed to create a temporary directory for \"" + tarball + "\": "
                    + e.getMessage(), e);
        }
        ImageMetadata meta = new ImageMetadata(tarball, dir, mode);
        try {
            tar.extract("metadata tarball", tarball, dir, List.of("--no-same-owner"));
        } catch (RuntimeException e) {
            meta.close();
            throw e;
        }
        return meta;
    }

    /** The most specific variant of {@code name} present, as lxc-local's {@code relevant_file}. */
    Optional<Path> file(String name) {
        Path p = dir.resolve(name);
        Path moded = dir.resolve(name + "-" + mode);
        if (Files.exists(moded, LinkOption.NOFOLLOW_LINKS)) {
            p = moded;
        }
        Path compat = p.resolveSibling(p.getFileName() + "." + COMPAT_LEVEL);
        if (Files.exists(compat, LinkOption.NOFOLLOW_LINKS)) {
            p = compat;
        }
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new BackendException("Metadata tarball \"" + tarball + "\": \"" + dir.relativize(p)
                    + "\" is not a regular file");
        }
        return Optional.of(p);
    }

    /** The text of {@code name}, empty when the image has no such file. */
    Optional<String> text(String name) {
        Optional<Path> p = file(name);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(p.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new BackendException("Metadata tarball \"" + tarball + "\": failed to read \"" + dir.relativize(p.get())
                    + "\": " + e.getMessage(), e);
        }
    }

    /** The non-blank lines of {@code name}, trimmed as the shell's {@code read} trims them. */
    List<String> lines(String name) {
        return text(name).map(t -> t.lines().map(String::strip).filter(l -> !l.isEmpty()).toList())
                .orElse(List.of());
    }

    Path tarball() {
        return tarball;
    }

    @Override
    public void close() {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    // a tarball may hold read-only directories; the walk does not follow symlinks
                    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    Files.delete(f);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new BackendException("Failed to remove temporary directory \"" + dir + "\": " + e.getMessage(), e);
        }
    }
}
