package org.lxj.shell.internal;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Optional;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.utils.NonBlockingReader;

/**
 * A viewer on the interactive shell's JLine terminal (gogo.jline's session variable {@code .terminal}): raw mode
 * through {@link Terminal#enterRawMode()}, window changes through its {@code WINCH} signal handler.
 */
final class JLineConsoleViewer implements ConsoleViewer {
    private static final int READ_EXPIRED = -2;

    private final Terminal terminal;
    private final Charset charset;

    JLineConsoleViewer(Terminal terminal) {
        this.terminal = terminal;
        this.charset = terminal.encoding();
    }

    @Override
    public boolean terminal() {
        return true;
    }

    @Override
    public int read(byte[] buffer, int timeoutMillis) throws IOException {
        NonBlockingReader reader = terminal.reader();
        int c = reader.read(timeoutMillis);
        if (c == READ_EXPIRED) {
            return 0;
        }
        if (c < 0) {
            return -1;
        }
        StringBuilder chars = new StringBuilder().append((char) c);
        while (chars.length() < buffer.length / 4) {
            int next = reader.read(1L);
            if (next < 0) {
                break;
            }
            chars.append((char) next);
        }
        byte[] bytes = chars.toString().getBytes(charset);
        System.arraycopy(bytes, 0, buffer, 0, Math.min(bytes.length, buffer.length));
        return Math.min(bytes.length, buffer.length);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        terminal.output().write(b, off, len);
        terminal.output().flush();
    }

    @Override
    public Optional<Size> size() {
        org.jline.terminal.Size s = terminal.getSize();
        return s.getRows() > 0 && s.getColumns() > 0 ? Optional.of(new Size(s.getRows(), s.getColumns()))
                : Optional.empty();
    }

    @Override
    public AutoCloseable raw() {
        Attributes saved = terminal.enterRawMode();
        return () -> terminal.setAttributes(saved);
    }

    @Override
    public AutoCloseable onResize(Runnable hook) {
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.WINCH, signal -> hook.run());
        return () -> terminal.handle(Terminal.Signal.WINCH, previous);
    }
}
