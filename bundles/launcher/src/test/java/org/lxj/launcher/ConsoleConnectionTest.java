package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The viewer's side of the console protocol against a scripted monitor socket (no root, no container). */
class ConsoleConnectionTest {
    private Path runDir;
    private ServerSocketChannel server;

    @BeforeEach
    void setUp() throws IOException {
        runDir = Files.createTempDirectory("lxj-console-unit-");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(runDir.resolve(MonitorClient.SOCKET)));
    }

    @AfterEach
    void tearDown() throws IOException {
        server.close();
        Files.deleteIfExists(runDir.resolve(MonitorClient.SOCKET));
        Files.deleteIfExists(runDir);
    }

    /** Accepts one connection, reads the request line, answers {@code reply}, then hands the socket on. */
    private CompletableFuture<SocketChannel> monitor(String expectRequest, byte[] reply) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                SocketChannel ch = server.accept();
                assertEquals(expectRequest, readLine(ch));
                ch.write(ByteBuffer.wrap(reply));
                return ch;
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
    }

    private static String readLine(SocketChannel ch) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                throw new IOException("EOF in the request line");
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(one.get(0));
        }
    }

    private static byte[] readExactly(SocketChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IOException("EOF after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.array();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void keystrokesAndResizesAreFramedAndOutputIsRaw() throws Exception {
        CompletableFuture<SocketChannel> peer = monitor("console -1 24 80", ascii("OK 2\n"));
        try (ConsoleConnection c = ConsoleConnection.open(runDir, -1, 24, 80);
                SocketChannel m = peer.get(10, TimeUnit.SECONDS)) {
            assertEquals(2, c.tty());
            byte[] keys = new byte[5000];
            for (int i = 0; i < keys.length; i++) {
                keys[i] = (byte) i;
            }
            c.write(keys, 0, keys.length);
            c.resize(50, 300);
            // at most 4096 bytes per frame, u16 lengths in network order
            byte[] first = readExactly(m, 3 + 4096);
            assertEquals(Protocol.CONSOLE_FRAME_INPUT, first[0]);
            assertEquals(4096, ((first[1] & 0xff) << 8) | (first[2] & 0xff));
            byte[] second = readExactly(m, 3 + 904);
            assertEquals(904, ((second[1] & 0xff) << 8) | (second[2] & 0xff));
            assertEquals((byte) 4096, second[3]);
            assertArrayEquals(new byte[] { Protocol.CONSOLE_FRAME_RESIZE, 0, 4, 0, 50, 1, 44 }, readExactly(m, 7));
            m.write(ByteBuffer.wrap(ascii("login: ")));
            byte[] out = new byte[7];
            assertEquals(7, c.output().readNBytes(out, 0, 7));
            assertEquals("login: ", new String(out, StandardCharsets.US_ASCII));
            m.close(); // the monitor exits: the viewer sees end of stream
            assertEquals(-1, c.output().read());
        }
    }

    @Test
    void aBusyTtyIsDeniedAndAMissingOneIsNot() throws Exception {
        CompletableFuture<SocketChannel> peer = monitor("console 1 0 0", ascii("ERR EBUSY tty service denied\n"));
        ConsoleException denied = assertThrows(ConsoleException.class, () -> ConsoleConnection.open(runDir, 1, 0, 0));
        peer.get(10, TimeUnit.SECONDS).close();
        assertTrue(denied.denied());
        assertEquals("Console of \"" + runDir + "\" refused tty 1: tty service denied", denied.getMessage());
        peer = monitor("console 9 0 0", ascii("ERR ENOENT no such tty\n"));
        ConsoleException missing = assertThrows(ConsoleException.class, () -> ConsoleConnection.open(runDir, 9, 0, 0));
        peer.get(10, TimeUnit.SECONDS).close();
        assertFalse(missing.denied());
        assertEquals("Console of \"" + runDir + "\" refused tty 9: no such tty (ENOENT)", missing.getMessage());
    }

    @Test
    void theBufferIsReadToItsAnnouncedLength() throws Exception {
        CompletableFuture<SocketChannel> peer = monitor("console-buffer", ascii("OK 10\nhello\r\nend"));
        assertEquals("hello\r\nend", new String(ConsoleConnection.buffer(runDir), StandardCharsets.US_ASCII));
        peer.get(10, TimeUnit.SECONDS).close();
        peer = monitor("console-buffer", ascii("OK 0\n"));
        assertEquals(0, ConsoleConnection.buffer(runDir).length);
        peer.get(10, TimeUnit.SECONDS).close();
    }

    @Test
    void aContainerWithoutAMonitorIsNotRunning() throws Exception {
        server.close();
        Files.delete(runDir.resolve(MonitorClient.SOCKET));
        ConsoleException e = assertThrows(ConsoleException.class, () -> ConsoleConnection.open(runDir, 0, 0, 0));
        assertFalse(e.denied());
        assertTrue(e.getMessage().startsWith("Container of \"" + runDir + "\" is not running"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConsoleConnection.open(runDir, -2, 0, 0));
    }
}
