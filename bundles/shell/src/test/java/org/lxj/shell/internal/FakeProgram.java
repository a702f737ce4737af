package org.lxj.shell.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.lxj.api.Stdio;

/**
 * The commands the fake runtime "runs" in a container: {@code /bin/true} (0), {@code /bin/false} (1), no command
 * (the login shell, reading nothing: 0) and {@code sh -c SCRIPT} with {@code ;}-separated {@code echo WORDS},
 * {@code echo WORDS >&2} and {@code exit N}. Anything else is not found (127). Output goes to the streams the
 * command was given; with {@link Stdio#INHERIT} it would go to the process's fds, which a test does not read, so
 * nothing is written.
 */
final class FakeProgram {

    private FakeProgram() {
    }

    static int run(List<String> command, Stdio stdio) {
        if (command.isEmpty() || command.get(0).equals("/bin/true")) {
            return 0;
        }
        if (command.get(0).equals("/bin/false")) {
            return 1;
        }
        if (command.size() == 3 && command.get(0).endsWith("sh") && command.get(1).equals("-c")) {
            return script(command.get(2), stdio);
        }
        return 127;
    }

    private static int script(String script, Stdio stdio) {
        for (String statement : script.split(";")) {
            String s = statement.trim();
            if (s.startsWith("exit ")) {
                return Integer.parseInt(s.substring(5).trim());
            }
            if (s.startsWith("echo ") && s.endsWith(" >&2")) {
                write(stdio.err(), s.substring(5, s.length() - 4));
            } else if (s.startsWith("echo ")) {
                write(stdio.out(), s.substring(5));
            }
        }
        return 0;
    }

    private static void write(OutputStream stream, String line) {
        if (stream == null) {
            return;
        }
        try {
            stream.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            stream.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
