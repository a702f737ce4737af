package org.lxj.api;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A viewer's connection to a running container's console or one of its ttys ({@code lxc-console}). Closing it
 * detaches the viewer; the container keeps running.
 *
 * @since 1.6
 */
@ProviderType
public interface ConsoleSession extends Closeable {

    /** The tty this session is connected to: 0 for the console, N for {@code /dev/ttyN}. */
    int tty();

    /** What the container writes to the tty; end of stream when the container stops or the session closes. */
    InputStream output();

    /** Sends keystrokes to the tty, as if typed. */
    void write(byte[] b, int off, int len) throws IOException;

    /** Sets the tty's window size; the container's foreground process group gets {@code SIGWINCH}. */
    void resize(int rows, int columns) throws IOException;

    @Override
    void close() throws IOException;
}
