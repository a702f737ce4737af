package org.lxj.core.internal.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.function.BiFunction;

import org.lxj.api.ContainerState;
import org.lxj.api.event.ContainerEvent;
import org.lxj.core.internal.lifecycle.EventSink;

/**
 * {@code lxc-wait}: wakes on every event this runtime emits and otherwise re-reads the state every 50 ms, which
 * also catches changes made by another runtime process on the same run directory.
 */
public final class StateWaiter implements EventSink {
    static final long POLL_MILLIS = 50;

    private final EventSink delegate;
    private final Object changed = new Object();

    public StateWaiter(EventSink delegate) {
        this.delegate = delegate;
    }

    @Override
    public void emit(ContainerEvent event) {
        delegate.emit(event);
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    /**
     * Waits until {@code state} reports one of {@code states}.
     *
     * @param timeout negative waits for ever
     * @return whether one of the states was reached in time
     */
    public boolean await(Path lxcpath, String name, Set<ContainerState> states, Duration timeout,
            BiFunction<Path, String, ContainerState> state) {
        long deadline = timeout.isNegative() ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) {
            if (states.contains(state.apply(lxcpath, name))) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            long wait = Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000));
            synchronized (changed) {
                try {
                    changed.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
