package org.lxj.launcher;

import java.io.IOException;

/**
 * A console connection to a container's monitor failed or was refused. The message names the container's run
 * directory, e.g. {@code Console of "/run/lxj/c1" refused tty 1: tty service denied}.
 */
public class ConsoleException extends IOException {
    private static final long serialVersionUID = 1L;
    private final boolean denied;

    /**
     * @param message the message, capitalised, without a trailing period
     * @param denied  whether the monitor answered "tty service denied" (no free tty, or the tty has its viewer)
     */
    public ConsoleException(String message, boolean denied) {
        super(message);
        this.denied = denied;
    }

    /**
     * @param message the message
     * @param cause   the underlying failure
     */
    public ConsoleException(String message, Throwable cause) {
        super(message, cause);
        this.denied = false;
    }

    /** @return whether the monitor denied the tty (none free, or it already has its one viewer) */
    public boolean denied() {
        return denied;
    }
}
