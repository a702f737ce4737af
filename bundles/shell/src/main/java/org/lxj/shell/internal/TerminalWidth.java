package org.lxj.shell.internal;

import org.apache.felix.service.command.CommandSession;
import org.jline.terminal.Terminal;

/**
 * The width of the session's JLine terminal, which gogo.jline keeps in the session variable
 * {@code .terminal}. JLine is an optional import: without it, or with a dumb terminal (no real tty behind
 * the session, as in one-command mode), the width is 0 and commands format for a pipe.
 */
final class TerminalWidth {

    static final String TERMINAL_VARIABLE = ".terminal";

    private TerminalWidth() {
    }

    static int of(CommandSession session) {
        Object terminal = session.get(TERMINAL_VARIABLE);
        if (terminal == null) {
            return 0;
        }
        try {
            return widthOf(terminal);
        } catch (NoClassDefFoundError jlineMissing) {
            return 0;
        }
    }

    private static int widthOf(Object object) {
        if (!(object instanceof Terminal terminal)) {
            return 0;
        }
        String type = terminal.getType();
        if (type == null || type.startsWith(Terminal.TYPE_DUMB)) {
            return 0;
        }
        return Math.max(0, terminal.getWidth());
    }
}
