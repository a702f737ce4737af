package org.lxj.spi.backend;

import org.lxj.api.LxjException;

/**
 * A backend operation failed. The message names the operation, the object (path, device, cgroup) and
 * the cause, as in {@code Failed to create directory "/var/lib/lxj/c1/rootfs": EACCES}.
 */
public class BackendException extends LxjException {
    private static final long serialVersionUID = 1L;

    public BackendException(String message) {
        super(message);
    }

    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
