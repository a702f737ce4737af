package org.lxj.launcher;

/**
 * A launch failed: which launcher step, with which errno, and the launcher's message, e.g.
 * {@code Failed to mount "/nonexistent" on "/mnt": ENOENT}.
 */
public class LaunchException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int step;
    private final int errno;

    /**
     * @param step    a {@code Protocol.STEP_*} id
     * @param errno   the errno of the failed call (0 if none)
     * @param message the message, capitalised, without a trailing period
     */
    public LaunchException(int step, int errno, String message) {
        super(message);
        this.step = step;
        this.errno = errno;
    }

    /**
     * @param step    a {@code Protocol.STEP_*} id
     * @param errno   the errno of the failed call (0 if none)
     * @param message the message
     * @param cause   the underlying failure
     */
    public LaunchException(int step, int errno, String message, Throwable cause) {
        super(message, cause);
        this.step = step;
        this.errno = errno;
    }

    /** @return the {@code Protocol.STEP_*} id of the failed step */
    public int step() {
        return step;
    }

    /** @return the step's name, e.g. {@code "mount"} */
    public String stepName() {
        return Protocol.stepName(step);
    }

    /** @return the errno of the failed call, 0 if none */
    public int errno() {
        return errno;
    }
}
