package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.Test;

class TerminalWidthTest {

    private static final Path CWD = Path.of("/tmp");

    @Test
    void noTerminalMeansNoWidth() {
        assertEquals(0, TerminalWidth.of(new FakeSession(CWD)));
        FakeSession session = new FakeSession(CWD);
        session.put(TerminalWidth.TERMINAL_VARIABLE, "not a terminal");
        assertEquals(0, TerminalWidth.of(session));
    }

    @Test
    void aDumbTerminalHasNoWidth() throws IOException {
        try (Terminal dumb = new DumbTerminal(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream())) {
            FakeSession session = new FakeSession(CWD);
            session.put(TerminalWidth.TERMINAL_VARIABLE, dumb);
            assertEquals(0, TerminalWidth.of(session));
        }
    }

    @Test
    void aRealTerminalGivesItsWidth() throws IOException {
        try (Terminal xterm = new ExternalTerminal("test", "xterm", new ByteArrayInputStream(new byte[0]),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            xterm.setSize(new Size(132, 40));
            FakeSession session = new FakeSession(CWD);
            session.put(TerminalWidth.TERMINAL_VARIABLE, xterm);
            assertEquals(132, TerminalWidth.of(session));
        }
    }

    @Test
    void outsideAGogoPipeTheCommandWritesToSystemStreamsAsAPipe() {
        CommandIo io = CommandIo.of(new FakeSession(CWD));
        assertFalse(io.tty());
        assertEquals(0, io.width());
        assertEquals(CWD.resolve("x"), io.resolve("x"));
    }
}
