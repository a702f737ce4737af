package org.lxj.template.local.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells a person at a terminal what a step is doing, but only once it has taken longer than a
 * threshold: a fast step prints nothing.
 */
final class SlowNotice implements AutoCloseable {

    static final Duration THRESHOLD = Duration.ofSeconds(1);

    private final String message;
    private final Optional<PrintStream> terminal;
    private final CompletableFuture<Void> timer;
    private boolean closed;
    private boolean shown;

    private SlowNotice(String message, Optional<PrintStream> terminal, Duration after) {
        this.message = message;
        this.terminal = terminal;
        this.timer = terminal.isEmpty() ? CompletableFuture.completedFuture(null)
                : CompletableFuture.runAsync(this::show,
                        CompletableFuture.delayedExecutor(after.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Starts the clock for {@code message}; nothing is ever printed when {@code terminal} is empty. */
    static SlowNotice start(String message, Optional<PrintStream> terminal, Duration after) {
        return new SlowNotice(message, terminal, after);
    }

    /** Standard error when the runtime has a terminal, else nothing. */
    static Optional<PrintStream> terminal() {
        return System.console() != null ? Optional.of(System.err) : Optional.empty();
    }

    private synchronized void show() {
        if (!closed) {
            shown = true;
            terminal.ifPresent(t -> t.println(message + "..."));
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        timer.cancel(false);
        if (shown) {
            terminal.ifPresent(t -> t.println(message + ": done"));
        }
    }
}
