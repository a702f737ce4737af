package org.lxj.launcher.internal;

import com.sun.jna.LastErrorException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One sealed memfd holding the launcher binary, shared by every launcher and monitor this runtime spawns
 * (CVE-2019-5736: a container cannot write the image it runs from). The launchers are spawned through
 * {@code /proc/<jvm>/fd/<memfd>}, so their text pages are one copy in the page cache instead of a private
 * copy per monitor, and the launcher skips its own re-exec because it already runs from a sealed memfd.
 */
final class SealedImage implements AutoCloseable {
    static final int SEALS = LibC.F_SEAL_SEAL | LibC.F_SEAL_SHRINK | LibC.F_SEAL_GROW | LibC.F_SEAL_WRITE;

    private final LibC libc;
    private final int fd;
    private final Path path;

    private SealedImage(LibC libc, int fd, Path path) {
        this.libc = libc;
        this.fd = fd;
        this.path = path;
    }

    /**
     * Copies the installed (verified) binary into a new memfd and seals it.
     *
     * @param libc   the C library
     * @param binary the installed launcher
     * @return the sealed image
     * @throws IOException when the memfd cannot be made or sealed
     */
    static SealedImage create(LibC libc, Path binary) throws IOException {
        byte[] image = Files.readAllBytes(binary);
        int fd;
        try {
            fd = memfd(libc);
        } catch (LastErrorException e) {
            throw new IOException("Failed to create a memfd for the launcher: " + Errno.name(e.getErrorCode()), e);
        }
        try {
            for (int off = 0; off < image.length;) {
                byte[] chunk = off == 0 ? image : java.util.Arrays.copyOfRange(image, off, image.length);
                off += (int) libc.write(fd, chunk, chunk.length);
            }
            try {
                libc.fcntl(fd, LibC.F_ADD_SEALS, SEALS | LibC.F_SEAL_EXEC);
            } catch (LastErrorException e) {
                libc.fcntl(fd, LibC.F_ADD_SEALS, SEALS); // kernels before 6.3 have no F_SEAL_EXEC
            }
            if ((libc.fcntl(fd, LibC.F_GET_SEALS, 0) & SEALS) != SEALS) {
                throw new IOException("The launcher memfd did not keep its seals");
            }
            return new SealedImage(libc, fd, Path.of("/proc/" + libc.getpid() + "/fd/" + fd));
        } catch (LastErrorException e) {
            libc.close(fd);
            throw new IOException("Failed to fill and seal the launcher memfd: " + Errno.name(e.getErrorCode()), e);
        } catch (IOException | RuntimeException e) {
            libc.close(fd);
            throw e;
        }
    }

    private static int memfd(LibC libc) {
        int flags = LibC.MFD_CLOEXEC | LibC.MFD_ALLOW_SEALING;
        try {
            return libc.memfd_create("lxj-launcher", flags | LibC.MFD_EXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != LibC.EINVAL) {
                throw e;
            }
            return libc.memfd_create("lxj-launcher", flags); // kernels before 6.3 have no MFD_EXEC
        }
    }

    /** The path a child execs: {@code /proc/<this process>/fd/<memfd>}, valid while the image is open. */
    Path path() {
        return path;
    }

    @Override
    public void close() {
        libc.close(fd);
    }
}
