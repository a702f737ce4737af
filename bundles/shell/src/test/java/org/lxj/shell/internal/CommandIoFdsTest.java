package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.Stdio;

/** The session variables the daemon sets: the client's fds and its terminal's width. */
class CommandIoFdsTest {
    private static final Path CWD = Path.of("/tmp");

    @Test
    void handedFdsGoToTheContainer() {
        FakeSession session = new FakeSession(CWD);
        session.put(CommandIo.FDS_VARIABLE, "7,8,9");
        CommandIo io = CommandIo.of(session);
        assertTrue(io.inheritStdio());
        Stdio stdio = io.stdio();
        assertEquals(Optional.of(new Stdio.Fds(7, 8, 9)), stdio.fds());
    }

    @Test
    void theDaemonsFdsWinOverTheProcesssOwn() {
        FakeSession session = new FakeSession(CWD);
        session.put(CommandIo.INHERIT_VARIABLE, Boolean.TRUE);
        assertSame(Stdio.INHERIT, CommandIo.of(session).stdio());
        session.put(CommandIo.FDS_VARIABLE, "10, 11, 12");
        assertEquals(Optional.of(new Stdio.Fds(10, 11, 12)), CommandIo.of(session).stdio().fds());
    }

    @Test
    void malformedFdsAreIgnored() {
        assertEquals(Optional.empty(), CommandIo.handedFds("1,2"));
        assertEquals(Optional.empty(), CommandIo.handedFds("a,b,c"));
        assertEquals(Optional.empty(), CommandIo.handedFds(null));
        FakeSession session = new FakeSession(CWD);
        session.put(CommandIo.FDS_VARIABLE, "x");
        assertFalse(CommandIo.of(session).stdio().inherit());
    }

    @Test
    void theClientsWidthIsUsedWithoutATerminalOfTheSession() {
        FakeSession session = new FakeSession(CWD);
        session.put(CommandIo.WIDTH_VARIABLE, 120);
        // outside a Gogo pipe there is no process to say fd 1 is a tty: the width is kept for formatting only
        CommandIo io = CommandIo.of(session);
        assertFalse(io.tty());
        assertEquals(0, io.width(), "no terminal, no width");
    }
}
