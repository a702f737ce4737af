package org.lxj.shell.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A progress line for long copies, on a terminal only: after the first second it rewrites
 * {@code Copying NAME: 123 MiB} in place every second by measuring what has been written under a directory, and
 * clears the line when the copy ends. Without a terminal it prints nothing, so piped output stays LXC's.
 */
final class CopyProgress implements AutoCloseable {
    private static final long FIRST_MS = 1000;
    private static final long EVERY_MS = 1000;
    private static final long MIB = 1024 * 1024;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread thread;
    private final PrintStream out;
    private volatile int shown;

    private CopyProgress(PrintStream out, String label, Supplier<Long> written) {
        this.out = out;
        this.thread = new Thread(() -> loop(label, written), "lxj-copy-progress");
        thread.setDaemon(true);
    }

    /** Starts reporting when {@code io} is a terminal; a no-op otherwise. */
    static CopyProgress start(CommandIo io, String label, Path measured) {
        CopyProgress p = new CopyProgress(io.out(), label, () -> bytesUnder(measured));
        if (io.tty()) {
            p.thread.start();
        }
        return p;
    }

    private void loop(String label, Supplier<Long> written) {
        try {
            if (done.await(FIRST_MS, TimeUnit.MILLISECONDS)) {
                return;
            }
            do {
                String line = "Copying " + label + ": " + written.get() / MIB + " MiB";
                synchronized (this) {
                    out.print("\r" + line);
                    out.flush();
                    shown = line.length();
                }
            } while (!done.await(EVERY_MS, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes allocated to regular files under {@code dir}, following no links; 0 while it does not exist. */
    static long bytesUnder(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(CopyProgress::size).sum();
        } catch (NoSuchFileException | UncheckedIOException e) {
            return 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static long size(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : 0;
        } catch (IOException e) {
            return 0; // removed while the copy runs
        }
    }

    @Override
    public void close() {
        done.countDown();
        if (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (shown > 0) {
                out.print("\r" + " ".repeat(shown) + "\r");
                out.flush();
            }
        }
    }
}
