package org.lxj.core.internal.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.lxj.api.ConsoleDeniedException;
import org.lxj.api.ConsoleSession;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.LxjException;
import org.lxj.launcher.ConsoleConnection;
import org.lxj.launcher.ConsoleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code lxc-console}'s connection to a running container's monitor, which holds its console and ttys. */
public final class ConsoleAccess {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleAccess.class);

    private final RunRegistry registry;

    public ConsoleAccess(RunRegistry registry) {
        this.registry = registry;
    }

    /**
     * Connects to {@code tty} (0 the console, N {@code /dev/ttyN}, -1 the first free one) of a running container.
     *
     * @throws ContainerNotRunningException when it is not running
     * @throws ConsoleDeniedException       when no tty is free, the one asked for has its viewer or does not exist
     */
    public ConsoleSession open(Path lxcpath, String name, int tty, int rows, int columns) {
        return open(lxcpath, name, tty, rows, columns, false);
    }

    /** As {@link #open(Path, String, int, int, int)}; {@code replay}: the console's buffered output comes first. */
    public ConsoleSession open(Path lxcpath, String name, int tty, int rows, int columns, boolean replay) {
        RunState s = registry.live(lxcpath, name).filter(r -> r.phase().equals(RunState.RUNNING))
                .orElseThrow(() -> new ContainerNotRunningException(name));
        Path runDir = registry.layout().dir(lxcpath, name);
        ConsoleConnection c;
        try {
            c = ConsoleConnection.open(runDir, tty, rows, columns, replay);
        } catch (ConsoleException e) {
            if (e.denied()) {
                throw new ConsoleDeniedException("tty service denied: "
                        + (tty == -1 ? "no tty is free" : tty == 0 ? "the console" : "tty " + tty + " has a viewer"));
            }
            if (String.valueOf(e.getMessage()).endsWith("(ENOENT)")) {
                throw new ConsoleDeniedException("tty service denied: there is no tty " + tty);
            }
            if (registry.live(lxcpath, name).isEmpty()) {
                throw new ContainerNotRunningException(name);
            }
            throw new LxjException(String.valueOf(e.getMessage()), e);
        }
        LOG.debug("{}: viewer connected to tty {} (init pid {})", name, c.tty(), s.initPid());
        return new Session(c);
    }

    /** The launcher's connection as the API's session. */
    private record Session(ConsoleConnection connection) implements ConsoleSession {
        @Override
        public int tty() {
            return connection.tty();
        }

        @Override
        public InputStream output() {
            return connection.output();
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            connection.write(b, off, len);
        }

        @Override
        public void resize(int rows, int columns) throws IOException {
            connection.resize(rows, columns);
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
