package org.lxj.api;

/**
 * The root of the runtime's typed errors. Messages read as LXC's do: a capital first letter, the
 * thing acted on in quotes, no trailing period. {@link #exitStatus()} is the status a command
 * exits with for this error (1 unless LXC uses another).
 */
public class LxjException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LxjException(String message) {
        super(message);
    }

    public LxjException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The exit status of a command that fails with this error. */
    public int exitStatus() {
        return 1;
    }
}
