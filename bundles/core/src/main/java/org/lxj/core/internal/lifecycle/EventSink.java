package org.lxj.core.internal.lifecycle;

import org.lxj.api.event.ContainerEvent;

/** Where the lifecycle reports what happened; delivery to listeners is the sink's business. */
@FunctionalInterface
public interface EventSink {
    void emit(ContainerEvent event);
}
