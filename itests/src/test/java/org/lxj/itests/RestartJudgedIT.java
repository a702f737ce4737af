package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.Daemon.Result;

/**
 * Issue 3's restart item as judged: five running busybox containers, {@code kill -9} of the runtime (the daemon's
 * JVM), a new runtime; {@code lxc-ls -f} shows all five RUNNING and {@code -F NAME,STATE,PID} with the PIDs they
 * had; all five stop cleanly; afterwards no mount under the lxcpath or run root, no run directory, no process
 * holding the run root, and no zombie: every init and monitor is gone from {@code /proc} (reaped, not just dead)
 * and neither runtime nor test JVM has a zombie child. The daemon runs on a private socket and pid file and is
 * stopped afterwards whatever happens.
 */
class RestartJudgedIT {
    private static final int COUNT = 5;

    private static Daemon daemon;
    private static ContainerCli cli;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        Daemon.assumeUsable();
        daemon = Daemon.create("lxj-it-f-restart-");
        cli = ContainerCli.create("lxj-it-f-restart-lxc-");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) {
            assertEquals(List.of(), daemon.shutdownDestroyAndClose(cli), "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void fiveContainersSurviveAKillNineOfTheRuntimeAndStopCleanlyThroughTheNextOne() throws Exception {
        long first = startDaemon();
        String p = cli.lxcpath.toString();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= COUNT; i++) {
            String name = "f" + i;
            names.add(name);
            run("lxc-create", "-n", name, "-t", "busybox", "-P", p).assertSuccess();
            run("lxc-start", "-n", name, "-P", p, "-s", "lxc.net.0.type=empty").assertSuccess();
        }
        Map<String, Long> inits = runningPids(run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", p));
        assertEquals(Set.copyOf(names), inits.keySet(), "RUNNING before the kill");
        Map<String, Long> monitors = new LinkedHashMap<>();
        for (Map.Entry<String, Long> e : inits.entrySet()) {
            long monitor = ContainerCli.parentOf(e.getValue());
            assertNotEquals(first, monitor, "the monitor of " + e.getKey() + " is not the runtime");
            assertTrue(Files.readSymbolicLink(Path.of("/proc", Long.toString(monitor), "exe")).toString()
                    .startsWith("/memfd:"), "init's parent " + monitor + " is a monitor");
            monitors.put(e.getKey(), monitor);
        }

        Daemon.kill("runtime", first);
        for (String name : names) {
            assertTrue(alive(inits.get(name)), "init of " + name + " outlives the runtime");
            assertTrue(alive(monitors.get(name)), "monitor of " + name + " outlives the runtime");
        }

        long second = startDaemon();
        assertNotEquals(first, second, "a new runtime");
        Result plain = run("lxc-ls", "-f", "-P", p);
        plain.assertSuccess();
        for (String name : names) {
            assertTrue(Pattern.compile("(?m)^" + name + "\\s+RUNNING\\s").matcher(plain.out()).find(),
                    name + " RUNNING in lxc-ls -f: " + plain);
        }
        assertEquals(inits, runningPids(run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", p)),
                "every container RUNNING with the PID it had, through the new runtime");

        for (String name : names) {
            Result stop = run("lxc-stop", "-n", name, "-P", p);
            assertEquals(0, stop.status(), stop.toString());
        }
        Result after = run("lxc-ls", "-f", "-F", "NAME,STATE", "-P", p);
        after.assertSuccess();
        assertEquals(COUNT, Pattern.compile("(?m)^f\\d\\s+STOPPED\\s*$").matcher(after.out()).results().count(),
                after.toString());

        // reaped, not only dead: a zombie keeps its /proc entry (a monitor orphaned by the kill is reaped by the
        // host's PID 1, which may take a few seconds here)
        for (String name : names) {
            assertTrue(awaitReaped(inits.get(name)), "init " + inits.get(name) + " of " + name + " reaped: "
                    + stat(inits.get(name)));
            assertTrue(awaitReaped(monitors.get(name)), "monitor " + monitors.get(name) + " of " + name + " reaped: "
                    + stat(monitors.get(name)));
        }
        assertEquals(List.of(), ContainerCli.zombieChildrenOf(second), "zombie children of the new runtime");
        assertEquals(List.of(), ContainerCli.zombieChildren(), "zombie children of the test JVM");
        assertEquals(List.of(), cli.strayMounts(), "mounts under " + cli.lxcpath + " or its run root");
        Path runRoot = cli.runDir("f1").getParent();
        for (String name : names) {
            assertFalse(Files.exists(cli.runDir(name)), "run directory " + cli.runDir(name));
        }
        assertEquals(List.of(), ContainerCli.processesUsing(runRoot), "processes using " + runRoot);
        if (Files.exists(runRoot)) {
            try (Stream<Path> left = Files.list(runRoot)) {
                assertEquals(List.of(), left.filter(Files::isDirectory).toList(), "run directories under " + runRoot);
            }
        }
        assertTrue(alive(second), "the new runtime is still up");
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static String stat(long pid) {
        try (InputStream in = Files.newInputStream(Path.of("/proc", Long.toString(pid), "stat"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException gone) {
            return "gone";
        }
    }

    /** Bounded wait until {@code /proc/PID} is gone: the process exited and its parent (or PID 1) reaped it. */
    private static boolean awaitReaped(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ContainerCli.STATE_TIMEOUT_SECONDS);
        while (Files.exists(Path.of("/proc", Long.toString(pid)))) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    /** {@code bin/lxj daemon}, which returns once the daemon listens; the daemon's pid from its pid file. */
    private static long startDaemon() throws IOException, InterruptedException {
        return daemon.startListening();
    }

    /** NAME -> PID of the RUNNING rows of {@code lxc-ls -f -F NAME,STATE,PID}. */
    private static Map<String, Long> runningPids(Result ls) {
        return Daemon.runningPids(ls, COUNT);
    }

    /** {@code bin/lxj ARGS} with the private socket and pid file: through the daemon when one listens. */
    private static Result run(String... args) throws IOException, InterruptedException {
        return daemon.run(args);
    }
}
