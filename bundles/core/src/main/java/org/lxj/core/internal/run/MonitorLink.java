package org.lxj.core.internal.run;

import java.io.IOException;
import java.io.InterruptedIOException;
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

    /**
     * Waits for init's exit as {@link #awaitExit}, but returns once the monitor told it, before it has recorded it
     * ({@link MonitorClient#awaitExitTold}); this default waits for the record.
     */
    default Told awaitExitTold(Duration timeout) throws IOException {
        return Told.recorded(awaitExit(timeout));
    }

    /**
     * Asks the monitor now to tell init's exit when it comes ({@link MonitorClient#requestExit}); this default asks
     * only when the answer is awaited.
     */
    default ExitRequest requestExit() throws IOException {
        return this::awaitExitTold;
    }

    /** A request for init's exit, its answer not yet read. */
    @FunctionalInterface
    interface ExitRequest extends AutoCloseable {
        /** Waits for the answer ({@link MonitorLink#awaitExitTold}); the request is used up. */
        Told told(Duration timeout) throws IOException;

        @Override
        default void close() {
            // nothing held
        }
    }

    /** An exit the monitor told; {@link #awaitRecorded} waits until it is recorded. */
    interface Told extends AutoCloseable {
        ExitStatus status();

        /** Waits until the monitor recorded the exit and let go of init's namespaces; false on timeout. */
        boolean awaitRecorded(Duration timeout) throws InterruptedIOException;

        @Override
        void close();

        /** An exit read from its record. */
        static Told recorded(ExitStatus status) {
            return new Told() {
                @Override
                public ExitStatus status() {
                    return status;
                }

                @Override
                public boolean awaitRecorded(Duration timeout) {
                    return true;
                }

                @Override
                public void close() {
                    // nothing held
                }
            };
        }
    }

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

                    @Override
                    public Told awaitExitTold(Duration timeout) throws IOException {
                        return adapt(c.awaitExitTold(timeout));
                    }

                    @Override
                    public ExitRequest requestExit() throws IOException {
                        MonitorClient.ExitRequest r = c.requestExit();
                        return new ExitRequest() {
                            @Override
                            public Told told(Duration timeout) throws IOException {
                                return adapt(r.told(timeout));
                            }

                            @Override
                            public void close() {
                                r.close();
                            }
                        };
                    }

                    private Told adapt(MonitorClient.Told told) {
                        return new Told() {
                            @Override
                            public ExitStatus status() {
                                return told.status();
                            }

                            @Override
                            public boolean awaitRecorded(Duration t) throws InterruptedIOException {
                                return told.awaitRecorded(t);
                            }

                            @Override
                            public void close() {
                                told.close();
                            }
                        };
                    }
                };
            };
        }
    }
}
