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

    /** Kills the command if it still runs and reaps the launcher. */
    @Override
    void close();
}
