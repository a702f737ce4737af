package org.lxj.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryInstallerTest {
    @TempDir
    Path tmp;
    private byte[] bundled;

    @BeforeEach
    void bundled() throws IOException {
        String arch = System.getProperty("os.arch");
        assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "the launcher is built for x86_64 only, not " + arch);
        try (InputStream in = BinaryInstaller.class.getResourceAsStream(BinaryInstaller.RESOURCE)) {
            assumeTrue(in != null, "the launcher binary was not built into the test classpath");
            bundled = in.readAllBytes();
        }
    }

    @Test
    void installsOnceAndReusesTheVerifiedFile() throws IOException {
        BinaryInstaller installer = new BinaryInstaller(tmp.resolve("libexec"));
        Path first = installer.install();
        assertEquals("lxj-launcher-" + BinaryInstaller.sha256(bundled).substring(0, 16), first.getFileName().toString());
        assertArrayEquals(bundled, Files.readAllBytes(first));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(first)));
        Object inode = Files.getAttribute(first, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        Path second = installer.install();
        assertEquals(first, second);
        assertEquals(inode, Files.getAttribute(second, "unix:ino", LinkOption.NOFOLLOW_LINKS));
        // a second installer (another runtime process) verifies the existing file and keeps it
        assertEquals(first, new BinaryInstaller(tmp.resolve("libexec")).install());
        assertEquals(inode, Files.getAttribute(first, "unix:ino", LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void replacesATamperedBinaryAfterItWasVerified() throws IOException {
        BinaryInstaller installer = new BinaryInstaller(tmp.resolve("libexec"));
        Path installed = installer.install();
        // same size, one byte changed in place: the identity (times) changes, so the digest is checked again
        try (var ch = java.nio.channels.FileChannel.open(installed, StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (bundled[100] ^ 0xff)}), 100);
        }
        assertNotEquals(bundled[100], Files.readAllBytes(installed)[100]);
        assertEquals(installed, installer.install());
        assertArrayEquals(bundled, Files.readAllBytes(installed));
    }

    @Test
    void replacesADeletedBinaryAndAWrongMode() throws IOException {
        BinaryInstaller installer = new BinaryInstaller(tmp.resolve("libexec"));
        Path installed = installer.install();
        Files.delete(installed);
        assertEquals(installed, installer.install());
        assertArrayEquals(bundled, Files.readAllBytes(installed));
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertEquals(installed, installer.install());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(installed)));
    }

    @Test
    void refusesALocationThatIsNotADirectory() throws IOException {
        Path file = Files.writeString(tmp.resolve("libexec"), "x");
        assertThrows(IOException.class, () -> new BinaryInstaller(file).install());
    }
}
