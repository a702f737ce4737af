package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.itests.Daemon.Result;

/**
 * {@code lxc-start -F} of a busybox container with a pipe as stdin (no terminal: the console goes to stdout) shows
 * the console from its first byte: busybox init's "Please press Enter to activate this console." is written right
 * after exec, before the foreground viewer connects, and reaches it through the monitor's replay of its ring. The
 * daemon runs on a private control socket; it and the container are removed whatever happens.
 */
class ForegroundConsoleIT {
    private static final Path LXJ = Daemon.LXJ;
    private static final long DEADLINE_SECONDS = 60;
    private static final long COMMAND_SECONDS = Daemon.COMMAND_SECONDS;
    private static final String NAME = "w3fg";
    private static final String ASKFIRST = "Please press Enter to activate this console.";

    private Daemon daemon;
    private Path dir;
    private Path lxcpath;
    private Process foreground;

    @BeforeEach
    void setUp() throws Exception {
        Daemon.assumeUsable();
        daemon = Daemon.create("lxj-it-fg-");
        dir = daemon.dir;
        lxcpath = Files.createTempDirectory("lxj-it-fg-lxc-");
        assertEquals(0, lxj("daemon").status(), "the daemon starts");
        Result create = lxj("lxc-create", "-n", NAME, "-t", "busybox", "-P", lxcpath.toString());
        assertEquals(0, create.status(), create.toString());
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (daemon != null) {
                daemon.destroyAndClose(NAME, lxcpath);
            }
        } finally {
            if (foreground != null && foreground.isAlive()) {
                foreground.destroyForcibly();
                foreground.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aForegroundStartShowsBusyboxInitsFirstLine() throws Exception {
        Path out = dir.resolve("fg.out");
        Path err = dir.resolve("fg.err");
        ProcessBuilder pb = new ProcessBuilder(LXJ.toString(), "lxc-start", "-n", NAME, "-F", "-P", lxcpath.toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
        daemon.environment(pb);
        foreground = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!read(out).contains(ASKFIRST)) {
            assertTrue(foreground.isAlive(), "lxc-start -F ended early:\n" + read(out) + "--- stderr\n" + read(err));
            assertTrue(System.nanoTime() < deadline, "no \"" + ASKFIRST + "\" from lxc-start -F in "
                    + DEADLINE_SECONDS + " s; stdout:\n" + read(out) + "--- stderr\n" + read(err));
            Thread.sleep(50); // polling a file another process writes; the text decides, not the time
        }
        Result stop = lxj("lxc-stop", "-n", NAME, "-k", "-P", lxcpath.toString());
        assertEquals(0, stop.status(), stop.toString());
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

    private Result lxj(String... args) throws IOException, InterruptedException {
        return daemon.run(args);
    }
}
