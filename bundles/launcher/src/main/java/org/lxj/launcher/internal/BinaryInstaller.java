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
import java.util.Map;
import java.util.Set;

/**
 * Installs the bundled launcher binary as {@code <libexec>/lxj-launcher-<sha256 prefix>}: written to a
 * temporary file, synced, renamed atomically, and verified (owner, mode 0700, digest). The digest is checked
 * once per installer; later uses compare the file's identity (device, inode, size, times, mode, owner) with the
 * one recorded at that check, and hash it again only when any of them changed.
 */
final class BinaryInstaller {
    static final String RESOURCE = "/native/x86_64/lxj-launcher";
    private static final Set<PosixFilePermission> OWNER_RWX = PosixFilePermissions.fromString("rwx------");
    private static final String IDENTITY = "unix:dev,ino,size,lastModifiedTime,ctime,mode,uid,nlink";

    private final Path libexec;
    /** The bundled binary's digest, computed once (the resource cannot change while the bundle is resolved). */
    private String digest;
    /** The installed binary and its identity when its digest was last verified; null before. */
    private Path verifiedPath;
    private Map<String, Object> verifiedIdentity;

    BinaryInstaller(Path libexec) {
        this.libexec = libexec;
    }

    synchronized Path install() throws IOException {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64")) {
            throw new IOException("No launcher binary for architecture \"" + arch + "\"");
        }
        if (verifiedPath != null && unchanged(verifiedPath, verifiedIdentity)) {
            return verifiedPath;
        }
        verifiedPath = null;
        verifiedIdentity = null;
        byte[] binary = digest == null ? resource() : null;
        if (digest == null) {
            digest = sha256(binary);
        }
        Files.createDirectories(libexec, PosixFilePermissions.asFileAttribute(OWNER_RWX));
        checkOwned(libexec, true);
        Path target = libexec.resolve("lxj-launcher-" + digest.substring(0, 16));
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            Map<String, Object> before = identity(target);
            if (verified(target, digest)) {
                return remember(target, before);
            }
        }
        if (binary == null) {
            binary = resource();
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
        Map<String, Object> before = identity(target);
        if (!verified(target, digest)) {
            throw new IOException("Launcher binary \"" + target + "\" does not verify after installation");
        }
        return remember(target, before);
    }

    private static byte[] resource() throws IOException {
        try (InputStream in = BinaryInstaller.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("Launcher binary \"" + RESOURCE + "\" is missing from the bundle");
            }
            return in.readAllBytes();
        }
    }

    /**
     * Records the identity a file had before it was hashed, if it still has it: a change during the hash leaves
     * nothing recorded, so the next use hashes again.
     */
    private Path remember(Path target, Map<String, Object> before) throws IOException {
        if (identity(target).equals(before)) {
            verifiedIdentity = before;
            verifiedPath = target;
        }
        return target;
    }

    private boolean unchanged(Path file, Map<String, Object> known) throws IOException {
        Map<String, Object> now;
        try {
            now = identity(file);
            checkOwned(libexec, true);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        return now.equals(known);
    }

    private static Map<String, Object> identity(Path file) throws IOException {
        Map<String, Object> a = Files.readAttributes(file, IDENTITY, LinkOption.NOFOLLOW_LINKS);
        // FileTime and boxed numbers compare by value
        return Map.copyOf(a);
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
