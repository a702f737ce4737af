package org.lxj.api;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where a command's standard streams go: either file descriptors of the runtime process that the command
 * gets directly ({@link #INHERIT} is the runtime's own 0, 1 and 2; {@link #ofFds} names others, such as the
 * fds a client handed to the daemon), or streams the runtime relays.
 *
 * @param in  the command's stdin when relayed, or null for {@code /dev/null}
 * @param out where its stdout goes when relayed
 * @param err where its stderr goes when relayed
 * @param fds the fds to hand over instead of relaying, if any
 * @since 1.2
 */
public record Stdio(InputStream in, OutputStream out, OutputStream err, Optional<Fds> fds) {

    /**
     * File descriptors of the runtime process, handed to the command as its 0, 1 and 2.
     *
     * @param in  the fd for stdin, or -1 for {@code /dev/null}
     * @param out the fd for stdout, or -1 for {@code /dev/null}
     * @param err the fd for stderr, or -1 for {@code /dev/null}
     */
    public record Fds(int in, int out, int err) {
    }

    /** The runtime's own fds 0, 1 and 2, passed to the command directly. */
    public static final Stdio INHERIT = ofFds(new Fds(0, 1, 2));

    public Stdio {
        fds = fds == null ? Optional.empty() : fds;
    }

    /** Streams the runtime relays. */
    public Stdio(InputStream in, OutputStream out, OutputStream err) {
        this(in, out, err, Optional.empty());
    }

    /** Fds handed to the command directly. */
    public static Stdio ofFds(Fds fds) {
        return new Stdio(null, null, null, Optional.of(fds));
    }

    /** Whether fds are handed over rather than streams relayed. */
    public boolean inherit() {
        return fds.isPresent();
    }
}
