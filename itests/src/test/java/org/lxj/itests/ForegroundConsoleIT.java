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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code lxc-start -F} of a busybox container with a pipe as stdin (no terminal: the console goes to stdout) shows
 * the console from its first byte: busybox init's "Please press Enter to activate this console." is written right
 * after exec, before the foreground viewer connects, and reaches it through the monitor's replay of its ring. The
 * daemon runs on a private control socket; it and the container are removed whatever happens.
 */
class ForegroundConsoleIT {
    private static final Path DIST = LxjExamSupport.DIST;
    private static final Path LXJ = DIST.resolve("bin/lxj");
    private static final long DEADLINE_SECONDS = 60;
    private static final long COMMAND_SECONDS = 120;
    private static final String NAME = "w3fg";
    private static final String ASKFIRST = "Please press Enter to activate this console.";

    private Path dir;
    private Path socket;
    private Path pidFile;
    private Path lxcpath;
    private Process foreground;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(LXJ), "the distribution is not built: " + DIST);
        assumeTrue(Files.isExecutable(DIST.resolve("libexec/lxj-launcher")), "the distribution has no native client");
        assumeTrue("root".equals(System.getProperty("user.name")), "starting containers needs root");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "the busybox template needs /bin/busybox");
        dir = Files.createTempDirectory("lxj-it-fg-");
        socket = dir.resolve("control.sock");
        pidFile = dir.resolve("daemon.pid");
        lxcpath = Files.createTempDirectory("lxj-it-fg-lxc-");
        assertEquals(0, lxj("daemon").status, "the daemon starts");
        Result create = lxj("lxc-create", "-n", NAME, "-t", "busybox", "-P", lxcpath.toString());
        assertEquals(0, create.status, create.toString());
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (lxcpath != null && Files.exists(socket)) {
                lxj("lxc-stop", "-n", NAME, "-k", "-P", lxcpath.toString());
                lxj("lxc-destroy", "-n", NAME, "-f", "-P", lxcpath.toString());
                lxj("shutdown");
            }
        } finally {
            if (foreground != null && foreground.isAlive()) {
                foreground.destroyForcibly();
                foreground.waitFor(30, TimeUnit.SECONDS);
            }
            Optional<ProcessHandle> left = daemonPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (left.isPresent()) {
                left.get().destroyForcibly();
                left.get().onExit().get(30, TimeUnit.SECONDS);
            }
            if (lxcpath != null) {
                LxjExamSupport.deleteTree(lxcpath);
                ContainerCli.removeRunFiles(lxcpath);
            }
            if (dir != null) {
                LxjExamSupport.deleteTree(dir);
            }
        }
    }

    @Test
    void aForegroundStartShowsBusyboxInitsFirstLine() throws Exception {
        Path out = dir.resolve("fg.out");
        Path err = dir.resolve("fg.err");
        ProcessBuilder pb = new ProcessBuilder(LXJ.toString(), "lxc-start", "-n", NAME, "-F", "-P", lxcpath.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        environment(pb);
        foreground = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!read(out).contains(ASKFIRST)) {
            assertTrue(foreground.isAlive(), "lxc-start -F ended early:\n" + read(out) + "--- stderr\n" + read(err));
            assertTrue(System.nanoTime() < deadline, "no \"" + ASKFIRST + "\" from lxc-start -F in "
                    + DEADLINE_SECONDS + " s; stdout:\n" + read(out) + "--- stderr\n" + read(err));
            Thread.sleep(50); // polling a file another process writes; the text decides, not the time
        }
        Result stop = lxj("lxc-stop", "-n", NAME, "-k", "-P", lxcpath.toString());
        assertEquals(0, stop.status, stop.toString());
        foreground.getOutputStream().close();
        assertTrue(foreground.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS), "lxc-start -F did not end after lxc-stop");
        String text = read(out);
        // written once: the replayed ring and the stream that follows overlap in nothing
        assertEquals(text.indexOf(ASKFIRST), text.lastIndexOf(ASKFIRST), text);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    private void environment(ProcessBuilder pb) {
        pb.environment().remove("LXJ_NO_DAEMON");
        pb.environment().put("LXJ_CONTROL_SOCKET", socket.toString());
        pb.environment().put("LXJ_PID_FILE", pidFile.toString());
    }

    private Result lxj(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(LXJ.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        environment(pb);
        Process proc = pb.start();
        if (!proc.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError(String.join(" ", cmd) + " did not finish in " + COMMAND_SECONDS + " s");
        }
        Result r = new Result(String.join(" ", cmd), proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private Optional<Long> daemonPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException | NullPointerException e) {
            return Optional.empty();
        }
    }

    private record Result(String command, int status, String out, String err) {
        @Override
        public String toString() {
            return command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
