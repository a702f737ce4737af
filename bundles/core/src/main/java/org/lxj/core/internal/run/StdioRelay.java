package org.lxj.core.internal.run;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.lxj.api.LxjException;
import org.lxj.api.Stdio;
import org.lxj.launcher.LaunchStdio;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays a command's standard streams between Java streams and descriptors the launcher hands to the command.
 * Each stream is a fifo in a private directory: the command's end is a plain descriptor (what
 * {@link LaunchStdio} takes), this JVM's end a file stream; the fifos are unlinked once both ends are open.
 * Opening an {@code O_RDWR} descriptor first keeps every open from blocking. Platform threads pump until
 * end of file; the command's end is closed here right after the launch, so end of file comes when the
 * command (and whatever inherited its descriptors) is gone.
 */
public final class StdioRelay implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StdioRelay.class);
    private static final int S_IFIFO = 0010000;
    /** How long output pumps may run on after the command exited (descendants holding the pipe). */
    static final long DRAIN_SECONDS = 30;

    private final Syscalls sys;
    private final Stdio stdio;
    private final List<Integer> childFds = new ArrayList<>();
    private final List<Thread> outputPumps = new ArrayList<>();
    private final List<AutoCloseable> streams = new ArrayList<>();
    private Thread inputPump;
    private OutputStream toCommand;
    private InputStream fromOut;
    private InputStream fromErr;
    private LaunchStdio launchStdio = LaunchStdio.INHERIT;

    private StdioRelay(Syscalls sys, Stdio stdio) {
        this.sys = sys;
        this.stdio = stdio;
    }

    /**
     * Makes the fifos for {@code stdio} under {@code parent}; fds handed over ({@link Stdio#INHERIT},
     * {@link Stdio#ofFds}) need none and go to the launcher as they are.
     *
     * @throws LxjException when a fifo cannot be made or opened
     */
    public static StdioRelay open(Syscalls sys, Path parent, Stdio stdio) {
        StdioRelay r = new StdioRelay(sys, stdio);
        if (stdio.fds().isPresent()) {
            Stdio.Fds f = stdio.fds().get();
            r.launchStdio = new LaunchStdio(f.in(), f.out(), f.err());
            return r;
        }
        Path dir = null;
        try {
            Files.createDirectories(parent);
            dir = Files.createTempDirectory(parent, "relay");
            int in = -1;
            int out = -1;
            int err = -1;
            if (stdio.in() != null) {
                Path f = fifo(sys, dir, "in");
                int keep = sys.open(f.toString(), OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
                try {
                    r.toCommand = r.track(new FileOutputStream(f.toFile()));
                    in = r.child(sys.open(f.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0));
                } finally {
                    sys.close(keep);
                }
            }
            if (stdio.out() != null) {
                r.fromOut = r.track(reader(sys, dir, "out"));
                out = r.child(r.writerEnd(dir.resolve("out")));
            }
            if (stdio.err() != null) {
                r.fromErr = r.track(reader(sys, dir, "err"));
                err = r.child(r.writerEnd(dir.resolve("err")));
            }
            r.launchStdio = new LaunchStdio(in, out, err);
            return r;
        } catch (IOException | RuntimeException e) {
            r.close();
            throw new LxjException("Failed to set up the command's standard streams: " + e.getMessage(), e);
        } finally {
            removeDir(dir);
        }
    }

    private static Path fifo(Syscalls sys, Path dir, String name) {
        Path f = dir.resolve(name);
        sys.mknod(f.toString(), S_IFIFO | 0600, 0);
        return f;
    }

    private static InputStream reader(Syscalls sys, Path dir, String name) throws IOException {
        Path f = fifo(sys, dir, name);
        int keep = sys.open(f.toString(), OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
        try {
            return new FileInputStream(f.toFile());
        } finally {
            sys.close(keep);
        }
    }

    /** The write end for the command; opening it does not block because this JVM's reader is open. */
    private int writerEnd(Path fifo) {
        return sys.open(fifo.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CLOEXEC, 0);
    }

    private static void removeDir(Path dir) {
        if (dir == null) {
            return;
        }
        for (String n : List.of("in", "out", "err")) {
            try {
                Files.deleteIfExists(dir.resolve(n));
            } catch (IOException e) {
                LOG.debug("Failed to remove fifo {}: {}", dir.resolve(n), e.toString());
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            LOG.debug("Failed to remove {}: {}", dir, e.toString());
        }
    }

    private int child(int fd) {
        childFds.add(fd);
        return fd;
    }

    private <T extends AutoCloseable> T track(T s) {
        streams.add(s);
        return s;
    }

    /** The descriptors to hand to the launcher. */
    public LaunchStdio launchStdio() {
        return launchStdio;
    }

    /** The launch took the command's ends: closes them here and starts pumping. */
    public void started() {
        closeChildFds();
        if (toCommand != null) {
            Thread t = new Thread(() -> pumpInput(stdio.in(), toCommand), "lxj-stdin");
            t.setDaemon(true);
            inputPump = t;
            t.start();
        }
        if (fromOut != null) {
            outputPumps.add(pump(fromOut, stdio.out(), "lxj-stdout"));
        }
        if (fromErr != null) {
            outputPumps.add(pump(fromErr, stdio.err(), "lxj-stderr"));
        }
    }

    private static void pumpInput(InputStream from, OutputStream to) {
        try (to) {
            from.transferTo(to);
        } catch (IOException e) {
            LOG.debug("stdin relay ended: {}", e.toString());
        }
    }

    private static Thread pump(InputStream from, OutputStream to, String name) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = from.read(buf)) >= 0) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                LOG.debug("{} relay ended: {}", name, e.toString());
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Waits until the output pumps reached end of file (bounded), after the command exited. */
    public void drain() {
        for (Thread t : outputPumps) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(DRAIN_SECONDS));
                if (t.isAlive()) {
                    LOG.warn("{}: output still open {} s after the command exited; no longer relayed", t.getName(),
                            DRAIN_SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeChildFds() {
        for (int fd : childFds) {
            try {
                sys.close(fd);
            } catch (RuntimeException e) {
                LOG.debug("close({}) failed: {}", fd, e.toString());
            }
        }
        childFds.clear();
    }

    /** The thread relaying stdin to the command, if one was started. */
    Thread inputPump() {
        return inputPump;
    }

    /**
     * Ends the relay. The stdin pump may be blocked reading input that never comes (a terminal nobody types into):
     * it is interrupted, which ends the read of an interruptible stream (a terminal reader, a pipe) at once, so it
     * neither lingers nor takes input meant for whatever reads the stream next; the daemon's client streams end
     * their reads when the request is over.
     */
    @Override
    public void close() {
        if (inputPump != null) {
            inputPump.interrupt();
        }
        closeChildFds();
        for (AutoCloseable s : streams) {
            try {
                s.close();
            } catch (Exception e) {
                LOG.debug("closing a relay stream failed: {}", e.toString());
            }
        }
    }
}
