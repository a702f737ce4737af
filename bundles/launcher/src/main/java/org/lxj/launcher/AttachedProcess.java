package org.lxj.launcher;

import java.time.Duration;
import java.util.OptionalInt;

import org.osgi.annotation.versioning.ProviderType;

/** A command started by {@link Launcher#attach}: it runs inside the container, the launcher waits for it. */
@ProviderType
public interface AttachedProcess extends AutoCloseable {

    /** @return the attached command's pid in the host's pid namespace */
    int pid();

    /** @return the pid of the launcher that joined the container and waits for the command */
    int launcherPid();

    /**
     * Waits until the command has exited.
     *
     * @return its exit code, or {@code 128 + signal} when a signal killed it
     * @throws InterruptedException when this thread is interrupted
     */
    int waitFor() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the command.
     *
     * @param timeout the longest wait
     * @return the exit status as {@link #waitFor()} gives it, or empty when it still runs
     * @throws InterruptedException when this thread is interrupted
     */
    OptionalInt waitFor(Duration timeout) throws InterruptedException;

    /**
     * Sends a signal to the command (through a pidfd, so never to a recycled pid).
     *
     * @param signal the signal number
     * @return false when the command had already exited
     */
    boolean kill(int signal);

    /**
     * The caller's window changed: the launcher copies the size of the caller's terminal to the command's pty
     * (which sends the command SIGWINCH). Does nothing without a pty or once the command has exited.
     */
    default void resize() {
    }

    /**
     * The caller's window is {@code rows} x {@code columns} (for callers whose fds are no terminal, such as a
     * relayed JLine terminal): the launcher sets that size on the command's pty. Does nothing without a pty or
     * once the command has exited.
     *
     * @param rows    the rows, 1..65535
     * @param columns the columns, 1..65535
     */
    default void resize(int rows, int columns) {
    }

    /** Kills the command if it still runs and reaps the launcher. */
    @Override
    void close();
}
