package org.lxj.control.internal;

/** The control socket cannot be set up; the message names the path and the reason. */
final class ControlException extends Exception {
    private static final long serialVersionUID = 1L;

    ControlException(String message) {
        super(message);
    }

    ControlException(String message, Throwable cause) {
        super(message, cause);
    }
}
