package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lxj.shell.internal.GoldenTest.command;
import static org.lxj.shell.internal.GoldenTest.golden;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lxj.shell.internal.GoldenTest.Result;

/**
 * {@code lxc-start}, {@code -stop}, {@code -execute}, {@code -attach}, {@code -wait} and the running forms of
 * {@code lxc-info} and {@code lxc-ls} against what Debian's LXC 5.0.2 printed for a busybox container
 * ({@code golden/capture-run.sh}). Besides the C source location, LXJ's lines leave out the
 * {@code strerror - } prefix LXC puts before a message: LXJ's messages name their errno themselves, and its
 * runtime has no command socket to be refused by. Deliberate differences are tests of their own below.
 */
class RunGoldenTest {

    static final Path P = Path.of("/tmp/shell-oracle2");
    static final long PID = 99999;

    /** b1 as capture-run.sh creates it, stopped or running (with the golden's PID). */
    static FakeRuntime runtime(boolean running) {
        FakeConfig config = FakeConfig.of("lxc.net.0.type", "empty", "lxc.apparmor.profile", "unconfined",
                "lxc.uts.name", "b1", "lxc.tty.max", "5");
        return new FakeRuntime(FakeRuntime.debianSystemConfig())
                .add(running ? FakeContainer.running(P, "b1", config, PID) : FakeContainer.stopped(P, "b1", config));
    }

    static Result run(FakeRuntime runtime, String tool, String... args) {
        return GoldenTest.run(command(tool, runtime), false, 0, List.of(args));
    }

    /** The golden with LXC's source locations and errno prefixes taken out. */
    static String lxc(String name, String stream) {
        return golden(name, stream).replaceAll("(?m)^(lxc-[a-z]+: [^:\\n]+: )[A-Z][A-Za-z ]+ - ", "$1");
    }

    static int status(String name) {
        return Integer.parseInt(golden(name, "rc").trim());
    }

