package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConsoleDeniedException;
import org.lxj.api.ConsoleSession;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.LxjException;
import org.lxj.shell.internal.GoldenTest.Result;

/** lxc-console's options, banner and errors against a fake runtime, through plain streams. */
class ConsoleCommandTest {

    /** A runtime whose console answers with {@link #session} or throws {@link #failure}. */
    static final class ConsoleRuntime extends FakeRuntime {
        LxjException failure;
        ConsoleRelayTest.FakeConsole session;
        final List<String> asked = new ArrayList<>();

        ConsoleRuntime() {
            super(FakeRuntime.debianSystemConfig());
        }

        @Override
        public ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns) {
            return console(lxcpath, name, tty, rows, columns, false);
        }

        @Override
        public ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns, boolean replay) {
            asked.add(lxcpath + " " + name + " " + tty + " " + rows + "x" + columns + (replay ? " replay" : ""));
            if (failure != null) {
                throw failure;
            }
            return session;
        }
    }

    static Result run(ConsoleRuntime runtime, String keys, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            CommandIo io = new CommandIo(o, e, false, 0, Path.of("/tmp"),
                    new ByteArrayInputStream(keys.getBytes(StandardCharsets.UTF_8)), false);
            status = new ConsoleCommand(runtime, "0.1.0", new ConsoleViewers(Optional.empty())).run(io, List.of(args));
        }
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    @Test
    void theBannerNamesTheTtyAndTheEscape() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.session = new ConsoleRelayTest.FakeConsole(1);
        Result result = run(r, "ls\r\u0001q", "-n", "c1");
        assertEquals(new Result("", "\nConnected to tty 1\nType <Ctrl+a q> to exit the console, "
                + "<Ctrl+a Ctrl+a> to enter Ctrl+a itself\n", 0), result);
        assertEquals(List.of("/var/lib/lxc c1 -1 0x0"), r.asked);
        assertArrayEquals("ls\r".getBytes(StandardCharsets.UTF_8), r.session.typed());
        assertTrue(r.session.closed);
    }

    @Test
    void escapeAndTtyOptions() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.session = new ConsoleRelayTest.FakeConsole(0);
        Result result = run(r, "\u0001q\u0002q", "-n", "c1", "-t", "0", "-e", "^b", "-P", "/srv/lxc");
        assertEquals("\nConnected to tty 0\nType <Ctrl+b q> to exit the console, "
                + "<Ctrl+b Ctrl+b> to enter Ctrl+b itself\n", result.err());
        assertEquals(0, result.status());
        assertEquals(List.of("/srv/lxc c1 0 0x0"), r.asked);
        assertArrayEquals("\u0001q".getBytes(StandardCharsets.UTF_8), r.session.typed());
    }

    @Test
    void containerOutputGoesToStdout() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.session = new ConsoleRelayTest.FakeConsole(0);
        r.session.print("/ # ");
        r.session.stop();
        Result result = run(r, "", "-n", "c1", "-t", "0");
        assertEquals("/ # ", result.out());
        assertEquals(0, result.status());
    }

    @Test
    void aStoppedContainerIsReportedAsLxcDoes() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.failure = new ContainerNotRunningException("c1");
        assertEquals(new Result("", "lxc-console: c1: c1 is not running\n", 1), run(r, "", "-n", "c1"));
    }

    @Test
    void noFreeTtyIsDenied() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.failure = new ConsoleDeniedException("tty service denied: tty 1 is taken");
        assertEquals(new Result("", "lxc-console: c1: tty service denied: tty 1 is taken\n", 1),
                run(r, "", "-n", "c1", "-t", "1"));
    }

    @Test
    void badArgumentsAreRefused() {
        ConsoleRuntime r = new ConsoleRuntime();
        assertEquals(new Result("", "lxc-console: could not parse command line\n", 1),
                run(r, "", "-n", "c1", "-e", "^1"));
        assertEquals(new Result("", "lxc-console: could not parse command line\n", 1),
                run(r, "", "-n", "c1", "-t", "x"));
        assertEquals(List.of(), r.asked);
        assertEquals(new Result("", "lxc-console: No container name specified\n", 1), run(r, ""));
    }

    @Test
    void aForegroundStartAsksForTheBufferedConsoleOutputFirstAndLxcConsoleDoesNot() {
        ConsoleRuntime r = new ConsoleRuntime();
        r.session = new ConsoleRelayTest.FakeConsole(0);
        r.session.print("Please press Enter to activate this console.");
        r.session.stop();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> errors = new ArrayList<>();
        ConsoleRelay.End end;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            CommandIo io = new CommandIo(o, e, false, 0, Path.of("/tmp"), new ByteArrayInputStream(new byte[0]), false);
            end = ConsoleCommand.connect(r, new ConsoleViewers(Optional.empty()).of(io), io, Path.of("/var/lib/lxc"),
                    "c1", 0, 0, true, errors::add);
        }
        assertEquals(List.of(), errors);
        assertEquals(ConsoleRelay.End.STOPPED, end);
        assertEquals(List.of("/var/lib/lxc c1 0 0x0 replay"), r.asked);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("Please press Enter"), out.toString());

        ConsoleRuntime plain = new ConsoleRuntime();
        plain.session = new ConsoleRelayTest.FakeConsole(0);
        run(plain, "\u0001q", "-n", "c1", "-t", "0");
        assertEquals(List.of("/var/lib/lxc c1 0 0x0"), plain.asked);
    }
}
