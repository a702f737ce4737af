package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.AttachOptions;
import org.lxj.api.ContainerNotRunningException;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.LxjException;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.StopOptions;
import org.lxj.shell.internal.GoldenTest.Result;

/** What the running-container commands hand the runtime, and how they report what it answers. */
class RunCommandsTest {

    private static final String P = RunGoldenTest.P.toString();
    /** The directory GoldenTest.run resolves relative paths against. */
    private static final Path CWD = Path.of("/tmp/shell-oracle-work");

    private Result run(FakeRuntime runtime, String tool, String... args) {
        List<String> all = new ArrayList<>(List.of("-P", P));
        all.addAll(List.of(args));
        return RunGoldenTest.run(runtime, tool, all.toArray(String[]::new));
    }

    // lxc-start

    @Test
    void startCollectsDefinesInOrderWithEveryValueOfARepeatedKey() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        Result result = run(r, "lxc-start", "-n", "b1", "-s", "lxc.uts.name=one", "--define", "lxc.tty.max = 2",
                "-slxc.init.cmd=/bin/sh -c x", "-s", "lxc.uts.name=two", "--define=lxc.mount.entry=a=b");
        assertEquals(new Result("", "", 0), result);
        StartOptions o = r.started.get(0);
        assertEquals(List.of("lxc.uts.name", "lxc.tty.max", "lxc.init.cmd", "lxc.mount.entry"),
                List.copyOf(o.overrides().keySet()));
        assertEquals(List.of("one\ntwo", "2", "/bin/sh -c x", "a=b"), List.copyOf(o.overrides().values()));
        assertEquals(ContainerState.RUNNING, r.find(RunGoldenTest.P, "b1").orElseThrow().state());
    }

    @Test
    void startPassesEveryOption() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        r.configFiles.put(CWD.resolve("other.conf"), FakeConfig.of("lxc.uts.name", "x"));
        Result result = run(r, "lxc-start", "-n", "b1", "-f", "other.conf", "-p", "run/b1.pid", "-C",
                "--share-net", "1234", "--share-uts=b1", "--share-ipc", "5", "--share-ipc", "6", "--", "/bin/sh", "-c",
                "sleep 1");
        assertEquals(0, result.status(), result.err());
        assertEquals(new StartOptions(Optional.of(CWD.resolve("other.conf")), Map.of(),
                Optional.of(CWD.resolve("run/b1.pid")), true, Map.of("net", "1234", "uts", "b1", "ipc", "6"),
                List.of("/bin/sh", "-c", "sleep 1"), false), r.started.get(0));
    }

    @Test
    void startTakesTheNameAndTheCommandFromPositionalArguments() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(0, run(r, "lxc-start", "b1", "/bin/sleep", "5").status());
        assertEquals(List.of("/bin/sleep", "5"), r.started.get(0).command());
        assertEquals(List.of(), StartOptions.DEFAULT.command());
        FakeRuntime r2 = RunGoldenTest.runtime(false);
        assertEquals(0, run(r2, "lxc-start", "-n", "b1").status());
        assertEquals(StartOptions.DEFAULT, r2.started.get(0));
    }

    @Test
    void startInTheForegroundWaitsUntilTheContainerHasStopped() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(0, run(r, "lxc-start", "-n", "b1", "-d", "-F").status());
        assertTrue(r.started.get(0).foreground());
        assertEquals(List.of(new FakeRuntime.Wait("b1", Set.of(ContainerState.STOPPED), Duration.ofSeconds(-1))),
                r.waited);

        FakeRuntime daemon = RunGoldenTest.runtime(false);
        assertEquals(0, run(daemon, "lxc-start", "-n", "b1", "-F", "-d").status());
        assertFalse(daemon.started.get(0).foreground());
        assertEquals(List.of(), daemon.waited);
    }

    @Test
    void startOfAnUndefinedContainerWithAnRcfileIsTheRuntimesCall() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        r.configFiles.put(Path.of("/etc/app.conf"), FakeConfig.of());
        assertEquals(0, run(r, "lxc-start", "-n", "app", "-f", "/etc/app.conf").status());
        assertEquals(Optional.of(Path.of("/etc/app.conf")), r.started.get(0).configFile());
    }

    @Test
    void startReportsFailures() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        r.startFailure = new LxjException("Failed to mount \"proc\" on \"/proc\": EPERM");
        Result failed = run(r, "lxc-start", "-n", "b1");
        assertEquals("lxc-start: b1: Failed to mount \"proc\" on \"/proc\": EPERM\n"
                + "lxc-start: b1: The container failed to start\n", failed.err());
        assertEquals(1, failed.status());
        assertEquals(List.of(), r.started);
    }

    @Test
    void startConsoleOptionsAreConfigKeys() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(new Result("", "", 0), run(r, "lxc-start", "-n", "b1", "-L", "console.log", "-c", "none"));
        Map<String, String> o = r.started.get(0).overrides();
        assertEquals("none", o.get("lxc.console.path"));
        assertTrue(Path.of(o.get("lxc.console.logfile")).isAbsolute(), o.toString());
        assertTrue(o.get("lxc.console.logfile").endsWith("/console.log"), o.toString());
    }

    // lxc-stop

    @Test
    void stopSettlesTheTimeoutAsLxcDoes() {
        assertEquals(StopOptions.DEFAULT, stop());
        assertEquals(new StopOptions(false, true, false, false, Duration.ZERO), stop("-k"));
        assertEquals(new StopOptions(false, true, false, false, Duration.ZERO), stop("-k", "--nolock"));
        assertEquals(new StopOptions(false, false, false, true, Duration.ZERO), stop("-W", "-t", "30"));
        assertEquals(new StopOptions(true, false, false, false, Duration.ofSeconds(5)), stop("-r", "-t5"));
        assertEquals(new StopOptions(false, false, true, false, Duration.ofSeconds(-1)), stop("--nokill", "--timeout=-1"));
    }

    private StopOptions stop(String... args) {
        FakeRuntime r = RunGoldenTest.runtime(true);
        List<String> all = new ArrayList<>(List.of("-n", "b1"));
        all.addAll(List.of(args));
        Result result = run(r, "lxc-stop", all.toArray(String[]::new));
        assertEquals(new Result("", "", 0), result);
        assertEquals(ContainerState.STOPPED, r.find(RunGoldenTest.P, "b1").orElseThrow().state());
        return r.stopped.get(0);
    }

    @Test
    void stopStatusesAreZeroOneAndTwo() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        assertEquals(0, run(r, "lxc-stop", "-n", "b1").status());
        assertEquals(new Result("", "lxc-stop: b1: b1 is not running\n", 2), run(r, "lxc-stop", "-n", "b1"));

        FakeRuntime failing = RunGoldenTest.runtime(true);
        failing.stopFailure = new LxjException("Failed to send SIGPWR to 99999: EPERM");
        assertEquals(new Result("", "lxc-stop: b1: Failed to send SIGPWR to 99999: EPERM\n", 1),
                run(failing, "lxc-stop", "-n", "b1"));
        FakeRuntime raced = RunGoldenTest.runtime(true);
        raced.stopFailure = new ContainerNotRunningException("b1");
        assertEquals(new Result("", "lxc-stop: b1: b1 is not running\n", 2), run(raced, "lxc-stop", "-n", "b1"));
    }

    @Test
    void stopRefusesWhatLxcRefuses() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        assertEquals(new Result("", "lxc-stop: b1: -k doesn't allow timeouts\n", 1),
                run(r, "lxc-stop", "-n", "b1", "-k", "-t", "5"));
        assertEquals(new Result("", "lxc-stop: b1: --nolock may only be used with -k\n", 1),
                run(r, "lxc-stop", "-n", "b1", "--nolock"));
        assertEquals(new Result("", "lxc-stop: could not parse command line\n", 1),
                run(r, "lxc-stop", "-n", "b1", "-t", "5x"));
        assertEquals(List.of(), r.stopped);
    }

    // lxc-execute

    @Test
    void executePassesItsOptionsAndPropagatesTheStatus() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        Result result = run(r, "lxc-execute", "-n", "b1", "-u", "1000", "--gid=100", "-s", "lxc.uts.name=app",
                "--", "/bin/sh", "-c", "echo hi; exit 3");
        assertEquals(new Result("hi\n", "", 3), result);
        assertEquals(new ExecuteOptions(List.of("/bin/sh", "-c", "echo hi; exit 3"), Map.of("lxc.uts.name", "app"),
                OptionalInt.of(1000), OptionalInt.of(100), false), r.executed.get(0));
        assertEquals(0, run(r, "lxc-execute", "-n", "b1", "-d", "--", "/bin/false").status());
        assertTrue(r.executed.get(1).daemonize());
        assertEquals(new Result("", "lxc-execute: could not parse command line\n", 1),
                run(r, "lxc-execute", "-n", "b1", "-g", "-1", "--", "/bin/true"));
    }

    @Test
    void logfileAndLevelOptionsBecomeTheContainersLogForThisRun() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(0, run(r, "lxc-execute", "-n", "b1", "-s", "lxc.log.file=/elsewhere", "-o", "logs/b1.log",
                "-l", "INFO", "--", "sh", "-c", "exit 0").status());
        assertEquals(Map.of("lxc.log.file", CWD.resolve("logs/b1.log").toString(), "lxc.log.level", "INFO"),
                r.executed.get(0).overrides());
        assertEquals(0, run(r, "lxc-start", "-n", "b1", "--logfile=/var/log/b1.log").status());
        assertEquals(Map.of("lxc.log.file", "/var/log/b1.log"), r.started.get(0).overrides());
    }

    @Test
    void repeatedDefinesKeepEveryValueAndAValueIsOneLine() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(0, run(r, "lxc-execute", "-n", "b1", "-s", "lxc.mount.entry=a", "-s", "lxc.mount.entry=b",
                "--", "sh", "-c", "exit 0").status());
        assertEquals(Map.of("lxc.mount.entry", "a\nb"), r.executed.get(0).overrides());
        assertEquals(1, run(r, "lxc-execute", "-n", "b1", "-s", "lxc.environment=A=1\nlxc.cap.drop=sys_admin", "--",
                "sh", "-c", "exit 0").status());
        assertEquals(1, r.executed.size(), "a value spanning lines is refused before anything runs");
    }

    @Test
    void executeWithAnRcfileNeedsNoDefinedContainer() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        r.configFiles.put(CWD.resolve("app.conf"), FakeConfig.of());
        assertEquals(42, run(r, "lxc-execute", "-n", "app", "-f", "app.conf", "--", "sh", "-c", "exit 42").status());
        assertEquals(Optional.of(CWD.resolve("app.conf")), r.executed.get(0).configFile());
    }

    @Test
    void executeRelaysTheCommandsStreamsUnlessTheLauncherSaysTheyAreInherited() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        InputStream in = new ByteArrayInputStream(new byte[0]);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        List<String> args = List.of("-P", P, "-n", "b1", "--", "/bin/true");
        new ExecuteCommand(r, "0.1.0").run(new CommandIo(out, err, false, 0, CWD, in, false), args);
        Stdio relayed = r.stdios.get(0);
        assertFalse(relayed.inherit());
        assertSame(in, relayed.in());
        assertSame(out, relayed.out());
        assertSame(err, relayed.err());
        new ExecuteCommand(r, "0.1.0").run(new CommandIo(out, err, false, 0, CWD, in, true), args);
        assertSame(Stdio.INHERIT, r.stdios.get(1));
    }

    @Test
    void theSessionVariableSelectsInheritedStreams() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        FakeSession session = new FakeSession(CWD);
        ExecuteCommand execute = new ExecuteCommand(r, "0.1.0");
        execute.execute(session, List.of("-P", P, "-n", "b1", "--", "/bin/true"));
        session.put(CommandIo.INHERIT_VARIABLE, Boolean.TRUE);
        execute.execute(session, List.of("-P", P, "-n", "b1", "--", "/bin/true"));
        session.put(CommandIo.INHERIT_VARIABLE, "true");
        new AttachCommand(RunGoldenTest.runtime(true), "0.1.0").execute(session, List.of("-P", P, "-n", "b1"));
        session.put(CommandIo.INHERIT_VARIABLE, "false");
        execute.execute(session, List.of("-P", P, "-n", "b1", "--", "/bin/true"));
        assertFalse(r.stdios.get(0).inherit());
        assertSame(System.out, r.stdios.get(0).out(), "outside a Gogo pipe the session writes to System.out");
        assertSame(Stdio.INHERIT, r.stdios.get(1));
        assertFalse(r.stdios.get(2).inherit());
        assertEquals(0, session.get(LxcCommand.EXIT_VARIABLE));
    }

    // lxc-attach

    @Test
    void attachParsesNamespacesPrivilegesAndEnvironment() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        Result result = run(r, "lxc-attach", "-n", "b1", "-s", "MOUNT|uts|NET|", "-R", "--clear-env", "-v", "A=1",
                "--set-var=B=2", "--keep-var", "TERM", "-u", "0", "-g", "0", "--", "/bin/sh", "-c", "exit 42");
        assertEquals(42, result.status());
        assertEquals(new AttachOptions(List.of("/bin/sh", "-c", "exit 42"), Set.of("MOUNT", "UTSNAME", "NETWORK"),
                Set.of("CAP", "CGROUP", "LSM"), true, true, List.of("A=1", "B=2"), List.of("TERM"),
                OptionalInt.of(0), OptionalInt.of(0)), r.attached.get(0));
    }

    @Test
    void attachDefaultsToTheLoginShellInEveryNamespace() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        assertEquals(0, run(r, "lxc-attach", "b1").status());
        assertEquals(new AttachOptions(List.of(), Set.of(), Set.of(), false, false, List.of(), List.of(),
                OptionalInt.empty(), OptionalInt.empty()), r.attached.get(0));
        assertEquals(0, run(r, "lxc-attach", "-n", "b1", "--clear-env", "--keep-env").status());
        assertFalse(r.attached.get(1).clearEnv());
    }

    @Test
    void elevatedPrivilegesTakeAnOptionalAttachedArgument() {
        FakeRuntime r = RunGoldenTest.runtime(true);
        run(r, "lxc-attach", "-n", "b1", "-e");
        run(r, "lxc-attach", "-n", "b1", "-eCAP|LSM");
        run(r, "lxc-attach", "-n", "b1", "--elevated-privileges=CGROUP");
        // As with getopt, a separate word is not the option's argument but the command (LXC runs "BOGUS").
        Result bogus = run(r, "lxc-attach", "-n", "b1", "-e", "BOGUS");
        assertEquals(Set.of("CAP", "CGROUP", "LSM"), r.attached.get(0).elevated());
        assertEquals(Set.of("CAP", "LSM"), r.attached.get(1).elevated());
        assertEquals(Set.of("CGROUP"), r.attached.get(2).elevated());
        assertEquals(List.of("BOGUS"), r.attached.get(3).command());
        assertEquals(127, bogus.status());
        assertEquals(new Result("", "lxc-attach: could not parse command line\n", 1),
                run(r, "lxc-attach", "-n", "b1", "-ecap"));
        assertEquals(new Result("", "lxc-attach: could not parse command line\n", 1),
                run(r, "lxc-attach", "-n", "b1", "-s", "mount"));
        assertTrue(new AttachCommand(r, "0.1.0").usage()
                .startsWith("Usage: lxc-attach [-e|--elevated-privileges[=ELEVATED-PRIVILEGES]]"));
    }

    @Test
    void attachToAContainerThatStopsMeanwhileIsStatusOne() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
            @Override
            public int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio) {
                throw new ContainerNotRunningException(name);
            }
        }.add(FakeContainer.running(RunGoldenTest.P, "b1", FakeConfig.of(), 7));
        Result result = run(r, "lxc-attach", "-n", "b1", "--", "/bin/true");
        assertEquals(RunGoldenTest.lxc("attach-stopped", "err"), result.err());
        assertEquals(1, result.status());
        assertEquals(new Result("", "lxc-attach: b1: Option --arch is not supported by LXJ\n", 1),
                run(r, "lxc-attach", "-n", "b1", "-a", "i686"));
    }

    // lxc-wait

    @Test
    void waitPassesStatesAndTimeout() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        assertEquals(0, run(r, "lxc-wait", "-n", "b1", "-s", "RUNNING|STOPPED|FROZEN", "-t", "10").status());
        assertEquals(1, run(r, "lxc-wait", "-n", "b1", "--state=RUNNING").status());
        assertEquals(List.of(
                new FakeRuntime.Wait("b1", Set.of(ContainerState.RUNNING, ContainerState.STOPPED, ContainerState.FROZEN),
                        Duration.ofSeconds(10)),
                new FakeRuntime.Wait("b1", Set.of(ContainerState.RUNNING), Duration.ofSeconds(-1))), r.waited);
        assertEquals(new Result("", "lxc-wait: b1: invalid state 'running'\n", 1),
                run(r, "lxc-wait", "-n", "b1", "-s", "running"));
        assertEquals(new Result("", "lxc-wait: could not parse command line\n", 1),
                run(r, "lxc-wait", "-n", "b1", "-s", "|"));
        assertEquals(2, r.waited.size());
    }

    // through Gogo

    @Test
    void helpTextsStartAsLxcs() {
        FakeRuntime r = RunGoldenTest.runtime(false);
        for (String tool : List.of("lxc-start", "lxc-stop", "lxc-execute", "lxc-attach", "lxc-wait")) {
            LxcCommand command = GoldenTest.command(tool, r);
            Result help = GoldenTest.run(command, false, 0, List.of("--help"));
            assertEquals(new Result("", GoldenTest.help(command), 0), help);
            assertTrue(help.err().startsWith("Usage: " + tool + " --name=NAME"), tool);
            assertTrue(help.err().endsWith("\nSee the " + tool + " man page for further information.\n\n"), tool);
        }
    }
}
