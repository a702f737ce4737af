package org.lxj.control.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.apache.felix.service.command.Job;
import org.lxj.api.Stdio;
import org.lxj.api.command.DirectCommand;
import org.osgi.framework.BundleContext;

/**
 * Runs one forwarded command line in a Gogo session, as the distribution's one-command mode does
 * ({@code bin/lxj CMD ...}): the session has the shell profile sourced (a {@link SessionPool} keeps such sessions
 * for reuse), each argument is stored in the session variable
 * {@code lxj_arg_<i>} and the line run is {@code <name> $lxj_arg_0 ...}, so spaces, quotes and semicolons
 * never reach Gogo's parser. The exit status follows the same convention: the Integer a command left in
 * {@value #EXIT_VARIABLE}, else the failure's {@code exitStatus()}, else 1 for a failure and 0 otherwise;
 * a failure is printed to the client's stderr as {@code <command>: <message>}.
 * <p>
 * A command registered as a {@link DirectCommand} (such as {@code lxc-execute}) skips Gogo: it runs on the
 * connection's thread with the same conventions, which costs no session, job thread or pipe threads.
 */
final class SessionRunner {
    static final String EXIT_VARIABLE = "lxj.exit";
    static final String ARG_VARIABLE_PREFIX = "lxj_arg_";
    /** Read by the shell's CommandIo: the fds behind the session's streams, handed to containers. */
    static final String FDS_VARIABLE = "lxj.stdio.fds";
    /** Read by the shell's CommandIo: the client's terminal width when its stdout is a terminal. */
    static final String WIDTH_VARIABLE = "lxj.terminal.width";
    /**
     * Set by a command that follows the caller's window size, for its duration: a {@link Runnable} the daemon
     * runs whenever the client reports a window size change (SIGWINCH).
     */
    static final String RESIZE_VARIABLE = "lxj.terminal.resize";
    /**
     * Read by the shell's lxc-execute: an {@link IntConsumer} that answers the client with the command's exit status
     * as soon as it is known, before the runtime cleans up after the container (the request still runs until then).
     */
    static final String EXITED_VARIABLE = "lxj.exited";
    private static final String CONTEXT_VARIABLE = ".context";
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.:-]*");

    /** A running command, as other threads reach it. */
    interface Running {
        /** Interrupts the command (the client hung up or the runtime stops). */
        void interrupt();

        /**
         * Runs the command's {@value #RESIZE_VARIABLE} hook once, if it set one; false when it had none.
         * Runs on the caller's thread, so never call it from a thread that must not block.
         */
        boolean resize();
    }

    private final SessionPool pool;
    /** The commands run without a session, by the name a client types; looked up at each request. */
    private final java.util.Map<String, DirectCommand> direct;

    SessionRunner(BundleContext context, CommandProcessor processor, Path profile) {
        this(context, processor, profile, java.util.Map.of());
    }

    /** @param direct the commands run without a Gogo session, by name (a live map: services come and go) */
    SessionRunner(BundleContext context, CommandProcessor processor, Path profile,
            java.util.Map<String, DirectCommand> direct) {
        this.pool = new SessionPool(processor, profile,
                context == null ? java.util.Map.of() : java.util.Map.of(CONTEXT_VARIABLE, context));
        this.direct = direct;
    }

    /** Sources the profile into a first session ahead of any request; warnings go to {@code warn}. */
    void prewarm(java.util.function.Consumer<String> warn) {
        pool.prewarm(warn);
    }

    /** How many Gogo sessions were made so far (for tests). */
    int sessionsMade() {
        return pool.created();
    }

    /** Closes the idle sessions. */
    void close() {
        pool.close();
    }

    /**
     * Runs the request with the given streams; {@code fds} are the numbers of the fds behind them.
     * {@code started} receives a handle that interrupts the command while it runs.
     */
    int run(Request request, InputStream in, PrintStream out, PrintStream err, int[] fds,
            java.util.function.Consumer<Running> started) {
        return run(request, in, out, err, fds, started, null);
    }

    /**
     * As {@link #run(Request, InputStream, PrintStream, PrintStream, int[], java.util.function.Consumer)};
     * {@code exited}, when not null, is the session's {@value #EXITED_VARIABLE} hook for the command.
     */
    int run(Request request, InputStream in, PrintStream out, PrintStream err, int[] fds,
            java.util.function.Consumer<Running> started, IntConsumer exited) {
        String name = request.command();
        if (!COMMAND_NAME.matcher(name).matches()) {
            err.println("lxj: \"" + name + "\" is not a command name");
            err.flush();
            return 1;
        }
        DirectCommand command = direct.get(name);
        if (command != null && command.accepts(request.arguments())) {
            return runDirect(command, request, in, out, err, fds, started, exited);
        }
        SessionPool.Pooled pooled = pool.borrow(in, out, err);
        CommandSession session = pooled.session();
        Thread caller = Thread.currentThread();
        java.util.concurrent.atomic.AtomicBoolean interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        started.accept(new Running() {
            @Override
            public void interrupt() {
                interrupted.set(true);
                Job job = session.foregroundJob();
                if (job != null) {
                    job.interrupt();
                }
                caller.interrupt();
            }

            @Override
            public boolean resize() {
                if (session.get(RESIZE_VARIABLE) instanceof Runnable hook) {
                    hook.run();
                    return true;
                }
                return false;
            }
        });
        try {
            request.cwd().flatMap(SessionRunner::directory).ifPresent(session::currentDir);
            session.put(FDS_VARIABLE, fds[0] + "," + fds[1] + "," + fds[2]);
            if (exited != null) {
                session.put(EXITED_VARIABLE, exited);
            }
            if (request.stdoutIsTerminal() && request.width() > 0) {
                session.put(WIDTH_VARIABLE, request.width());
            }
            StringBuilder line = new StringBuilder(name);
            List<String> args = request.arguments();
            for (int i = 0; i < args.size(); i++) {
                session.put(ARG_VARIABLE_PREFIX + i, args.get(i));
                line.append(" $").append(ARG_VARIABLE_PREFIX).append(i);
            }
            Object result;
            try {
                result = session.execute(line);
            } catch (Exception e) {
                return failed(name, e, out, err);
            }
            if (result != null) {
                out.println(session.format(result, Converter.INSPECT));
            }
            out.flush();
            return exitVariable(session.get(EXIT_VARIABLE));
        } finally {
            out.flush();
            err.flush();
            // a job of an interrupted command may still run in the session: never hand that session on
            pool.giveBack(pooled, !interrupted.get() && !caller.isInterrupted());
        }
    }

    /**
     * Runs a {@link DirectCommand} on this thread: no session, no job or pipe threads. The status, output and
     * failures are those of the Gogo path, as the command object is the same; an interrupt (the client hung up)
     * interrupts this thread, where the command runs.
     */
    private static int runDirect(DirectCommand command, Request request, InputStream in, PrintStream out,
            PrintStream err, int[] fds, java.util.function.Consumer<Running> started, IntConsumer exited) {
        Thread caller = Thread.currentThread();
        started.accept(new Running() {
            @Override
            public void interrupt() {
                caller.interrupt();
            }

            @Override
            public boolean resize() {
                return false;
            }
        });
        Path cwd = request.cwd().flatMap(SessionRunner::directory).orElseGet(() -> Path.of("").toAbsolutePath());
        int width = request.stdoutIsTerminal() ? request.width() : 0;
        try {
            return command.run(new DirectCommand.Invocation(request.arguments(), in, out, err,
                    new Stdio.Fds(fds[0], fds[1], fds[2]), cwd, width, exited));
        } catch (RuntimeException e) {
            return failed(request.command(), e, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static java.util.Optional<Path> directory(String cwd) {
        try {
            Path p = Path.of(cwd);
            return p.isAbsolute() ? java.util.Optional.of(p) : java.util.Optional.empty();
        } catch (InvalidPathException e) {
            return java.util.Optional.empty();
        }
    }

    private static int failed(String name, Throwable failure, PrintStream out, PrintStream err) {
        out.flush();
        String message = message(failure);
        err.println(message.startsWith(name + ":") ? message : name + ": " + message);
        err.flush();
        Integer status = exitStatus(failure);
        return status != null ? status : 1;
    }

    /** The status a command stored in {@value #EXIT_VARIABLE}: an Integer (or a number typed in a script). */
    static int exitVariable(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        if (value instanceof CharSequence text) {
            try {
                return Integer.parseInt(text.toString().trim());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** The exit status a failure asks for through a public {@code int exitStatus()}, on it or a cause. */
    static Integer exitStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            try {
                Method m = t.getClass().getMethod("exitStatus");
                if (m.getReturnType() == int.class) {
                    return (Integer) m.invoke(t);
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not one of ours: look further down the chain
            }
        }
        return null;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }
}
