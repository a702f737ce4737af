package org.lxj.core.internal.runtime;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

import org.lxj.api.event.ContainerEvent;
import org.lxj.api.event.ContainerListener;
import org.lxj.core.internal.lifecycle.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to the whiteboard listeners on one thread, in the order they were emitted, so a slow listener
 * never holds a lifecycle verb and listeners never see events out of order. A listener that throws is logged and
 * the others still get the event.
 */
final class EventDispatcher implements EventSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final Supplier<List<ContainerListener>> listeners;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lxj-events");
        t.setDaemon(true);
        return t;
    });

    EventDispatcher(Supplier<List<ContainerListener>> listeners) {
        this.listeners = listeners;
    }

    @Override
    public void emit(ContainerEvent event) {
        try {
            thread.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            LOG.debug("{}: event {} dropped, the runtime is stopping", event.name(), event.kind());
        }
    }

    private void deliver(ContainerEvent event) {
        for (ContainerListener l : listeners.get()) {
            try {
                l.containerChanged(event);
            } catch (RuntimeException e) {
                LOG.warn("{}: listener {} failed on {}: {}", event.name(), l, event.kind(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdown();
    }
}
