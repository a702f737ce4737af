package org.lxj.itests;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;

/** A Gogo session whose output is captured; one command line at a time. */
final class GogoSession implements AutoCloseable {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final CommandSession session;

    GogoSession(CommandProcessor processor) {
        session = processor.createSession(new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    void put(String name, Object value) {
        session.put(name, value);
    }

    /** The session variable LXC-style commands leave their exit status in. */
    static final String EXIT_VARIABLE = "lxj.exit";

    /**
     * Runs {@code line}, which must succeed: no exception, and an exit status ({@value #EXIT_VARIABLE}) of 0
     * if the command left one. Returns what it printed followed by its formatted result, if any.
     */
    String run(String line) throws Exception {
        String output = runAny(line);
        if (status() != 0) {
            throw new AssertionError(line + " exited " + status() + ": " + errors() + output);
        }
        return output;
    }

    /**
     * Runs {@code line}, which must fail: by an exception or by a non-zero exit status. Returns the failure's
     * message (the exception's, or what the command printed on stderr).
     */
    String runFailing(String line) {
        String output;
        try {
            output = runAny(line);
        } catch (Exception e) {
            return String.valueOf(e.getMessage());
        }
        if (status() == 0) {
            throw new AssertionError(line + " succeeded: " + output);
        }
        return errors();
    }

    /** The exit status the last command left, 0 if none. */
    int status() {
        Object status = session.get(EXIT_VARIABLE);
        return status instanceof Number n ? n.intValue() : 0;
    }

    private String runAny(String line) throws Exception {
        out.reset();
        err.reset();
        session.put(EXIT_VARIABLE, null);
        Object result = session.execute(line);
        StringBuilder text = new StringBuilder(out.toString(StandardCharsets.UTF_8));
        if (result != null) {
            text.append(session.format(result, Converter.INSPECT)).append('\n');
        }
        return text.toString();
    }

    String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        session.close();
    }
}
