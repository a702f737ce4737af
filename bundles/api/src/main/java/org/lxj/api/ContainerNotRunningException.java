package org.lxj.api;

/** The container is not running; commands that need it exit with status 2, as {@code lxc-stop} does. */
public class ContainerNotRunningException extends LxjException {
    private static final long serialVersionUID = 1L;

    public ContainerNotRunningException(String name) {
        super(name + " is not running");
    }

    @Override
    public int exitStatus() {
        return 2;
    }
}
