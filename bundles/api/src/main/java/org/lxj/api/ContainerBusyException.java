package org.lxj.api;

/** The container cannot be acted on now: it runs, another command holds it, or it has dependents. */
public class ContainerBusyException extends LxjException {
    private static final long serialVersionUID = 1L;

    public ContainerBusyException(String message) {
        super(message);
    }
}
