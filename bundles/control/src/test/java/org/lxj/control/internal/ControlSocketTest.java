package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.internal.JnaSyscalls;

/** The listening socket on a real kernel, in a temporary directory: no root needed. */
class ControlSocketTest {
    private final JnaSyscalls sys = new JnaSyscalls();

    @TempDir
    Path tmp;

    @Test
    void listensOwnerOnlyInANewPrivateDirectoryAndCleansUp() throws Exception {
        Path path = tmp.resolve("run/control.sock");
        try (ControlSocket s = ControlSocket.listen(sys, path)) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path.getParent())));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
            int client = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0);
            try {
                sys.connect(client, path.toString());
                int conn = s.accept();
                assertEquals(sys.getpid(), sys.peerCredentials(conn).pid());
                sys.close(conn);
            } finally {
                sys.close(client);
            }
            ControlException twice = assertThrows(ControlException.class, () -> ControlSocket.listen(sys, path));
            assertEquals("Another runtime is already listening on \"" + path + "\"", twice.getMessage());
        }
        assertFalse(Files.exists(path), "the socket is removed on close");
    }

    @Test
    void aStaleSocketIsReplacedAndAFileIsNot() throws Exception {
        Path path = tmp.resolve("control.sock");
        ControlSocket first = ControlSocket.listen(sys, path);
        // a runtime that died: its socket file stays, nobody listens
        int fd = sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET, 0);
        sys.close(fd);
        first.shutdown();
        Path kept = tmp.resolve("kept.sock");
        Files.createLink(kept, path);
        first.close();
        Files.move(kept, path);
        assertTrue(Files.exists(path));
        try (ControlSocket second = ControlSocket.listen(sys, path)) {
            assertTrue(Files.exists(second.path()));
        }
        Path file = Files.writeString(tmp.resolve("file.sock"), "x");
        ControlException e = assertThrows(ControlException.class, () -> ControlSocket.listen(sys, file));
        assertEquals("Refusing to replace \"" + file + "\": it is not a socket", e.getMessage());
    }

    @Test
    void shutdownWakesAccept() throws Exception {
        ControlSocket s = ControlSocket.listen(sys, tmp.resolve("c.sock"));
        Thread t = new Thread(() -> {
            try {
                s.accept();
            } catch (RuntimeException expected) {
                // woken by shutdown
            }
        });
        t.start();
        s.shutdown();
        t.join(30_000);
        assertFalse(t.isAlive(), "accept returned");
        s.close();
    }
}