    static Stream<Arguments> exact() {
        String p = P.toString();
        return Stream.of(
                Arguments.of("stop-stopped", false, "lxc-stop", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("stop-missing", false, "lxc-stop", new String[] { "-P", p, "-n", "nope" }),
                Arguments.of("stop-noname", false, "lxc-stop", new String[] { "-P", p }),
                Arguments.of("stop-kr", false, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-k", "-r" }),
                Arguments.of("stop-knokill", false, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-k", "--nokill" }),
                Arguments.of("stop-t-bad", false, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-t", "abc" }),
                Arguments.of("stop-t-neg", false, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-t", "-5" }),
                Arguments.of("stop-W", true, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-W" }),
                Arguments.of("stop", true, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-t", "10" }),
                Arguments.of("stop-k", true, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-k" }),
                Arguments.of("stop-t1", true, "lxc-stop", new String[] { "-P", p, "-n", "b1", "-t", "1" }),
                Arguments.of("stop-again", false, "lxc-stop", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("attach-stopped", false, "lxc-attach", new String[] { "-P", p, "-n", "b1", "--", "/bin/true" }),
                Arguments.of("attach-missing", false, "lxc-attach", new String[] { "-P", p, "-n", "nope", "--", "/bin/true" }),
                Arguments.of("attach-0", true, "lxc-attach", new String[] { "-P", p, "-n", "b1", "--", "/bin/true" }),
                Arguments.of("attach-1", true, "lxc-attach", new String[] { "-P", p, "-n", "b1", "--", "/bin/false" }),
                Arguments.of("attach-42", true, "lxc-attach", new String[] { "-P", p, "-n", "b1", "--", "/bin/sh", "-c",
                        "echo out; echo err >&2; exit 42" }),
                Arguments.of("attach-s-bad", true, "lxc-attach", new String[] { "-P", p, "-n", "b1", "-s", "BOGUS", "--", "/bin/true" }),
                Arguments.of("attach-v-noeq", true, "lxc-attach", new String[] { "-P", p, "-n", "b1", "-v", "FOO", "--", "/bin/true" }),
                Arguments.of("attach-nocmd", true, "lxc-attach", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("wait-stopped", false, "lxc-wait", new String[] { "-P", p, "-n", "b1", "-s", "STOPPED" }),
                Arguments.of("wait-stopped-or", false, "lxc-wait", new String[] { "-P", p, "-n", "b1", "-s", "RUNNING|STOPPED" }),
                Arguments.of("wait-timeout", false, "lxc-wait", new String[] { "-P", p, "-n", "b1", "-s", "RUNNING", "-t", "1" }),
                Arguments.of("wait-badstate", false, "lxc-wait", new String[] { "-P", p, "-n", "b1", "-s", "BOGUS" }),
                Arguments.of("wait-nostate", false, "lxc-wait", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("wait-missing", false, "lxc-wait", new String[] { "-P", p, "-n", "nope", "-s", "RUNNING", "-t", "0" }),
                Arguments.of("wait-noname", false, "lxc-wait", new String[] { "-P", p, "-s", "RUNNING" }),
                Arguments.of("wait-running", true, "lxc-wait", new String[] { "-P", p, "-n", "b1", "-s", "RUNNING", "-t", "5" }),
                Arguments.of("execute-0", false, "lxc-execute", new String[] { "-P", p, "-n", "b1", "--", "/bin/true" }),
                Arguments.of("execute-1", false, "lxc-execute", new String[] { "-P", p, "-n", "b1", "--", "/bin/false" }),
                Arguments.of("execute-42", false, "lxc-execute", new String[] { "-P", p, "-n", "b1", "--", "/bin/sh", "-c",
                        "echo out; echo err >&2; exit 42" }),
                Arguments.of("execute-missing", false, "lxc-execute", new String[] { "-P", p, "-n", "nope", "--", "/bin/true" }),
                Arguments.of("execute-u-bad", false, "lxc-execute", new String[] { "-P", p, "-n", "b1", "-u", "abc", "--", "/bin/true" }),
                Arguments.of("execute-s-bad", false, "lxc-execute", new String[] { "-P", p, "-n", "b1", "-s", "lxc.bogus=1", "--", "/bin/true" }),
                Arguments.of("start", false, "lxc-start", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("start-running", true, "lxc-start", new String[] { "-P", p, "-n", "b1" }),
                Arguments.of("start-missing", false, "lxc-start", new String[] { "-P", p, "-n", "nope" }),
                Arguments.of("start-noname", false, "lxc-start", new String[] { "-P", p }),
                Arguments.of("start-s-bad", false, "lxc-start", new String[] { "-P", p, "-n", "b1", "-s", "lxc.bogus=1" }),
                Arguments.of("start-s-noeq", false, "lxc-start", new String[] { "-P", p, "-n", "b1", "-s", "lxc.uts.name" }),
                Arguments.of("info-running", true, "lxc-info", new String[] { "-P", p, "-n", "b1", "-s", "-p" }),
                Arguments.of("ls-running", true, "lxc-ls", new String[] { "-P", p, "-f", "-F", "NAME,STATE,PID" }),
                Arguments.of("ls-running-active", true, "lxc-ls", new String[] { "-P", p, "--active", "-1" }),
                Arguments.of("ls-running-stopped", true, "lxc-ls", new String[] { "-P", p, "--stopped", "-1" }));
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("exact")
    void matchesLxc(String name, boolean running, String tool, String[] args) {
        Result r = run(runtime(running), tool, args);
        assertEquals(lxc(name, "out"), r.out(), name + " stdout");
        assertEquals(lxc(name, "err"), r.err(), name + " stderr");
        assertEquals(status(name), r.status(), name + " status");
    }

    /** A start that fails: the runtime's reason, then LXC's own line; LXC's hints about its log options are left out. */
    @Test
    void aFailedStartEndsWithLxcsLine() {
        Result r = run(runtime(false), "lxc-start", "-P", P.toString(), "-n", "b1", "--share-net", "nope");
        List<String> lxc = lxc("start-share-bad", "err").lines().toList();
        assertEquals("lxc-start: b1: Failed to share the net namespace of \"nope\": it is not running\n"
                + lxc.get(1) + "\n", r.err());
        assertEquals(status("start-share-bad"), r.status());
    }

    /** An unreadable {@code -f}: the runtime's reason, then LXC's {@code Failed to load rcfile}. */
    @Test
    void anUnreadableRcfileEndsWithLxcsLine() {
        String file = "/tmp/shell-oracle2-work/nope.conf";
        Result r = run(runtime(false), "lxc-start", "-P", P.toString(), "-n", "b1", "-f", file);
        List<String> lxc = lxc("start-f-missing", "err").lines().toList();
        assertEquals("lxc-start: b1: Failed to open \"" + file + "\": No such file or directory\n" + lxc.get(1) + "\n",
                r.err());
        assertEquals(status("start-f-missing"), r.status());
    }

    /** Executing in a running container: the runtime's reason (LXC's first line) and LXC's last line. */
    @Test
    void executeInARunningContainerFailsAsLxc() {
        Result r = run(runtime(true), "lxc-execute", "-P", P.toString(), "-n", "b1", "--", "/bin/true");
        List<String> lxc = lxc("execute-running", "err").lines().toList();
        assertEquals(lxc.get(0) + "\n" + lxc.get(lxc.size() - 1) + "\n", r.err());
        assertEquals(status("execute-running"), r.status());
    }

    /** LXC's lxc-wait logs its monitor's socket errors on a timeout; LXJ's only exits with 1. */
    @Test
    void aWaitThatRunsOutIsSilent() {
        Result r = run(runtime(true), "lxc-wait", "-P", P.toString(), "-n", "b1", "-s", "STOPPED", "-t", "1");
        assertEquals("", r.out());
        assertEquals("", r.err());
        assertEquals(status("wait-running-timeout"), r.status());
    }

    /**
     * Where LXC misbehaves LXJ does not: {@code -t abc} is not read as 0, a missing name is not taken from the
     * command, and a missing command is an error instead of a crash (status 139).
     */
    @Test
    void deliberateDifferences() {
        String p = P.toString();
        assertEquals(new Result("", "", 1), run(runtime(false), "lxc-wait", "-P", p, "-n", "b1", "-s", "RUNNING", "-t", "0"));
        assertEquals("", lxc("wait-t-bad", "err"));
        Result badTimeout = run(runtime(false), "lxc-wait", "-P", p, "-n", "b1", "-s", "RUNNING", "-t", "abc");
        assertEquals(new Result("", "lxc-wait: could not parse command line\n", 1), badTimeout);

        assertEquals(new Result("", "lxc-execute: No container name specified\n", 1),
                run(runtime(false), "lxc-execute", "-P", p, "--", "/bin/true"));
        assertEquals(139, status("execute-nocmd"));
        assertEquals(new Result("", "lxc-execute: missing command to execute !\n", 1),
                run(runtime(false), "lxc-execute", "-P", p, "-n", "b1"));
    }
}
