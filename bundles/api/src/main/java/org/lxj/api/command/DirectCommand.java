package org.lxj.api.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.IntConsumer;

import org.lxj.api.Stdio;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A command the daemon's control socket may run on the connection's own thread, without a shell session, job
 * threads or pipes: the same command object, option parser and output as the shell command of that name, so
 * what the client sees does not depend on the path taken. Registered as a service with the property
 * {@value #NAME_PROPERTY} naming the command line's first word it answers (such as {@code lxc-execute}).
 */
@ConsumerType
public interface DirectCommand {

    /** The service property naming the command, as a client types it. */
    String NAME_PROPERTY = "lxj.direct.command";

    /**
     * Runs the command to its end on the calling thread; an interrupt of that thread stops it as it stops the
     * shell command. Returns the exit status; what the command prints goes to the invocation's streams.
     */
    int run(Invocation invocation);

    /**
     * Whether this command line (the arguments after the command's name) runs here; when not, the daemon runs it as
     * a shell command, as it runs a command with no direct service. For options that need the shell session's
     * services, such as a console that follows the client's window ({@code lxc-start -F}). The default takes all.
     *
     * @since 1.1
     */
    default boolean accepts(List<String> args) {
        return true;
    }

    /**
     * One run of a direct command.
     *
     * @param args   the arguments after the command's name
     * @param in     standard input
     * @param out    standard output
     * @param err    standard error
     * @param fds    the fds behind {@code in}, {@code out} and {@code err}, which a container's process gets directly
     * @param cwd    the directory relative paths are resolved against
     * @param width  the columns of the caller's terminal when its standard output is one, else 0
     * @param exited told the exit status as soon as it is known, before the command's cleanup; null for none
     */
    record Invocation(List<String> args, InputStream in, PrintStream out, PrintStream err, Stdio.Fds fds, Path cwd,
            int width, IntConsumer exited) {

        public Invocation {
            args = List.copyOf(args);
            Objects.requireNonNull(in, "in");
            Objects.requireNonNull(out, "out");
            Objects.requireNonNull(err, "err");
            Objects.requireNonNull(fds, "fds");
            Objects.requireNonNull(cwd, "cwd");
            width = Math.max(0, width);
        }
    }
}
