package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.lxj.itests.Daemon.Result;

/**
 * The console as a person uses it, driven through tmux ({@code send-keys}, {@code capture-pane}): a busybox
 * container started with {@code lxc-start -d -L LOG} by a daemon on a private control socket, then
 * {@code bin/lxj lxc-console} (the native client, the daemon relaying) in a tmux window: a prompt on the console, a
 * typed command runs inside, the window size follows the tmux window, Ctrl+a q leaves the container running,
 * {@code -t 1} shows busybox getty's login prompt, and the console log holds the boot output. Everything is waited
 * for by polling with a deadline. tmux runs on a server of its own ({@code -L}); it, the container and the daemon
 * are removed whatever happens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {
    private static final Path LXJ = Daemon.LXJ;
    private static final long DEADLINE_SECONDS = 60;
    private static final String NAME = "c";
    private static final Pattern PROMPT = Pattern.compile("(?m)^/ #");
    private static final String HOST_PROMPT = "host$";

    private final String server = "lxjt-console-" + ProcessHandle.current().pid();
    private Daemon daemon;
    private Path lxcpath;
    private Path log;
    private boolean tmuxStarted;

    @BeforeAll
    void startContainer() throws Exception {
        Daemon.assumeUsable();
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tmux")), "tmux is not installed (./lxj installs it)");
        daemon = Daemon.create("lxj-it-console-");
        lxcpath = Files.createTempDirectory("lxj-it-console-lxc-");
        log = daemon.dir.resolve("console.log");
        assertEquals(0, lxj("daemon").status(), "the daemon starts");
        Result create = lxj("lxc-create", "-n", NAME, "-t", "busybox", "-P", lxcpath.toString());
        assertEquals(0, create.status(), create.toString());
        Result start = lxj("lxc-start", "-n", NAME, "-d", "-L", log.toString(), "-P", lxcpath.toString());
        assertEquals(0, start.status(), start.toString());
        tmux("new-session", "-d", "-s", "console", "-x", "100", "-y", "30",
                "-e", "LXJ_CONTROL_SOCKET=" + daemon.socket, "-e", "LXJ_PID_FILE=" + daemon.pidFile, "/bin/sh");
        tmuxStarted = true;
        type("PS1='" + HOST_PROMPT + " '", "Enter");
        awaitHostPrompt();
    }

    @AfterAll
    void cleanUp() throws Exception {
        try {
            if (tmuxStarted) {
                tmux("kill-server");
            }
            // tmux leaves its server's socket behind
            Files.deleteIfExists(Path.of("/tmp/tmux-0", server));
        } finally {
            if (daemon != null) {
                daemon.destroyAndClose(NAME, lxcpath);
            }
        }
    }

    @Test
    @Order(1)
    void theConsoleShowsAPromptAndRunsWhatIsTyped() throws Exception {
        type(LXJ + " lxc-console -n " + NAME + " -P " + lxcpath + " -t 0", "Enter");
        awaitPane(p -> p.contains("Connected to tty 0")
                && p.contains("Type <Ctrl+a q> to exit the console, <Ctrl+a Ctrl+a> to enter Ctrl+a itself"),
                "LXC's banner");
        type("Enter");
        awaitPane(p -> PROMPT.matcher(p).find(), "busybox's shell prompt on the console");
        type("echo $((6*7))", "Enter");
        awaitPane(p -> Pattern.compile("(?m)^42\\s*$").matcher(p).find(), "42 computed inside");
        type("stty size", "Enter");
        awaitPane(p -> Pattern.compile("(?m)^30 100\\s*$").matcher(p).find(), "the tmux window's size inside");
    }

    @Test
    @Order(2)
    void theWindowSizeFollowsTheViewer() throws Exception {
        tmux("resize-window", "-t", "console", "-x", "120", "-y", "40");
        // the new size travels as SIGWINCH -> client -> daemon -> monitor; ask until it has arrived
        Pattern resized = Pattern.compile("(?m)^40 120\\s*$");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        while (!resized.matcher(pane()).find()) {
            assertTrue(System.nanoTime() < deadline, "stty size inside never said 40 120:\n" + pane());
            type("clear; stty size", "Enter");
            awaitPane(p -> Pattern.compile("(?m)^\\d+ \\d+\\s*$").matcher(p).find(), "a stty size answer");
        }
    }

    @Test
    @Order(3)
    void ctrlAQLeavesTheContainerRunning() throws Exception {
        type("C-a", "q");
        awaitHostPrompt();
        type("echo left-$?", "Enter");
        awaitPane(p -> p.contains("left-0"), "the host shell again, lxc-console exited 0");
        Result info = lxj("lxc-info", "-n", NAME, "-s", "-P", lxcpath.toString());
        assertTrue(Pattern.compile("(?m)^State:\\s+RUNNING$").matcher(info.out()).find(), info.toString());
    }

    @Test
    @Order(4)
    void tty1ShowsGettysLoginPrompt() throws Exception {
        type("clear", "Enter");
        type(LXJ + " lxc-console -n " + NAME + " -P " + lxcpath + " -t 1", "Enter");
        awaitPane(p -> p.contains("Connected to tty 1"), "the banner for tty 1");
        type("Enter");
        awaitPane(p -> Pattern.compile("(?m)^" + NAME + " login:").matcher(p).find(), "getty's login prompt");
        Result second = lxj("lxc-console", "-n", NAME, "-t", "1", "-P", lxcpath.toString());
        assertEquals(1, second.status(), second.toString());
        assertTrue(second.err().contains("tty service denied"), second.toString());
        type("C-a", "q");
        awaitHostPrompt();
        type("echo left-tty1-$?", "Enter");
        awaitPane(p -> p.contains("left-tty1-0"), "the host shell again after tty 1");
    }

    @Test
    @Order(5)
    void theConsoleLogHoldsTheBootOutput() throws Exception {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("Please press Enter to activate this console"), "the boot output:\n" + text);
        assertTrue(text.contains("42"), "and what the console showed later:\n" + text);
    }

    @Test
    @Order(6)
    void aStoppedContainerHasNoConsole() throws Exception {
        Result r = lxj("lxc-console", "-n", "nosuch", "-P", lxcpath.toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("nosuch is not running"), r.toString());
    }

    /** Sends keys to the tmux pane: text as typed, key names (Enter, C-a) as keys. */
    private void type(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "console"));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /**
     * Waits for the host shell's prompt at the end of the pane: what is typed before lxc-console has left raw mode
     * would be read by it (and dropped with the escape), as by a person typing ahead.
     */
    private void awaitHostPrompt() throws IOException, InterruptedException {
        awaitPane(p -> p.strip().endsWith(HOST_PROMPT), "host shell prompt");
    }

    private String pane() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", "console").out();
    }

    private void awaitPane(Predicate<String> shown, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
        String p = pane();
        while (!shown.test(p)) {
            assertTrue(System.nanoTime() < deadline, "no " + what + " within " + DEADLINE_SECONDS + " s:\n" + p);
            Thread.sleep(100);
            p = pane();
        }
    }

    private Result tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", server, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Result r = daemon.exec(cmd);
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    private Result lxj(String... args) throws IOException, InterruptedException {
        return daemon.run(args);
    }
}
