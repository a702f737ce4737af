package org.lxj.launcher;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** A container whose init waits for START. Either {@link #start()} or {@link #abort()} it. */
@ProviderType
public interface PreparedLaunch extends AutoCloseable {

    /** @return the monitor's pid (host pid namespace) */
    int monitorPid();

    /** @return the container init's pid (host pid namespace) */
    int initPid();

    /** @return the run directory */
    Path runDir();

    /**
     * Lets init exec the command.
     *
     * @return a client of the container's monitor
     * @throws LaunchException when the exec failed; nothing stays behind then
     */
    MonitorClient start() throws LaunchException;

    /**
     * Kills init and waits until the monitor has cleaned up; a no-op after {@link #start()}. After an early start
     * ({@link Launcher.Cloned#cloned} returned true) init may run already: it is killed through its monitor.
     */
    void abort();

    /** Same as {@link #abort()}. */
    @Override
    void close();
}
