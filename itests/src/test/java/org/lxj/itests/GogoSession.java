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

    /** Runs {@code line}; returns what it printed followed by its formatted result, if any. */
    String run(String line) throws Exception {
        out.reset();
        err.reset();
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
