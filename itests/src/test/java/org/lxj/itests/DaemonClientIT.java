package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The runtime daemon and the native client, end to end: {@code bin/lxj daemon} on a private control socket
 * (LXJ_CONTROL_SOCKET in a temporary directory), then commands through {@code bin/lxj} (the client) compared
 * with the same commands in one-command mode ({@code LXJ_NO_DAEMON=1}). The daemon is stopped after the
 * tests whatever happens, by {@code bin/lxj shutdown} and else by its pid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DaemonClientIT {
    private static final Path DIST = LxjExamSupport.DIST;
    private static final long TIMEOUT_SECONDS = 180;
    private static final int TIMING_RUNS = 7;

    private Path dir;
    private Path socket;
    private Path pidFile;
    private Path lxcpath;
    private Path scratch;

    @BeforeAll
    void startDaemon() throws Exception {
        assumeTrue(Files.isExecutable(DIST.resolve("bin/lxj")), "the distribution is not built: " + DIST);
        assumeTrue(Files.isExecutable(DIST.resolve("libexec/lxj-launcher")), "the distribution has no native client");
        dir = Files.createTempDirectory("lxj-it-daemon-");
        socket = dir.resolve("control.sock");
        pidFile = dir.resolve("daemon.pid");
        lxcpath = Files.createTempDirectory("lxj-it-daemon-lxc-");
        scratch = Files.createTempDirectory("lxj-it-daemon-files-");
        Result started = run(Mode.DAEMON, null, "daemon");
        assertEquals(0, started.status, started.toString());
        assertTrue(started.err.contains("listening on " + socket), started.toString());
        assertTrue(Files.exists(socket), "the socket exists once the daemon answers");
        assertEquals("rw-------", permissions(socket), "the socket is the daemon uid's only");
        assertTrue(daemonPid().isPresent(), "the daemon wrote its pid file " + pidFile);
    }

    @AfterAll
    void stopDaemon() throws Exception {
        try {
            if (dir != null && Files.exists(socket)) {
                run(Mode.DAEMON, null, "shutdown");
            }
        } finally {
            Optional<ProcessHandle> left = daemonPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (left.isPresent()) {
                left.get().destroyForcibly();
                left.get().onExit().get(30, TimeUnit.SECONDS);
            }
            LxjExamSupport.deleteTree(lxcpath);
            ContainerCli.removeRunFiles(lxcpath);
            LxjExamSupport.deleteTree(scratch);
            LxjExamSupport.deleteTree(dir);
        }
    }

    @Test
    @Order(1)
    void outputsAndStatusesMatchOneCommandMode() throws Exception {
        String p = lxcpath.toString();
        Result create = run(Mode.DAEMON, null, "lxc-create", "-n", "c1", "-t", "none", "-P", p);
        assertEquals(0, create.status, create.toString());
        assertEquals("", create.out, create.toString());
        assertTrue(Files.isRegularFile(lxcpath.resolve("c1/config")));

        for (String[] args : List.of(
                new String[] {"lxc-ls", "-P", p},
                new String[] {"lxc-ls", "-f", "-P", p},
                new String[] {"lxc-info", "-n", "c1", "-P", p},
                new String[] {"lxc-info", "-n", "missing", "-P", p},
                new String[] {"lxc-info", "-n", "c1", "-c", "lxc.uts.name", "-P", p},
                new String[] {"lxc-no-such-command"})) {
            Result viaDaemon = run(Mode.DAEMON, null, args);
            Result alone = run(Mode.ONE_COMMAND, null, args);
            assertEquals(alone.status, viaDaemon.status, "exit status of " + alone + "\nvs\n" + viaDaemon);
            assertEquals(alone.out, viaDaemon.out, "stdout of " + String.join(" ", args));
            assertEquals(commandErrors(alone.err), commandErrors(viaDaemon.err), "stderr of " + String.join(" ", args));
        }
        Result ls = run(Mode.DAEMON, null, "lxc-ls", "-f", "-P", p);
        assertTrue(Pattern.compile("(?m)^c1\\s+STOPPED\\s").matcher(ls.out).find(), ls.toString());
        Result missing = run(Mode.DAEMON, null, "lxc-info", "-n", "missing", "-P", p);
        assertEquals(1, missing.status, missing.toString());
        assertEquals("", missing.out);
        assertTrue(missing.err.contains("missing"), missing.toString());

        Result destroy = run(Mode.DAEMON, null, "lxc-destroy", "-n", "c1", "-P", p);
        assertEquals(0, destroy.status, destroy.toString());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
        Result gone = run(Mode.DAEMON, null, "lxc-destroy", "-n", "c1", "-P", p);
        assertEquals(run(Mode.ONE_COMMAND, null, "lxc-destroy", "-n", "c1", "-P", p).status, gone.status);
        assertTrue(gone.status != 0, gone.toString());
    }

    @Test
    @Order(2)
    void argumentsReachTheCommandIntact() throws Exception {
        String name = "no such \"box\";* 'x' $HOME `id` \\n";
        Result viaDaemon = run(Mode.DAEMON, null, "lxc-info", "-n", name, "-P", lxcpath.toString());
        Result alone = run(Mode.ONE_COMMAND, null, "lxc-info", "-n", name, "-P", lxcpath.toString());
        assertEquals(1, viaDaemon.status, viaDaemon.toString());
        assertTrue(viaDaemon.err.contains(name), "the name as given: " + viaDaemon);
        assertEquals(commandErrors(alone.err), commandErrors(viaDaemon.err));
        Result empty = run(Mode.DAEMON, null, "lxc-info", "-n", "", "-P", lxcpath.toString());
        assertEquals(commandErrors(run(Mode.ONE_COMMAND, null, "lxc-info", "-n", "", "-P", lxcpath.toString()).err),
                commandErrors(empty.err));
    }

    @Test
    @Order(3)
    void relativePathsResolveAgainstTheClientsDirectory() throws Exception {
        Files.createDirectories(scratch.resolve("rel"));
        Result create = run(Mode.DAEMON, null, scratch.toFile(), "lxc-create", "-n", "r1", "-t", "none", "-P", "rel");
        assertEquals(0, create.status, create.toString());
        assertTrue(Files.isRegularFile(scratch.resolve("rel/r1/config")), "created below the client's cwd");
    }

    @Test
    @Order(4)
    void stdinIsTheClients() throws Exception {
        // Gogo's builtin tac returns what it reads from the session's stdin
        Path input = Files.writeString(scratch.resolve("stdin.txt"), "first line\nsecond line\n");
        Result alone = run(Mode.ONE_COMMAND, input, "tac");
        assumeTrue(alone.status == 0 && alone.out.contains("second line"),
                "tac does not read stdin in one-command mode either: " + alone);
        Result viaDaemon = run(Mode.DAEMON, input, "tac");
        assertEquals(alone.status, viaDaemon.status, viaDaemon.toString());
        assertEquals(alone.out, viaDaemon.out);
    }

    @Test
    @Order(5)
    void containersGetTheClientsFds() throws Exception {
        assumeTrue(isRoot(), "lxc-execute needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox (busybox-static)");
        String p = lxcpath.toString();
        Result create = run(Mode.DAEMON, null, "lxc-create", "-n", "b1", "-t", "busybox", "-P", p);
        assertEquals(0, create.status, create.toString());
        try {
            Path input = Files.writeString(scratch.resolve("cat.txt"), "through the container\n");
            Result cat = run(Mode.DAEMON, input, "lxc-execute", "-n", "b1", "-P", p, "--", "/bin/cat");
            assertEquals(0, cat.status, cat.toString());
            assertEquals("through the container\n", cat.out, cat.toString());
            Result exit42 = run(Mode.DAEMON, null, "lxc-execute", "-n", "b1", "-P", p, "--", "/bin/sh", "-c",
                    "echo out; echo err >&2; exit 42");
            assertEquals(42, exit42.status, exit42.toString());
            assertEquals("out\n", exit42.out);
            assertTrue(exit42.err.contains("err"), exit42.toString());
            Result exit1 = run(Mode.DAEMON, null, "lxc-execute", "-n", "b1", "-P", p, "--", "/bin/false");
            assertEquals(1, exit1.status, exit1.toString());
        } finally {
            run(Mode.DAEMON, null, "lxc-destroy", "-n", "b1", "-P", p);
        }
    }

    @Test
    @Order(6)
    void anotherUidIsRefused() throws Exception {
        assumeTrue(isRoot(), "switching to another uid needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "setpriv (util-linux) is missing");
        // open the directory and the socket to everyone for this test only: the peer check must refuse
        String dirMode = permissions(dir);
        String sockMode = permissions(socket);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            List<String> cmd = List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    DIST.resolve("libexec/lxj-launcher").toString(), "client", "lxc-ls", "-P", lxcpath.toString());
            Result r = exec(cmd, Map.of("LXJ_CONTROL_SOCKET", socket.toString()), null, null);
            assertEquals(1, r.status, r.toString());
            assertEquals("", r.out);
            assertTrue(r.err.contains("Permission denied: uid 65534"), r.toString());
        } finally {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(dirMode));
            Files.setPosixFilePermissions(socket, java.nio.file.attribute.PosixFilePermissions.fromString(sockMode));
        }
    }

    @Test
    @Order(7)
    void perCommandTime() throws Exception {
        String p = lxcpath.toString();
        long[] daemon = new long[TIMING_RUNS];
        long[] alone = new long[TIMING_RUNS];
        for (int i = 0; i < TIMING_RUNS; i++) {       // interleaved, so both see the same machine
            daemon[i] = run(Mode.DAEMON, null, "lxc-ls", "-P", p).millis;
            alone[i] = run(Mode.ONE_COMMAND, null, "lxc-ls", "-P", p).millis;
        }
        Arrays.sort(daemon);
        Arrays.sort(alone);
        System.out.printf("TIMING bin/lxj lxc-ls -P tmp: median %d ms through the daemon (min %d, max %d), "
                + "median %d ms booting a runtime (min %d, max %d), %d runs each%n", daemon[TIMING_RUNS / 2],
                daemon[0], daemon[TIMING_RUNS - 1], alone[TIMING_RUNS / 2], alone[0], alone[TIMING_RUNS - 1], TIMING_RUNS);
    }

    @Test
    @Order(8)
    void felixCommandsTakeBundleIdsAndNames() throws Exception {
        Result lb = run(Mode.DAEMON, null, "lb");
        assertEquals(0, lb.status, lb.toString());
        java.util.regex.Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\|Active\\s*\\|.*LXJ local \\(tarball\\) template")
                .matcher(lb.out);
        assumeTrue(m.find(), "no active local template bundle to stop and start: " + lb);
        // felix:stop takes Bundle[]: by symbolic name first, then by id
        String id = m.group(1);
        Pattern state = Pattern.compile("(?m)^\\s*" + id + "\\|(\\w+)");
        Result stop = run(Mode.DAEMON, null, "felix:stop", "org.lxj.template.local");
        assertEquals(0, stop.status, stop.toString());
        Result after = run(Mode.DAEMON, null, "lb");
        java.util.regex.Matcher s1 = state.matcher(after.out);
        assertTrue(s1.find() && s1.group(1).equals("Resolved"), after.toString());
        Result start = run(Mode.DAEMON, null, "felix:stop", id);             // already stopped: nothing to do
        assertEquals(0, start.status, start.toString());
        start = run(Mode.DAEMON, null, "felix:start", id);                    // start takes ids or URLs, not names
        assertEquals(0, start.status, start.toString());
        java.util.regex.Matcher s2 = state.matcher(run(Mode.DAEMON, null, "lb").out);
        assertTrue(s2.find() && s2.group(1).equals("Active"), "started again");
        Result inspect = run(Mode.DAEMON, null, "inspect", "cap", "service", "0");
        assertEquals(0, inspect.status, inspect.toString());
        assertTrue(inspect.out.startsWith("org.apache.felix.framework [0] provides:"), inspect.toString());
        assertTrue(inspect.out.contains("org.osgi.service.packageadmin.PackageAdmin"), inspect.toString());
    }

    @Test
    @Order(100)
    void shutdownStopsTheDaemon() throws Exception {
        long pid = daemonPid().orElseThrow(() -> new AssertionError("no pid file " + pidFile));
        Result stop = run(Mode.DAEMON, null, "shutdown");
        assertEquals(0, stop.status, stop.toString());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone");
        assertFalse(Files.exists(socket), "the socket is removed");
        assertFalse(Files.exists(pidFile), "the pid file is removed");
        // without a daemon the client falls back to a runtime of its own
        Result after = run(Mode.DAEMON, null, "lxc-ls", "-P", lxcpath.toString());
        assertEquals(0, after.status, after.toString());
        Result again = run(Mode.DAEMON, null, "shutdown");
        assertEquals(2, again.status, "no daemon to stop: " + again);
    }

    private enum Mode { DAEMON, ONE_COMMAND }

    /**
     * Stderr without the runtime's own log lines ({@code lxj: WARN: ...}): a runtime booted for one command
     * logs what its start found there, the daemon logged that once to its log when it started.
     */
    private static String commandErrors(String err) {
        return err.lines().filter(l -> !LOG_LINE.matcher(l).lookingAt()).map(l -> l + "\n")
                .collect(java.util.stream.Collectors.joining());
    }

    private static final Pattern LOG_LINE = Pattern.compile("lxj: (TRACE|DEBUG|INFO|WARN|WARNING|ERROR): ");

    private Optional<Long> daemonPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isRoot() throws IOException {
        return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
    }

    private static String permissions(Path p) throws IOException {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private Result run(Mode mode, Path stdin, String... args) throws IOException, InterruptedException {
        return run(mode, stdin, null, args);
    }

    private Result run(Mode mode, Path stdin, File cwd, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(DIST.resolve("bin/lxj").toString());
        cmd.addAll(List.of(args));
        Map<String, String> env = mode == Mode.ONE_COMMAND
                ? Map.of("LXJ_CONTROL_SOCKET", socket.toString(), "LXJ_PID_FILE", pidFile.toString(), "LXJ_NO_DAEMON", "1")
                : Map.of("LXJ_CONTROL_SOCKET", socket.toString(), "LXJ_PID_FILE", pidFile.toString());
        return exec(cmd, env, stdin, cwd);
    }

    private Result exec(List<String> cmd, Map<String, String> env, Path stdin, File cwd)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("LXJ_NO_DAEMON");
        pb.environment().putAll(env);
        pb.redirectInput(stdin != null ? ProcessBuilder.Redirect.from(stdin.toFile())
                : ProcessBuilder.Redirect.from(new File("/dev/null")));
        if (cwd != null) {
            pb.directory(cwd);
        }
        long start = System.nanoTime();
        Process proc = pb.start();
        if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String line = String.join(" ", cmd.subList(1, cmd.size()));
        System.out.printf("%s%s: exit %d in %d ms%n", env.containsKey("LXJ_NO_DAEMON") ? "[no daemon] " : "",
                line, proc.exitValue(), millis);
        return new Result(line, proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), millis);
    }

    private record Result(String command, int status, String out, String err, long millis) {
        @Override
        public String toString() {
            return "lxj " + command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
