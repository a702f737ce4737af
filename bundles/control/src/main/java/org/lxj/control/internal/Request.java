package org.lxj.control.internal;

import java.util.List;
import java.util.Optional;

/**
 * A command line a client forwarded.
 *
 * @param args  the command's name, then its arguments, as the client received them
 * @param cwd   the client's current directory, if it sent one
 * @param tty   which of the client's fds 0–2 are terminals (a mask of {@code Protocol.TTY_*})
 * @param width the columns of the client's terminal, 0 when it has none
 */
record Request(List<String> args, Optional<String> cwd, int tty, int width) {

    Request {
        args = List.copyOf(args);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("A request needs a command");
        }
    }

    String command() {
        return args.get(0);
    }

    List<String> arguments() {
        return args.subList(1, args.size());
    }

    boolean stdoutIsTerminal() {
        return (tty & org.lxj.launcher.Protocol.TTY_OUT) != 0;
    }
}
