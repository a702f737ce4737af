package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.apache.felix.gogo.runtime.threadio.ThreadIOImpl;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands inside Gogo's real command processor (no OSGi framework): a dash in a function name, raw
 * arguments with Gogo's quoting, output through the pipe's streams, the exit status in {@code lxj.exit}.
 */
class GogoRuntimeTest {

    private final ThreadIOImpl threadIo = new ThreadIOImpl();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final FakeRuntime runtime = GoldenTest.oracleRuntime();
    private CommandProcessorImpl processor;
    private CommandSession session;

    @BeforeEach
    void startGogo() {
        threadIo.start();
        processor = new CommandProcessorImpl(threadIo);
        processor.addCommand("lxc", new LsCommand(runtime, "0.1.0"), "ls");
        processor.addCommand("lxc", new InfoCommand(runtime, "0.1.0"), "info");
        processor.addCommand("lxc", new UpdateConfigCommand(runtime), "update-config");
        processor.addCommand("lxc", new ExecuteCommand(runtime, "0.1.0"), "execute");
        processor.addCommand("lxc", new WaitCommand(runtime, "0.1.0"), "wait");
        session = processor.createSession(new ByteArrayInputStream(new byte[0]), out, err);
        session.currentDir(Path.of("/tmp/shell-oracle-work"));
    }

    @AfterEach
    void stopGogo() {
        session.close();
        processor.stop();
        threadIo.stop();
    }

    private Object execute(String line) throws Exception {
        out.reset();
        err.reset();
        return session.execute(line);
    }

    @Test
    void runsCommandsWithRawArguments() throws Exception {
        assertEquals(null, execute("lxc:ls -P /tmp/shell-oracle -1 --filter '^c'"));
        assertEquals("c1\nc2\n", out.toString(StandardCharsets.UTF_8));
        assertEquals(0, session.get(LxcCommand.EXIT_VARIABLE));
    }

    @Test
    void errorsGoToTheSessionsErrorStreamWithTheStatusInTheSession() throws Exception {
        execute("lxc:info -P /tmp/shell-oracle -n nope");
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertEquals("nope doesn't exist\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(1, session.get(LxcCommand.EXIT_VARIABLE));
    }

    @Test
    void acceptsADashInTheFunctionName() throws Exception {
        execute("lxc:update-config -c c1/config");
        assertEquals(0, session.get(LxcCommand.EXIT_VARIABLE));
        assertEquals(Path.of("/tmp/shell-oracle-work/c1/config"), runtime.updated.get(0));
    }

    @Test
    void aCommandInAContainerWritesToTheSessionAndLeavesItsStatus() throws Exception {
        execute("lxc:execute -P /tmp/shell-oracle -n c1 -- /bin/sh -c 'echo out; echo err >&2; exit 42'");
        assertEquals("out\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("err\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(42, session.get(LxcCommand.EXIT_VARIABLE));
        execute("lxc:wait -P /tmp/shell-oracle -n c1 -s 'RUNNING|STOPPED' -t 1");
        assertEquals(0, session.get(LxcCommand.EXIT_VARIABLE));
        execute("lxc:wait -P /tmp/shell-oracle -n c1 -s RUNNING -t 1");
        assertEquals(1, session.get(LxcCommand.EXIT_VARIABLE));
    }
}
