package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.Daemon.Result;

/**
 * Containers outlive a killed daemon: three busybox containers started through a daemon on a private control
 * socket, {@code kill -9} of the daemon's JVM, a new daemon on the same socket (over the dead one's socket file
 * and pid file), and through it {@code lxc-ls -f} shows all three RUNNING with the PIDs they had; they all stop
 * cleanly and leave no mount, run directory or monitor behind. The daemon is stopped afterwards whatever
 * happens: {@code bin/lxj shutdown}, then SIGKILL to the pid of its pid file.
 */
class DaemonRestartIT {
    private static final int COUNT = 3;
    private static Daemon daemon;
    private static ContainerCli cli;

    @BeforeAll
    static void setUp() throws Exception {
        Daemon.assumeUsable();
        daemon = Daemon.create("lxj-it-drestart-");
        cli = ContainerCli.create("lxj-it-drestart-lxc-");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon != null) {
            assertEquals(List.of(), daemon.shutdownDestroyAndClose(cli), "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void containersSurviveAKilledDaemonAndStopCleanlyThroughItsSuccessor() throws Exception {
        long first = startDaemon();
        Map<String, Long> inits = new LinkedHashMap<>();
        Map<String, Long> monitors = new LinkedHashMap<>();
        String p = cli.lxcpath.toString();
        for (int i = 1; i <= COUNT; i++) {
            String name = "d" + i;
            run("lxc-create", "-n", name, "-t", "busybox", "-P", p).assertSuccess();
            run("lxc-start", "-n", name, "-P", p, "-s", "lxc.net.0.type=empty").assertSuccess();
        }
        Map<String, Long> before = runningPids(run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", p));
        for (int i = 1; i <= COUNT; i++) {
            String name = "d" + i;
            long init = before.get(name);
            inits.put(name, init);
            monitors.put(name, ContainerCli.parentOf(init));
            assertNotEquals(first, monitors.get(name), "the monitor of " + name + " is not the daemon");
        }

        Daemon.kill("daemon", first);
        for (Map.Entry<String, Long> m : monitors.entrySet()) {
            assertTrue(ProcessHandle.of(m.getValue()).map(ProcessHandle::isAlive).orElse(false),
                    "the monitor of " + m.getKey() + " outlives the daemon");
        }

        long second = startDaemon();
        assertNotEquals(first, second, "a new daemon");
        Result ls = run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", p);
        assertEquals(inits, runningPids(ls), "every container RUNNING with its PID through the new daemon: " + ls);

        for (String name : inits.keySet()) {
            Result stop = run("lxc-stop", "-n", name, "-P", p);
            assertEquals(0, stop.status(), stop.toString());
            assertFalse(Files.exists(cli.runDir(name)), "the run directory of " + name + " is removed: " + cli.runDir(name));
        }
        for (String name : inits.keySet()) {
            awaitExit("init of " + name, inits.get(name));
            awaitExit("monitor of " + name, monitors.get(name));
        }
        Result after = run("lxc-ls", "-f", "-F", "NAME,STATE", "-P", p);
        after.assertSuccess();
        assertEquals(COUNT, Pattern.compile("(?m)^d\\d\\s+STOPPED\\s*$").matcher(after.out()).results().count(), after.toString());
        assertEquals(List.of(), cli.strayMounts(), "mounts left under " + cli.lxcpath);
        Path runRoot = cli.runDir("d1").getParent();
        assertEquals(List.of(), ContainerCli.processesUsing(runRoot), "processes using " + runRoot);
        if (Files.exists(runRoot)) {
            try (var left = Files.list(runRoot)) {
                assertEquals(List.of(), left.filter(Files::isDirectory).toList(), "run directories under " + runRoot);
            }
        }
        assertTrue(ProcessHandle.of(second).map(ProcessHandle::isAlive).orElse(false), "the new daemon is still up");
    }

    /** {@code bin/lxj daemon}, which returns once the daemon listens; the daemon's pid from its pid file. */
    private static long startDaemon() throws IOException, InterruptedException {
        return daemon.startListening();
    }

    /** Bounded wait for a process of a stopped container to be gone (a monitor exits just after it reports). */
    private static void awaitExit(String what, long pid) throws Exception {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isPresent()) {
            try {
                h.get().onExit().get(ContainerCli.STATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError(what + " (" + pid + ") still alive " + ContainerCli.STATE_TIMEOUT_SECONDS
                        + " s after lxc-stop returned");
            }
        }
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
