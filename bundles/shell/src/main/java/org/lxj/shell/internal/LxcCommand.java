package org.lxj.shell.internal;

import java.util.ArrayList;
import java.util.List;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;

/**
 * A Gogo command with LXC's name and behaviour. Gogo hands a {@link Function} service its raw arguments,
 * which is what an LXC-compatible parser needs (and what lets a function be called {@code update-config}).
 * The command prints its own output and errors and leaves its exit status in the session variable
 * {@value #EXIT_VARIABLE}, where the distribution's one-command mode reads it.
 */
public abstract class LxcCommand implements Function {

    /** The session variable holding the last command's exit status, as an {@link Integer}. */
    public static final String EXIT_VARIABLE = "lxj.exit";

    private final String tool;

    protected LxcCommand(String tool) {
        this.tool = tool;
    }

    /** The LXC tool this command stands for, such as {@code lxc-info}. */
    public final String tool() {
        return tool;
    }

    @Override
    public final Object execute(CommandSession session, List<Object> arguments) {
        List<String> args = new ArrayList<>(arguments.size());
        for (Object a : arguments) {
            args.add(String.valueOf(a));
        }
        int status = run(CommandIo.of(session), args);
        session.put(EXIT_VARIABLE, status);
        return null;
    }

    /** Runs the command with its arguments; returns the exit status. */
    public abstract int run(CommandIo io, List<String> args);

    /** Prints {@code lxc-TOOL: message} to standard error. */
    protected final void error(CommandIo io, String message) {
        io.err().print(tool + ": " + message + "\n");
    }

    /** Prints {@code lxc-TOOL: NAME: message} to standard error, as LXC's error log lines read. */
    protected final void error(CommandIo io, String name, String message) {
        io.err().print(tool + ": " + name + ": " + message + "\n");
    }
}
