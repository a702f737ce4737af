package org.lxj.dist.launcher;

/** The runtime could not be started; the message says why and is shown to the user as is. */
final class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
