package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * Containers outlive the runtime. Every {@code bin/lxj} command is its own JVM, so each command below is a
 * runtime started afresh that rebuilds the containers' state from their run directories and monitors: the
 * five containers started by five runtimes are all seen RUNNING by a sixth, one whose monitor is killed is
 * reported STOPPED and cleaned up, and the rest stop cleanly and leave nothing behind.
 */
class RestartIT {
    private static final int COUNT = 5;
    private static ContainerCli cli;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-restart-");
    }

    @AfterAll
    static void destroyContainers() throws Exception {
        if (cli != null) {
            assertEquals(List.of(), cli.destroyAll(), "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void containersSurviveRuntimesAndAKilledMonitorIsReconciled() throws Exception {
        Map<String, Long> pids = new LinkedHashMap<>();
        for (int i = 1; i <= COUNT; i++) {
            String name = "r" + i;
            pids.put(name, cli.createAndStart(name));
        }

        Result ls = cli.run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        for (Map.Entry<String, Long> e : pids.entrySet()) {
            Matcher m = Pattern.compile("(?m)^" + e.getKey() + "\\s+(\\S+)\\s+(\\S+)\\s*$").matcher(ls.out());
            assertTrue(m.find(), "a row of " + e.getKey() + ": " + ls);
            assertEquals("RUNNING", m.group(1), ls.toString());
            assertEquals(Long.toString(e.getValue()), m.group(2), "the PID of " + e.getKey() + ": " + ls);
        }

        String victim = "r3";
        long init = pids.get(victim);
        long monitor = ContainerCli.parentOf(init);
        assertTrue(Files.readSymbolicLink(Path.of("/proc", Long.toString(monitor), "exe")).toString().startsWith("/memfd:"),
                "init's parent " + monitor + " is the monitor");
        ProcessHandle handle = ProcessHandle.of(monitor).orElseThrow();
        assertTrue(handle.destroyForcibly(), "SIGKILL to monitor " + monitor);
        try {
            handle.onExit().get(ContainerCli.STATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("monitor " + monitor + " still alive " + ContainerCli.STATE_TIMEOUT_SECONDS + " s after SIGKILL");
        }

        Result info = cli.lxc("lxc-info", victim);
        info.assertSuccess();
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out()).find(), "after its monitor died: " + info);
        assertFalse(Files.exists(cli.runDir(victim)), "the run directory of " + victim + " is cleaned up");
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            List<Path> left = hierarchies.map(h -> h.resolve("lxc.payload." + victim))
                    .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList();
            assertEquals(List.of(), left, "cgroups of " + victim + " after its monitor was killed");
        }
        cli.awaitState(victim, "STOPPED");
        assertFalse(ProcessHandle.of(init).map(ProcessHandle::isAlive).orElse(false), "init " + init + " of " + victim + " is gone");

        for (String name : pids.keySet()) {
            if (!name.equals(victim)) {
                Result stop = cli.lxc("lxc-stop", name, "-t", Integer.toString(ContainerCli.STATE_TIMEOUT_SECONDS));
                assertEquals(0, stop.status(), stop.toString());
                assertFalse(ProcessHandle.of(pids.get(name)).map(ProcessHandle::isAlive).orElse(false),
                        "init of " + name + " is gone");
                assertFalse(Files.exists(cli.runDir(name)), "the run directory of " + name + " is removed");
            }
        }
        Result after = cli.run("lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        after.assertSuccess();
        assertEquals(COUNT, Pattern.compile("(?m)^r\\d\\s+STOPPED\\s*$").matcher(after.out()).results().count(), after.toString());

        assertEquals(List.of(), cli.strayMounts(), "mounts left under " + cli.lxcpath);
        Path runRoot = cli.runDir(victim).getParent();
        assertEquals(List.of(), ContainerCli.processesUsing(runRoot), "processes using " + runRoot);
        if (Files.exists(runRoot)) {
            try (var left = Files.list(runRoot)) {
                assertEquals(List.of(), left.filter(Files::isDirectory).toList(), "run directories under " + runRoot);
            }
        }
        assertEquals(List.of(), ContainerCli.zombieChildren(), "zombie children of the test JVM");
    }
}
