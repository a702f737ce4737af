package org.lxj.linux.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.PeerCredentials;
import org.lxj.linux.ReceivedMessage;
import org.lxj.linux.SocketFlags;
import org.lxj.linux.SyscallException;

/** The socket calls against the real kernel, as any user. */
class SocketSyscallsTest {

    private final JnaSyscalls sys = new JnaSyscalls();
    private final List<Integer> open = new ArrayList<>();

    @TempDir
    Path tmp;

    @AfterEach
    void closeAll() {
        for (int fd : open) {
            try {
                sys.close(fd);
            } catch (SyscallException e) {
                // closed by the test already
            }
        }
    }

    private int track(int fd) {
        open.add(fd);
        return fd;
    }

    @Test
    void seqpacketCarriesMessagesAndDescriptors() throws Exception {
        int[] pair = sys.socketpair(SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC);
        track(pair[0]);
        track(pair[1]);
        Path file = Files.writeString(tmp.resolve("f"), "content");
        int fileFd = track(sys.open(file.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0));
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);

        assertEquals(5, sys.sendmsg(pair[0], msg, msg.length, new int[] {fileFd, fileFd}, SocketFlags.MSG_NOSIGNAL));
        byte[] buf = new byte[64];
        ReceivedMessage r = sys.recvmsg(pair[1], buf, 4, SocketFlags.MSG_CMSG_CLOEXEC);
        r.fds().forEach(this::track);

        assertEquals(5, r.length());
        assertFalse(r.truncated());
        assertEquals("hello", new String(buf, 0, r.length(), StandardCharsets.UTF_8));
        assertEquals(2, r.fds().size());
        assertEquals(sys.fstat(fileFd).ino(), sys.fstat(r.fds().get(0)).ino());
        byte[] content = new byte[16];
        assertEquals(7, sys.read(r.fds().get(1), content, 0, content.length));
        assertEquals("content", new String(content, 0, 7, StandardCharsets.UTF_8));
    }

    @Test
    void tooManyDescriptorsAreReportedTruncated() {
        int[] pair = sys.socketpair(SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC);
        track(pair[0]);
        track(pair[1]);
        byte[] msg = {1, 2, 3};
        sys.sendmsg(pair[0], msg, 3, new int[] {pair[0], pair[0], pair[0]}, SocketFlags.MSG_NOSIGNAL);
        ReceivedMessage r = sys.recvmsg(pair[1], new byte[2], 1, SocketFlags.MSG_CMSG_CLOEXEC);
        r.fds().forEach(this::track);
        assertTrue(r.truncated(), r.toString());
        // the kernel fills the control buffer's padding too: 1 fd asked for, room for 2
        assertTrue(r.fds().size() < 3, r.toString());
    }

    @Test
    void peerCredentialsAreThisProcess() {
        int[] pair = sys.socketpair(SocketFlags.SOCK_STREAM | SocketFlags.SOCK_CLOEXEC);
        track(pair[0]);
        track(pair[1]);
        PeerCredentials c = sys.peerCredentials(pair[1]);
        assertEquals(sys.getpid(), c.pid());
        assertEquals(sys.geteuid(), c.uid());
    }

    @Test
    void listenAcceptConnectAndShutdownWakesAccept() throws Exception {
        String path = tmp.resolve("s.sock").toString();
        int server = track(sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0));
        sys.bind(server, path);
        sys.listen(server, 4);
        int client = track(sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0));
        sys.connect(client, path);
        int conn = track(sys.accept(server, SocketFlags.SOCK_CLOEXEC));
        byte[] ping = {42};
        sys.sendmsg(client, ping, 1, new int[0], SocketFlags.MSG_NOSIGNAL);
        byte[] buf = new byte[8];
        ReceivedMessage r = sys.recvmsg(conn, buf, 0, 0);
        assertEquals(1, r.length());
        assertEquals(42, buf[0]);
        assertEquals(sys.getpid(), sys.peerCredentials(conn).pid());

        sys.close(client);
        assertEquals(0, sys.recvmsg(conn, buf, 0, 0).length(), "the end of the stream after the peer closed");

        CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                track(sys.accept(server, SocketFlags.SOCK_CLOEXEC));
                return null;
            } catch (SyscallException e) {
                return e;
            }
        });
        // Whether accept is already blocked or not yet called, it fails once the socket is shut down.
        sys.shutdown(server, SocketFlags.SHUT_RDWR);
        Throwable woken = blocked.get(30, TimeUnit.SECONDS);
        assertTrue(woken instanceof SyscallException, "accept fails after shutdown");
    }

    @Test
    void connectToNothingFailsWithTheErrno() {
        int fd = track(sys.socket(SocketFlags.AF_UNIX, SocketFlags.SOCK_SEQPACKET | SocketFlags.SOCK_CLOEXEC, 0));
        String path = tmp.resolve("none.sock").toString();
        SyscallException e = assertThrows(SyscallException.class, () -> sys.connect(fd, path));
        assertTrue(e.is(Errno.ENOENT), e.getMessage());
        assertEquals("Failed to connect fd " + fd + " to \"" + path + "\": " + Errno.describe(Errno.ENOENT.number()),
                e.getMessage());
        String tooLong = "/" + "x".repeat(SocketFlags.UNIX_PATH_MAX);
        assertTrue(assertThrows(SyscallException.class, () -> sys.bind(fd, tooLong)).is(Errno.ENAMETOOLONG));
    }

    @Test
    void readAndWriteAtAnOffset() throws Exception {
        Path file = tmp.resolve("rw");
        int fd = track(sys.open(file.toString(), OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_CLOEXEC, 0600));
        byte[] data = "xxabcyy".getBytes(StandardCharsets.UTF_8);
        assertEquals(3, sys.write(fd, data, 2, 3));
        assertEquals("abc", Files.readString(file));
        int again = track(sys.open(file.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0));
        byte[] into = new byte[6];
        assertEquals(3, sys.read(again, into, 3, 3));
        assertArrayEquals(new byte[] {0, 0, 0, 'a', 'b', 'c'}, into);
        assertEquals(0, sys.read(again, into, 0, 6));
    }
}
