package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.lxj.launcher.ExitStatus;
import org.lxj.launcher.MonitorClient;

/**
 * What core asks of a container's monitor. The launcher's {@link MonitorClient} in production; a fake in unit
 * tests of the stop and cleanup logic.
 */
public interface MonitorLink {

    /** init's pid while it runs, empty once it exited; IOException when the monitor is gone without an exit record. */
    Optional<Integer> state(Duration timeout) throws IOException;

    /** Sends {@code signal} to init; false when init had already exited. */
    boolean kill(int signal, Duration timeout) throws IOException;

    /** Waits for init's exit; IOException on timeout or when the monitor died without an exit record. */
    ExitStatus awaitExit(Duration timeout) throws IOException;

    /** The exit record, if init has exited. */
    Optional<ExitStatus> exitStatus() throws IOException;

    /** Links to monitors by run directory. */
    @FunctionalInterface
    interface Factory {
        MonitorLink open(Path runDir);

        /** The launcher's monitor client. */
        static Factory launcher() {
            return dir -> {
                MonitorClient c = new MonitorClient(dir);
                return new MonitorLink() {
                    @Override
                    public Optional<Integer> state(Duration timeout) throws IOException {
                        return c.state(timeout);
                    }

                    @Override
                    public boolean kill(int signal, Duration timeout) throws IOException {
                        return c.kill(signal, timeout);
                    }

                    @Override
                    public ExitStatus awaitExit(Duration timeout) throws IOException {
                        return c.awaitExit(timeout);
                    }

                    @Override
                    public Optional<ExitStatus> exitStatus() throws IOException {
                        return c.exitStatus();
                    }
                };
            };
        }
    }
}
