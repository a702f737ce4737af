package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConsoleSession;

/** The console relay against a fake session and a scripted viewer; no container, no terminal. */
class ConsoleRelayTest {

    /** A console session whose output the test feeds and whose input it records. */
    static class FakeConsole implements ConsoleSession {
        final int tty;
        final ByteArrayOutputStream typed = new ByteArrayOutputStream();
        final List<String> resizes = new ArrayList<>();
        final LinkedBlockingQueue<byte[]> output = new LinkedBlockingQueue<>();
        volatile boolean closed;
        private static final byte[] EOF = new byte[0];

        FakeConsole(int tty) {
            this.tty = tty;
        }

        void print(String s) {
            output.add(s.getBytes(StandardCharsets.UTF_8));
        }

        void stop() {
            output.add(EOF);
        }

        @Override
        public int tty() {
            return tty;
        }

        @Override
        public InputStream output() {
            return new InputStream() {
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (ended) {
                        return -1;
                    }
                    try {
                        byte[] chunk = output.take();
                        if (chunk == EOF) {
                            ended = true;
                            return -1;
                        }
                        System.arraycopy(chunk, 0, b, off, chunk.length);
                        return chunk.length;
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            };
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            typed.write(b, off, len);
        }

        @Override
        public synchronized void resize(int rows, int columns) {
            resizes.add(rows + "x" + columns);
        }

        @Override
        public void close() {
            closed = true;
            stop();
        }

        synchronized byte[] typed() {
            return typed.toByteArray();
        }
    }

    /**
     * A viewer that hands out scripted keystroke chunks, one per read, and then ends its input or waits for the
     * console's output to end (as a person who stops typing would).
     */
    static final class ScriptedViewer implements ConsoleViewer {
        final Deque<Object> script = new ArrayDeque<>();
        final ByteArrayOutputStream shown = new ByteArrayOutputStream();
        final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        volatile Optional<Size> size = Optional.empty();
        final boolean endInput;
        int rawEntered;
        int rawRestored;

        ScriptedViewer(boolean endInput, Object... steps) {
            this.endInput = endInput;
            script.addAll(List.of(steps));
        }

        @Override
        public boolean terminal() {
            return true;
        }

        @Override
        public int read(byte[] buffer, int timeoutMillis) {
            Object step = script.poll();
            if (step == null) {
                if (!endInput) {
                    LockSupport.parkNanos(1_000_000L);      // a person who stopped typing: no busy loop
                }
                return endInput ? -1 : 0;
            }
            if (step instanceof Size s) {
                size = Optional.of(s);
                return 0;
            }
            byte[] b = (byte[]) step;
            System.arraycopy(b, 0, buffer, 0, b.length);
            return b.length;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            shown.write(b, off, len);
            lines.add(new String(b, off, len, StandardCharsets.UTF_8));
        }

        @Override
        public Optional<Size> size() {
            return size;
        }

        @Override
        public AutoCloseable raw() {
            rawEntered++;
            return () -> rawRestored++;
        }

        @Override
        public AutoCloseable onResize(Runnable hook) {
            return () -> { };
        }
    }

    static byte[] keys(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void ctrlAQDetachesAndEverythingElseIsTyped() throws IOException {
        FakeConsole console = new FakeConsole(0);
        ScriptedViewer viewer = new ScriptedViewer(false, keys("echo hi\r"), keys("\u0001\u0001x\u0001y"),
                keys("\u0001q"), keys("never sent"));
        ConsoleRelay.End end = new ConsoleRelay(console, viewer, 1, false).run();
        assertEquals(ConsoleRelay.End.DETACHED, end);
        assertArrayEquals(keys("echo hi\r\u0001xy"), console.typed());
        assertTrue(console.closed);
        assertEquals(1, viewer.rawEntered);
        assertEquals(1, viewer.rawRestored);
    }

    @Test
    void anEscapeSplitAcrossReadsStillDetaches() throws IOException {
        FakeConsole console = new FakeConsole(1);
        ScriptedViewer viewer = new ScriptedViewer(false, keys("a\u0002"), keys("q"));
        assertEquals(ConsoleRelay.End.DETACHED, new ConsoleRelay(console, viewer, 2, false).run());
        assertArrayEquals(keys("a"), console.typed());
    }

    @Test
    void withoutEscapeCtrlAQGoesToTheContainer() throws IOException {
        FakeConsole console = new FakeConsole(0);
        ScriptedViewer viewer = new ScriptedViewer(true, keys("\u0001q"));
        assertEquals(ConsoleRelay.End.INPUT_ENDED, new ConsoleRelay(console, viewer, 0, false).run());
        assertArrayEquals(keys("\u0001q"), console.typed());
    }

    @Test
    void outputReachesTheViewerAndItsEndEndsTheRelay() throws Exception {
        FakeConsole console = new FakeConsole(0);
        ScriptedViewer viewer = new ScriptedViewer(false);
        console.print("boot\r\n");
        console.print("/ # ");
        Thread t = new Thread(() -> {
            try {
                assertEquals("boot\r\n", viewer.lines.poll(30, TimeUnit.SECONDS));
                assertEquals("/ # ", viewer.lines.poll(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            console.stop();
        });
        t.start();
        assertEquals(ConsoleRelay.End.STOPPED, new ConsoleRelay(console, viewer, 1, false).run());
        t.join();
        assertEquals("boot\r\n/ # ", viewer.shown.toString(StandardCharsets.UTF_8));
    }

    @Test
    void untilStoppedKeepsRelayingAfterTheInputEnded() throws Exception {
        FakeConsole console = new FakeConsole(0);
        ScriptedViewer viewer = new ScriptedViewer(true);
        Thread t = new Thread(() -> {
            console.print("still here\n");
            try {
                viewer.lines.poll(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            console.stop();
        });
        t.start();
        assertEquals(ConsoleRelay.End.STOPPED, new ConsoleRelay(console, viewer, 0, true).run());
        t.join();
        assertEquals("still here\n", viewer.shown.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theWindowSizeFollowsTheViewer() throws IOException {
        FakeConsole console = new FakeConsole(0);
        ScriptedViewer viewer = new ScriptedViewer(false, new ConsoleViewer.Size(24, 80), keys("x"),
                new ConsoleViewer.Size(24, 80), new ConsoleViewer.Size(50, 132), keys("\u0001q"));
        new ConsoleRelay(console, viewer, 1, false).run();
        assertEquals(List.of("24x80", "50x132"), console.resizes);
    }

    @Test
    void theTerminalIsRestoredWhenTheRelayFails() {
        FakeConsole console = new FakeConsole(0) {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                throw new IllegalStateException("Failed to write to tty 0");
            }
        };
        ScriptedViewer viewer = new ScriptedViewer(false, keys("x"));
        assertThrows(IllegalStateException.class, () -> new ConsoleRelay(console, viewer, 1, false).run());
        assertEquals(1, viewer.rawRestored);
        assertTrue(console.closed);
    }

    @Test
    void aStreamViewerReadsWithATimeoutAndEnds() throws IOException {
        StreamConsoleViewer v = new StreamConsoleViewer(new java.io.ByteArrayInputStream(keys("ab")),
                new ByteArrayOutputStream());
        byte[] buf = new byte[16];
        int n;
        StringBuilder got = new StringBuilder();
        while ((n = v.read(buf, 1000)) >= 0) {
            got.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        assertEquals("ab", got.toString());
    }
}
