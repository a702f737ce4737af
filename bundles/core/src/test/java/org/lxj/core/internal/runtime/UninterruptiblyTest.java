package org.lxj.core.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.LxjException;

/** Work run uninterruptibly finishes although its caller is interrupted before or during it; the interrupt stays. */
class UninterruptiblyTest {
    private static final long HANG_SECONDS = 30;

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void anInterruptBeforeTheWorkNeitherReachesItNorIsLost() {
        AtomicBoolean workInterrupted = new AtomicBoolean(true);
        Thread.currentThread().interrupt();
        Uninterruptibly.run("work", () -> workInterrupted.set(Thread.currentThread().isInterrupted()));
        assertFalse(workInterrupted.get(), "the work ran without the interrupt");
        assertTrue(Thread.interrupted(), "the caller is still interrupted");
    }

    @Test
    void anInterruptDuringTheWorkWaitsForItsEnd() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Boolean> callerInterrupted = new CompletableFuture<>();
        AtomicBoolean finished = new AtomicBoolean();
        Thread caller = new Thread(() -> {
            Uninterruptibly.run("work", () -> {
                running.countDown();
                try {
                    assertTrue(release.await(HANG_SECONDS, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException("the work was interrupted", e);
                }
                finished.set(true);
            });
            callerInterrupted.complete(Thread.currentThread().isInterrupted());
        });
        caller.start();
        assertTrue(running.await(HANG_SECONDS, TimeUnit.SECONDS));
        caller.interrupt();
        release.countDown();
        assertTrue(callerInterrupted.get(HANG_SECONDS, TimeUnit.SECONDS), "the interrupt is set again afterwards");
        assertTrue(finished.get(), "the work ran to its end");
        caller.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
    }

    @Test
    void theWorksFailureIsThrownAsItIs() {
        LxjException failure = new LxjException("Failed to start \"c1\"");
        assertSame(failure, assertThrows(LxjException.class, () -> Uninterruptibly.run("work", () -> {
            throw failure;
        })));
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(IllegalStateException.class, assertThrows(IllegalStateException.class,
                () -> Uninterruptibly.run("work", () -> {
                    throw new IllegalStateException("broken");
                })).getClass());
    }
}
