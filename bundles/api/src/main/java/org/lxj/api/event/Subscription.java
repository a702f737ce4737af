package org.lxj.api.event;

/**
 * A running delivery of events; closing it stops the delivery (idempotent, never throws).
 *
 * @since 1.1
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {
    @Override
    void close();
}
