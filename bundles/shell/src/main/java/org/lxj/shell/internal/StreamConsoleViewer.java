package org.lxj.shell.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A viewer on plain streams (a Gogo pipe, a test): no terminal, no raw mode, no window size. The input stream is
 * read by a daemon thread of its own, since a stream read cannot wait with a timeout; a read it has begun when the
 * relay ends is left to finish on its own.
 */
final class StreamConsoleViewer implements ConsoleViewer {
    private static final byte[] END = new byte[0];

    private final InputStream in;
    private final OutputStream out;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(16);
    private Thread reader;
    private boolean ended;

    StreamConsoleViewer(InputStream in, OutputStream out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public boolean terminal() {
        return false;
    }

    @Override
    public synchronized int read(byte[] buffer, int timeoutMillis) throws IOException {
        if (ended) {
            return -1;
        }
        if (reader == null) {
            reader = new Thread(this::pump, "lxj-console-input");
            reader.setDaemon(true);
            reader.start();
        }
        byte[] chunk;
        try {
            chunk = chunks.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
        if (chunk == null) {
            return 0;
        }
        if (chunk == END) {
            ended = true;
            return -1;
        }
        System.arraycopy(chunk, 0, buffer, 0, chunk.length);
        return chunk.length;
    }

    private void pump() {
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (n > 0) {
                    chunks.put(Arrays.copyOf(buf, n));
                }
            }
            chunks.put(END);
        } catch (IOException e) {
            chunks.offer(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        out.flush();
    }

    @Override
    public Optional<Size> size() {
        return Optional.empty();
    }

    @Override
    public AutoCloseable raw() {
        return () -> { };
    }

    @Override
    public AutoCloseable onResize(Runnable hook) {
        return () -> { };
    }
}
