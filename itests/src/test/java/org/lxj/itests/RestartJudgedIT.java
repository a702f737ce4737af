package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
    private static final long TIMEOUT_SECONDS = 120;
    private static final Path LXJ = LxjExamSupport.DIST.resolve("bin/lxj");

    private static Path dir;
    private static Path socket;
    private static Path pidFile;
    private static ContainerCli cli;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        assumeTrue(Files.isExecutable(LxjExamSupport.DIST.resolve("libexec/lxj-launcher")),
                "the distribution has no native client");
        dir = Files.createTempDirectory("lxj-it-f-restart-");
        socket = dir.resolve("control.sock");
        pidFile = dir.resolve("daemon.pid");
        cli = ContainerCli.create("lxj-it-f-restart-lxc-");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (dir == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            if (Files.exists(socket)) {
                run("shutdown");
            }
        } finally {
            Optional<ProcessHandle> left = daemonPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (left.isPresent()) {
                problems.add("daemon " + left.get().pid() + " survived shutdown: killed");
                left.get().destroyForcibly();
                left.get().onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            problems.addAll(cli.destroyAll());
            LxjExamSupport.deleteTree(dir);
        }
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
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

        ProcessHandle daemon = ProcessHandle.of(first).orElseThrow(() -> new AssertionError("daemon " + first + " is gone"));
        assertTrue(daemon.destroyForcibly(), "SIGKILL to the runtime " + first);
        try {
            daemon.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("runtime " + first + " still alive " + TIMEOUT_SECONDS + " s after SIGKILL");
        }
        for (String name : names) {
            assertTrue(alive(inits.get(name)), "init of " + name + " outlives the runtime");
            assertTrue(alive(monitors.get(name)), "monitor of " + name + " outlives the runtime");
        }

        long second = startDaemon();
        assertNotEquals(first, second, "a new runtime");
        Result plain = run("lxc-ls", "-f", "-P", p);
        plain.assertSuccess();
        for (String name : names) {
            assertTrue(Pattern.compile("(?m)^" + name + "\\s+RUNNING\\s").matcher(plain.out).find(),
                    name + " RUNNING in lxc-ls -f: " + plain);
        }
        assertEquals(inits, runningPids(run("lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", p)),
                "every container RUNNING with the PID it had, through the new runtime");

        for (String name : names) {
            Result stop = run("lxc-stop", "-n", name, "-P", p);
            assertEquals(0, stop.status, stop.toString());
        }
        Result after = run("lxc-ls", "-f", "-F", "NAME,STATE", "-P", p);
        after.assertSuccess();
        assertEquals(COUNT, Pattern.compile("(?m)^f\\d\\s+STOPPED\\s*$").matcher(after.out).results().count(),
                after.toString());

        // reaped, not only dead: a zombie keeps its /proc entry (a monitor orphaned by the kill is reaped by the
        // host's PID 1, which may take a few seconds here)
        for (String name : names) {
            assertTrue(awaitReaped(inits.get(name)), "init " + inits.get(name) + " of " + name + " reaped: "
                    + stat(inits.get(name)));
            assertTrue(awaitReaped(monitors.get(name)), "monitor " + monitors.get(name) + " of " + name + " reaped: "
                    + stat(monitors.get(name)));
        }
        assertEquals(List.of(), zombieChildrenOf(second), "zombie children of the new runtime");
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

    /** Zombie children of {@code parent}, as {@code pid (comm)}. */
    private static List<String> zombieChildrenOf(long parent) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
                String s = stat(Long.parseLong(proc.getFileName().toString()));
                if (s.equals("gone")) {
                    continue;
                }
                String[] rest = s.substring(s.lastIndexOf(')') + 2).split(" ");
                if (rest[0].equals("Z") && Long.parseLong(rest[1]) == parent) {
                    found.add(s.substring(0, s.lastIndexOf(')') + 1));
                }
            }
        }
        return found;
    }

    /** {@code bin/lxj daemon}, which returns once the daemon listens; the daemon's pid from its pid file. */
    private static long startDaemon() throws IOException, InterruptedException {
        Result started = run("daemon");
        assertEquals(0, started.status, started.toString());
        assertTrue(started.err.contains("listening on " + socket), started.toString());
        long pid = daemonPid().orElseThrow(() -> new AssertionError("no pid in " + pidFile + ": " + started));
        assertTrue(alive(pid), "daemon " + pid + " is alive");
        return pid;
    }

    /** NAME -> PID of the RUNNING rows of {@code lxc-ls -f -F NAME,STATE,PID}. */
    private static Map<String, Long> runningPids(Result ls) {
        ls.assertSuccess();
        Map<String, Long> pids = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\S+)\\s+RUNNING\\s+(\\d+)\\s*$").matcher(ls.out);
        while (m.find()) {
            pids.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertEquals(COUNT, pids.size(), "RUNNING rows: " + ls);
        return pids;
    }

    private static Optional<Long> daemonPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** {@code bin/lxj ARGS} with the private socket and pid file: through the daemon when one listens. */
    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LXJ.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().remove("LXJ_NO_DAEMON");
        pb.environment().put("LXJ_CONTROL_SOCKET", socket.toString());
        pb.environment().put("LXJ_PID_FILE", pidFile.toString());
        Process proc = pb.start();
        if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("bin/lxj " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        Result r = new Result(String.join(" ", args), proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private record Result(String command, int status, String out, String err) {
        void assertSuccess() {
            assertEquals(0, status, toString());
        }

        @Override
        public String toString() {
            return "lxj " + command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
