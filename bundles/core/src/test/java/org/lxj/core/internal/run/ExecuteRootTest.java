package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.Stdio;
import org.lxj.core.internal.runtime.RuntimeComponent;

/**
 * {@code lxc-execute} on real containers (root, real kernel, busybox rootfs): an interrupted caller does not hang
 * and leaves the container to stop and be cleaned up; {@code -s} list keys add to the config's; the container log
 * ({@code lxc.log.file}/{@code lxc.log.level}) gets the run's lines in LXC's format. Cleans up after itself.
 */
class ExecuteRootTest {
    static final Duration BOUND = RootRuns.BOUND;
    static RootRuns.Host host;
    static Path base;

    RootRuns runs;
    Path lxcpath;
    Path runRoot;
    RuntimeComponent runtime;

    @BeforeAll
    static void rootAndBusybox() throws IOException {
        host = RootRuns.Host.open("lxj-exec-root-");
        base = host.base();
    }

    @AfterAll
    static void removeBase() throws IOException {
        if (host != null) {
            host.close();
        }
    }

    @BeforeEach
    void setUp() throws IOException {
        runs = new RootRuns(host, "lxj-test-", RootRuns.NO_CGROUPS);
        lxcpath = runs.lxcpath;
        runRoot = runs.runRoot;
        runtime = runs.newRuntime();
    }

    @AfterEach
    void tearDown() throws IOException {
        runs.close();
    }

    void define(String name, String extra) throws IOException {
        runs.define(name, extra);
    }

    int execute(String name, String script, Map<String, String> overrides, ByteArrayOutputStream out) {
        return runtime.execute(lxcpath, name, new ExecuteOptions(List.of("/bin/sh", "-c", script), overrides,
                OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()));
    }

    @Test
    void theStatusIsHandedOverBeforeTheCleanupWithTheLockHeld() throws IOException {
        define("early", "");
        Path state = new RunLayout(runRoot).state(lxcpath, "early");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger early = new AtomicInteger(-1);
        java.util.concurrent.atomic.AtomicBoolean stateThen = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean lockedThen = new java.util.concurrent.atomic.AtomicBoolean();
        int status = runtime.execute(lxcpath, "early", new ExecuteOptions(List.of("/bin/sh", "-c", "echo out; exit 42"),
                Map.of(), OptionalInt.empty(), OptionalInt.empty(), false),
                new Stdio(new ByteArrayInputStream(new byte[0]), out, new ByteArrayOutputStream()), s -> {
                    early.set(s);
                    stateThen.set(Files.exists(state));
                    // what a following start does first: it finds the container's lock taken
                    lockedThen.set(new ContainerLocks(new RunLayout(runRoot)).tryLock(lxcpath, "early").isEmpty());
                });
        assertEquals(42, status);
        assertEquals(42, early.get(), "the status was handed over");
        assertEquals("out\n", out.toString(StandardCharsets.UTF_8), "with the command's output already relayed");
        assertTrue(stateThen.get(), "before the cleanup: the run state was still recorded");
        assertTrue(lockedThen.get(), "with the container's lock held");
        assertFalse(Files.exists(state), "the cleanup is done when execute returns");
        assertEquals(ContainerState.STOPPED, runtime.get(lxcpath, "early").state());
    }

    @Test
    void anInterruptedExecuteReturnsAndTheCommandGetsSigint() throws Exception {
        // the container log's "started" line is written at the end of the start: interrupting the caller only
        // after it keeps the start itself (its file writes are interruptible) out of this test
        Path log = base.resolve("intr-" + UUID.randomUUID() + ".log");
        define("intr", "lxc.log.file = " + log + "\nlxc.log.level = NOTICE\n");
        AtomicInteger status = new AtomicInteger(-1);
        Thread caller = new Thread(() -> status.set(execute("intr", "sleep 1000", Map.of(),
                new ByteArrayOutputStream())), "execute-caller");
        caller.start();
        assertTrue(runtime.waitFor(lxcpath, "intr", Set.of(ContainerState.RUNNING), BOUND), "the command runs");
        awaitLine(log, "' started with pid '");
        Files.deleteIfExists(log);
        caller.interrupt();                               // what a client that hangs up does to the daemon's thread
        caller.join(BOUND.toMillis());
        assertFalse(caller.isAlive(), "the interrupted execute returned");
        assertEquals(128 + 2, status.get());
        assertTrue(runtime.waitFor(lxcpath, "intr", Set.of(ContainerState.STOPPED), BOUND),
                "SIGINT ended the command and the container stopped");
        assertFalse(Files.exists(new RunLayout(runRoot).dir(lxcpath, "intr")), "cleaned up");
    }

    /** Waits (bounded) until {@code file} holds a line containing {@code text}. */
    static void awaitLine(Path file, String text) throws IOException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).contains(text)) {
            assertTrue(System.nanoTime() - deadline < 0, "no line with \"" + text + "\" in " + file);
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    @Test
    void repeatedEnvironmentDefinesAddToTheConfigs() throws IOException {
        define("env", "lxc.environment = FROM_CONFIG=c\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, execute("env", "echo \"$FROM_CONFIG $A $B\"", Map.of("lxc.environment", "A=1\nB=2"), out));
        assertEquals("c 1 2\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theContainerLogGetsTheRunsLinesInLxcsFormat() throws IOException {
        Path log = base.resolve("logged-" + UUID.randomUUID() + ".log");
        try {
            define("logged", "lxc.log.level = ERROR\n");
            assertEquals(3, execute("logged", "exit 3", Map.of("lxc.log.file", log.toString(), "lxc.log.level",
                    "INFO"), new ByteArrayOutputStream()));
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            String prefix = "lxc-execute logged \\d{14}\\.\\d{3} ";
            assertTrue(lines.get(0).matches(prefix + "INFO     start - ContainerStarter\\.java:run:\\d+ - "
                    + "Container \"logged\" is initialized"), lines.get(0));
            assertTrue(lines.stream().anyMatch(l -> l.matches(prefix + "INFO     start - .* - Cloned CLONE_NEWPID")),
                    lines.toString());
            assertTrue(lines.stream().anyMatch(l -> l.matches(prefix + "NOTICE   execute - .* - '/bin/sh -c exit 3'"
                    + " started with pid '\\d+'")), lines.toString());
            assertTrue(lines.get(lines.size() - 1).matches(prefix + "NOTICE   start - RunRegistry\\.java:\\w+:\\d+ - "
                    + "Container \"logged\" stopped \\(exit status 3\\)"), lines.toString());
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
