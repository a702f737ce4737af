package org.lxj.core.internal.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Runs work that must not stop half way on a thread nobody interrupts, and defers the caller's interrupt until it
 * is done. A start interrupted in the middle (the daemon interrupts a command whose client hung up) would otherwise
 * fail on its first interruptible channel — a {@code FileChannel.lock} ends with
 * {@code FileLockInterruptionException}, a write with {@code ClosedByInterruptException} — with the monitor perhaps
 * spawned and the container half set up. The interrupt, whenever it came, is set again on the caller's thread
 * when the work returns or fails, so the caller still honours it afterwards.
 */
final class Uninterruptibly {
    private Uninterruptibly() {
    }

    /** Runs {@code work} to its end on a thread named {@code threadName}; its exception is rethrown here. */
    static void run(String threadName, Runnable work) {
        boolean interrupted = Thread.interrupted();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                work.run();
                done.complete(null);
            } catch (Throwable e) {
                done.completeExceptionally(e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        try {
            for (;;) {
                try {
                    done.get();
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;                    // honoured once the work is done
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
