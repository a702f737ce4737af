package org.lxj.launcher.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Installs the bundled launcher binary as {@code <libexec>/lxj-launcher-<sha256 prefix>}: written to a
 * temporary file, synced, renamed atomically, and re-verified (owner, mode 0700, digest) before each use.
 */
final class BinaryInstaller {
    static final String RESOURCE = "/native/x86_64/lxj-launcher";
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");

    private final Path libexec;

    BinaryInstaller(Path libexec) {
        this.libexec = libexec;
    }

    Path install() throws IOException {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new IOException("No launcher binary for architecture \"" + arch + "\"");
        }
        byte[] binary;
        try (InputStream in = BinaryInstaller.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("Launcher binary \"" + RESOURCE + "\" is missing from the bundle");
            }
            binary = in.readAllBytes();
        }
        String digest = sha256(binary);
        Files.createDirectories(libexec, PosixFilePermissions.asFileAttribute(OWNER_RWX));
        checkOwned(libexec, true);
        Path target = libexec.resolve("lxj-launcher-" + digest.substring(0, 16));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && verified(target, digest)) {
            return target;
        }
        Path tmp = Files.createTempFile(libexec, ".lxj-launcher-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_RWX));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                ch.write(java.nio.ByteBuffer.wrap(binary));
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        if (!verified(target, digest)) {
            throw new IOException("Launcher binary \"" + target + "\" does not verify after installation");
        }
        return target;
    }

    private static boolean verified(Path file, String digest) throws IOException {
        PosixFileAttributes a = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile() || !a.permissions().equals(OWNER_RWX)) {
            return false;
        }
        checkOwned(file, false);
        return sha256(Files.readAllBytes(file)).equals(digest);
    }

    private static void checkOwned(Path p, boolean dir) throws IOException {
        int owner = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int me = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
        if (owner != me || (dir && !isDir)) {
            throw new IOException("Refusing launcher location \"" + p + "\": owned by uid " + owner
                    + (dir && !isDir ? " and not a directory" : ""));
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
