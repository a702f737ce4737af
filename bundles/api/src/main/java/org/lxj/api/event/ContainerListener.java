package org.lxj.api.event;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Whiteboard listener: register a service of this type to receive every container event. Called on the
 * runtime's event thread in the order events happen; a listener must not block.
 */
@ConsumerType
@FunctionalInterface
public interface ContainerListener {
    void containerChanged(ContainerEvent event);
}
