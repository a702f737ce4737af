package org.lxj.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Where a command's standard streams go. {@link #INHERIT} hands the runtime process's own fds 0–2 to the
 * command (a one-command run on a terminal); otherwise the runtime relays the streams.
 *
 * @param in  the command's stdin, or null for {@code /dev/null}
 * @param out where its stdout goes
 * @param err where its stderr goes
 * @since 1.2
 */
public record Stdio(InputStream in, OutputStream out, OutputStream err) {

    /** The runtime's own fds 0, 1 and 2, passed to the command directly. */
    public static final Stdio INHERIT = new Stdio(null, null, null);

    /** Whether this is {@link #INHERIT}. */
    public boolean inherit() {
        return this == INHERIT;
    }
}
