package org.lxj.dist.launcher;

import java.io.InputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Runs one command (or one script) in a Gogo session of a booted runtime, without the interactive
 * console. The Gogo API lives inside the framework, so it is called by reflection through the
 * interfaces the gogo.runtime bundle exports.
 * <p>
 * Arguments reach the command intact: each is stored in the session variable {@code lxj_arg_<i>} and
 * the command line executed is {@code <name> $lxj_arg_0 $lxj_arg_1 ...}, so spaces, quotes, semicolons
 * and globbing characters are never parsed by Gogo.
 * <p>
 * Exit status: 0 when the command returns; the value of the session variable {@value #EXIT_VARIABLE}
 * when the command stored an {@link Integer} there (a command that reports a status without failing);
 * when it throws, the exception's {@code public int exitStatus()} if it has one (as
 * {@code org.lxj.api.LxjException} does), else 1. A failure is printed to stderr as
 * {@code <command>: <message>}, as LXC's tools print theirs.
 */
final class GogoRunner {
    /** The session variable a command sets to an Integer to choose its exit status. */
    static final String EXIT_VARIABLE = "lxj.exit";
    static final String ARG_VARIABLE_PREFIX = "lxj_arg_";
    private static final String CONTEXT_VARIABLE = ".context";

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final Pattern COMMAND_NAME = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.:-]*");
    private static final List<String> SHELL_COMMAND_CLASSES =
            List.of("org.apache.felix.gogo.jline.Procedural", "org.apache.felix.gogo.jline.Builtin");

    private final BundleContext context;
    private final Path profile;
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;

    GogoRunner(BundleContext context, Path profile, InputStream in, PrintStream out, PrintStream err) {
        this.context = context;
        this.profile = profile;
        this.in = in;
        this.out = out;
        this.err = err;
    }

    /** Runs {@code name args...}; returns the exit status. */
    /** Session variable telling commands that the session's streams are this process's fds 0, 1 and 2. */
    static final String INHERIT_STDIO_VARIABLE = "lxj.inherit.stdio";

    int runCommand(String name, List<String> args) throws LaunchException {
        if (!COMMAND_NAME.matcher(name).matches()) {
            err.println("lxj: \"" + name + "\" is not a command name (use -c for a Gogo script)");
            return 1;
        }
        StringBuilder line = new StringBuilder(name);
        Session session = openSession();
        try {
            // one command on the process's own fds: commands may hand fds 0-2 straight to a container
            session.put(INHERIT_STDIO_VARIABLE, Boolean.TRUE);
            for (int i = 0; i < args.size(); i++) {
                session.put(ARG_VARIABLE_PREFIX + i, args.get(i));
                line.append(" $").append(ARG_VARIABLE_PREFIX).append(i);
            }
            return session.run(name, line.toString());
        } finally {
            session.close();
        }
    }

    /** Runs a Gogo script as typed ({@code lxj -c '...'}); returns the exit status. */
    int runScript(String script) throws LaunchException {
        Session session = openSession();
        try {
            return session.run("lxj", script);
        } finally {
            session.close();
        }
    }

    private Session openSession() throws LaunchException {
        ServiceReference<?> ref = context.getServiceReference(PROCESSOR);
        if (ref == null) {
            throw new LaunchException("The Gogo command processor is not running");
        }
        Object processor = context.getService(ref);
        try {
            Bundle gogo = ref.getBundle();
            Class<?> processorType = gogo.loadClass(PROCESSOR);
            Class<?> sessionType = gogo.loadClass(SESSION);
            registerShellCommands();
            Method create = processorType.getMethod("createSession", InputStream.class,
                    java.io.OutputStream.class, java.io.OutputStream.class);
            Object session = create.invoke(processor, in, out, err);
            Session s = new Session(sessionType, session);
            s.put(CONTEXT_VARIABLE, context);   // as the interactive shell has it, for the profile
            s.source(profile);
            return s;
        } catch (ReflectiveOperationException e) {
            throw new LaunchException("Failed to open a Gogo session: " + FrameworkBoot.rootMessage(e), e);
        }
    }

    /**
     * The interactive shell bundle is not started in this mode (it would take over the terminal), but
     * its control-flow and builtin commands ({@code if}, {@code each}, {@code set}, ...) are useful to
     * profiles and scripts: register them from its classes.
     */
    void registerShellCommands() {
        for (Bundle b : context.getBundles()) {
            if (!LaunchConfig.SHELL_BSN.equals(b.getSymbolicName())) {
                continue;
            }
            for (String className : SHELL_COMMAND_CLASSES) {
                try {
                    Class<?> type = b.loadClass(className);
                    Field functions = type.getDeclaredField("functions");
                    functions.setAccessible(true);
                    Hashtable<String, Object> props = new Hashtable<>();
                    props.put("osgi.command.scope", "gogo");
                    props.put("osgi.command.function", functions.get(null));
                    context.registerService(className, type.getConstructor().newInstance(), props);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    err.println("lxj: WARNING: shell commands of " + className + " not available: " + e);
                }
            }
        }
    }

    /** A CommandSession seen through reflection. */
    private final class Session {
        private final Object session;
        private final Method put;
        private final Method get;
        private final Method execute;
        private final Method format;
        private final Method close;

        Session(Class<?> type, Object session) throws NoSuchMethodException {
            this.session = session;
            this.put = type.getMethod("put", String.class, Object.class);
            this.get = type.getMethod("get", String.class);
            this.execute = type.getMethod("execute", CharSequence.class);
            this.format = type.getMethod("format", Object.class, int.class);
            this.close = type.getMethod("close");
        }

        void put(String name, Object value) throws LaunchException {
            call(put, name, value);
        }

        void source(Path file) throws LaunchException {
            if (file == null || !Files.isRegularFile(file)) {
                return;
            }
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                err.println("lxj: WARNING: Failed to read \"" + file + "\": " + e.getMessage());
                return;
            }
            try {
                execute.invoke(session, text);
            } catch (InvocationTargetException e) {
                err.println("lxj: WARNING: \"" + file + "\": " + message(e.getCause()));
            } catch (IllegalAccessException e) {
                throw new LaunchException("Failed to run \"" + file + "\": " + e, e);
            }
        }

        int run(String name, String line) throws LaunchException {
            Object result;
            try {
                result = execute.invoke(session, line);
            } catch (InvocationTargetException e) {
                return failed(name, e.getCause());
            } catch (IllegalAccessException e) {
                throw new LaunchException("Failed to run " + name + ": " + e, e);
            }
            if (result != null) {
                Object text = call(format, result, 0);   // Converter.INSPECT, as the console prints it
                out.println(text);
            }
            out.flush();
            return exitVariable(call(get, EXIT_VARIABLE));
        }

        private int failed(String name, Throwable failure) {
            out.flush();
            String message = message(failure);
            err.println(message.startsWith(name + ":") ? message : name + ": " + message);
            if (Boolean.getBoolean("lxj.debug")) {
                failure.printStackTrace(err);
            }
            err.flush();
            Integer status = exitStatus(failure);
            return status != null ? status : 1;
        }

        void close() {
            try {
                close.invoke(session);
            } catch (ReflectiveOperationException e) {
                // the session is dropped anyway
            }
        }

        private Object call(Method m, Object... args) throws LaunchException {
            try {
                return m.invoke(session, args);
            } catch (InvocationTargetException e) {
                throw new LaunchException("Gogo failed in " + m.getName() + ": " + message(e.getCause()), e);
            } catch (IllegalAccessException e) {
                throw new LaunchException("Gogo failed in " + m.getName() + ": " + e, e);
            }
        }
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
        if (t == null) {
            return "unknown error";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getName() : m;
    }
}
