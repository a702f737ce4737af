package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The distribution's daemon on a private control socket and pid file in a temporary directory of the test's, and
 * commands run against it: {@code bin/lxj ARGS} through the daemon when one listens ({@link #run}), in a runtime of
 * their own ({@link #runAlone}), or any program with the same environment ({@link #exec}). {@link #shutdown} stops
 * the daemon whatever state it is in; {@link #close} removes the directory.
 */
final class Daemon implements AutoCloseable {
    static final Path LXJ = LxjExamSupport.DIST.resolve("bin/lxj");
    static final long COMMAND_SECONDS = 120;

    /** What a command returned and wrote. */
    record Result(String command, int status, String out, String err) {
        void assertSuccess() {
            assertEquals(0, status, toString());
        }

        @Override
        public String toString() {
            return command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final Path dir;
    final Path socket;
    final Path pidFile;

    private Daemon(Path dir) {
        this.dir = dir;
        this.socket = dir.resolve("control.sock");
        this.pidFile = dir.resolve("daemon.pid");
    }

    /** Skips the test unless the distribution and its native client are built, this JVM is root and busybox is there. */
    static void assumeUsable() {
        assumeTrue(Files.isExecutable(LXJ), "the distribution is not built: " + LxjExamSupport.DIST);
        assumeTrue(Files.isExecutable(LxjExamSupport.DIST.resolve("libexec/lxj-launcher")),
                "the distribution has no native client");
        assumeTrue("root".equals(System.getProperty("user.name")), "starting containers needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox");
    }

    /** A new directory {@code /tmp/<prefix>*} for the socket, the pid file and the test's files; no daemon yet. */
    static Daemon create(String prefix) throws IOException {
        return new Daemon(Files.createTempDirectory(prefix));
    }

    /** {@code bin/lxj daemon}, which returns once the daemon listens; the daemon's pid from its pid file. */
    long start() throws IOException, InterruptedException {
        return started(run("daemon"));
    }

    /** {@link #start}, checking too that the daemon said on which socket it listens. */
    long startListening() throws IOException, InterruptedException {
        Result started = run("daemon");
        long pid = started(started);
        assertTrue(started.err().contains("listening on " + socket), started.toString());
        return pid;
    }

    /** NAME -> PID of the RUNNING rows of {@code lxc-ls -f -F NAME,STATE,PID}, which must be {@code count}. */
    static Map<String, Long> runningPids(Result ls, int count) {
        ls.assertSuccess();
        Map<String, Long> pids = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^(\\S+)\\s+RUNNING\\s+(\\d+)\\s*$").matcher(ls.out());
        while (m.find()) {
            pids.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertEquals(count, pids.size(), "RUNNING rows: " + ls);
        return pids;
    }

    /** The pid of the daemon that {@code bin/lxj daemon} (its result {@code started}) started, checked alive. */
    long started(Result started) {
        assertEquals(0, started.status(), started.toString());
        long pid = pid().orElseThrow(() -> new AssertionError("no pid in " + pidFile + ": " + started));
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon " + pid + " is alive");
        return pid;
    }

    /** The pid in the daemon's pid file, if there is one. */
    Optional<Long> pid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Whether a daemon's socket file is there (a daemon listens, or a killed one left it). */
    boolean listening() {
        return Files.exists(socket);
    }

    /** SIGKILL to the daemon of the pid file, then a bounded wait until it is gone. */
    void kill() throws Exception {
        kill("daemon", pid().orElseThrow(() -> new AssertionError("no pid in " + pidFile)));
    }

    /** SIGKILL, then a bounded wait until the process is gone. */
    static void kill(String what, long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(what + " " + pid + " is gone"));
        assertTrue(h.destroyForcibly(), "SIGKILL to " + what + " " + pid);
        try {
            h.onExit().get(COMMAND_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " " + pid + " still alive " + COMMAND_SECONDS + " s after SIGKILL");
        }
    }

    /**
     * {@code bin/lxj shutdown} when a daemon listens, then SIGKILL to a daemon that is still there, and the pid file
     * removed; what had to be killed, if anything.
     */
    Optional<String> shutdown() throws Exception {
        try {
            if (listening()) {
                run("shutdown");
            }
        } finally {
            Optional<ProcessHandle> left = pid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            Files.deleteIfExists(pidFile);
            if (left.isPresent()) {
                left.get().destroyForcibly();
                left.get().onExit().get(COMMAND_SECONDS, TimeUnit.SECONDS);
                return Optional.of("daemon " + left.get().pid() + " survived shutdown: killed");
            }
        }
        return Optional.empty();
    }

    /**
     * The cleanup of a test with one container {@code name} under {@code lxcpath} (null: not made yet): a forced stop
     * and destroy through the daemon, its {@link #shutdown}, then the lxcpath, the container's run files and this
     * directory removed whatever failed.
     */
    void destroyAndClose(String name, Path lxcpath) throws Exception {
        try {
            if (lxcpath != null && listening()) {
                run("lxc-stop", "-n", name, "-k", "-P", lxcpath.toString());
                run("lxc-destroy", "-n", name, "-f", "-P", lxcpath.toString());
            }
        } finally {
            try {
                shutdown();
            } finally {
                if (lxcpath != null) {
                    LxjExamSupport.deleteTree(lxcpath);
                    ContainerCli.removeRunFiles(lxcpath);
                }
                close();
            }
        }
    }

    /**
     * The cleanup of a test class with containers in {@code cli}'s lxcpath: {@link #shutdown}, then every container
     * destroyed ({@link ContainerCli#destroyAll}) and this directory removed whatever failed; what went wrong.
     */
    List<String> shutdownDestroyAndClose(ContainerCli cli) throws Exception {
        List<String> problems = new ArrayList<>();
        try {
            shutdown().ifPresent(problems::add);
        } finally {
            problems.addAll(cli.destroyAll());
            close();
        }
        return problems;
    }

    /** Removes the directory. */
    @Override
    public void close() throws IOException {
        LxjExamSupport.deleteTree(dir);
    }

    /** Points {@code pb} at this daemon: its socket and pid file, the client allowed to use it. */
    void environment(ProcessBuilder pb) {
        pb.environment().remove("LXJ_NO_DAEMON");
        pb.environment().put("LXJ_CONTROL_SOCKET", socket.toString());
        pb.environment().put("LXJ_PID_FILE", pidFile.toString());
    }

    /** {@code bin/lxj ARGS}: through the daemon when one listens. */
    Result run(String... args) throws IOException, InterruptedException {
        return exec(lxj(args), Map.of());
    }

    /** {@code bin/lxj ARGS} in a runtime of its own ({@code LXJ_NO_DAEMON=1}), with the same socket and pid file. */
    Result runAlone(String... args) throws IOException, InterruptedException {
        return exec(lxj(args), Map.of("LXJ_NO_DAEMON", "1"));
    }

    /** Any program with this daemon's environment, stdin from /dev/null. */
    Result exec(List<String> cmd) throws IOException, InterruptedException {
        return exec(cmd, Map.of());
    }

    private static List<String> lxj(String... args) {
        List<String> cmd = new ArrayList<>(List.of(LXJ.toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private Result exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(pb);
        pb.environment().putAll(env);
        Process proc = pb.start();
        if (!proc.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + COMMAND_SECONDS + " s");
        }
        Result r = new Result(String.join(" ", cmd), proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }
}
