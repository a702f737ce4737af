package org.lxj.shell.internal.backends;

import java.util.List;

import org.lxj.api.LxjException;

/** A backend bundle was asked to stop while running containers use one of its backends. */
public final class BackendInUseException extends LxjException {
    private static final long serialVersionUID = 1L;

    private final List<String> containers;

    /**
     * @param bundle     how the bundle is named in the message ({@code org.example.lxj.storage.tmpfs 1.0.0 (bundle 42)})
     * @param backend    the backend in use ({@code storage backend "tmpfs"})
     * @param containers the containers using it, as {@code NAME (LXCPATH)}
     */
    public BackendInUseException(String bundle, String backend, List<String> containers) {
        super("Refusing to stop " + bundle + ": its " + backend + " is used by running container"
                + (containers.size() == 1 ? " " : "s ") + String.join(", ", containers)
                + (containers.size() == 1 ? "; stop it first" : "; stop them first"));
        this.containers = List.copyOf(containers);
    }

    /** The containers that use the backend, as {@code NAME (LXCPATH)}. */
    public List<String> containers() {
        return containers;
    }
}
