package org.lxj.control.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.felix.gogo.runtime.CommandProcessorImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerRuntime;
import org.lxj.api.ContainerState;
import org.lxj.api.ExecuteOptions;
import org.lxj.api.StartOptions;
import org.lxj.api.Stdio;
import org.lxj.api.command.DirectCommand;
import org.lxj.shell.internal.ExecuteCommand;
import org.lxj.shell.internal.InfoCommand;
import org.lxj.shell.internal.StartCommand;
import org.lxj.shell.internal.StopCommand;

/**
 * The shell's real {@code lxc-execute} (and {@code lxc-info}, {@code lxc-stop}, {@code lxc-start}) run through the daemon's two paths, a Gogo session with the distribution's
 * alias and the direct call without a session: status, stdout, stderr, the early exit hook and what reaches the
 * runtime are the same for every invocation of the table. No root needed: the runtime is a fake.
 */
class DirectPathTest {
    private static final Pattern EXIT = Pattern.compile("exit (\\d+)");
    private static final int[] FDS = {5, 6, 7};

    @TempDir
    Path dir;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    private CommandProcessorImpl processor;
    private SessionRunner gogo;
    private SessionRunner direct;

    /** What one path showed the client. */
    record Outcome(int status, String out, String err, List<Integer> exited, List<String> calls) {
    }

    @BeforeEach
    void start() throws IOException {
        processor = new CommandProcessorImpl(SharedThreadIo.get());
        ContainerRuntime runtime = fakeRuntime();
        ExecuteCommand execute = new ExecuteCommand(runtime, "0.1.0");
        InfoCommand info = new InfoCommand(runtime, "0.1.0");
        StopCommand stop = new StopCommand(runtime, "0.1.0");
        StartCommand start = new StartCommand(runtime, "0.1.0");
        processor.addCommand("lxc", execute, "execute");
        processor.addCommand("lxc", info, "info");
        processor.addCommand("lxc", stop, "stop");
        processor.addCommand("lxc", start, "start");
        Path profile = Files.writeString(dir.resolve("gosh_profile"),
                aliasLine("lxc-execute") + aliasLine("lxc-info") + aliasLine("lxc-stop") + aliasLine("lxc-start"));
        gogo = new SessionRunner(null, processor, profile);
        direct = new SessionRunner(null, processor, profile, Map.of("lxc-execute", (DirectCommand) execute,
                "lxc-info", (DirectCommand) info, "lxc-stop", (DirectCommand) stop, "lxc-start", (DirectCommand) start));
    }

    @AfterEach
    void stop() {
        gogo.close();
        direct.close();
        processor.stop();
    }

    static Stream<List<String>> invocations() {
        return Stream.of(
                List.of("-P", "/srv/lxc", "-n", "c1", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "c1", "--", "/bin/sh", "-c", "exit 42"),
                List.of("-P", "/srv/lxc", "c1", "/bin/echo", "a b", "; $x"),
                List.of("-P", "/srv/lxc", "-n", "c1", "-u", "1000", "-g", "1000", "-s", "lxc.uts.name=u2", "--", "id"),
                List.of("-Z", "-n", "c1", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "nope", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "c1"),
                List.of("-P", "/srv/lxc", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "c1", "-u", "abc", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "busy", "--", "/bin/true"),
                List.of("-P", "/srv/lxc", "-n", "crash", "--", "/bin/true"),
                List.of("--help"),
                List.of("--usage"),
                List.of("--version"),
                List.of("-n"));
    }

    @ParameterizedTest
    @MethodSource("invocations")
    void bothPathsShowTheClientTheSame(List<String> args) {
        Outcome viaGogo = run(gogo, args);
        Outcome viaDirect = run(direct, args);
        assertEquals(viaGogo, viaDirect);
    }

    /** lxc-info and lxc-stop take the direct path too: their errors, help and failures match as well. */
    @ParameterizedTest
    @MethodSource("otherInvocations")
    void infoAndStopShowTheClientTheSame(List<String> line) {
        Outcome viaGogo = run(gogo, line.get(0), line.subList(1, line.size()));
        Outcome viaDirect = run(direct, line.get(0), line.subList(1, line.size()));
        assertEquals(viaGogo, viaDirect);
    }

    static Stream<List<String>> otherInvocations() {
        return Stream.of(
                List.of("lxc-info", "-P", "/srv/lxc", "-n", "nope"),
                List.of("lxc-info", "-P", "/srv/lxc", "-n", "c1", "-s"),
                List.of("lxc-info", "--help"),
                List.of("lxc-info", "-Z"),
                List.of("lxc-stop", "-P", "/srv/lxc", "-n", "nope"),
                List.of("lxc-stop", "-P", "/srv/lxc", "-n", "c1", "-k"),
                List.of("lxc-stop", "-P", "/srv/lxc", "-n", "c1", "-t", "x"),
                List.of("lxc-stop", "--usage"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "s1"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "s1", "-d", "-s", "lxc.uts.name=u2", "--", "/bin/sh"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "c1"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "nope"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "crash"),
                List.of("lxc-start", "-P", "/srv/lxc", "-n", "s1", "-p", "x.pid", "-s", "bad"),
                List.of("lxc-start", "-Z"),
                List.of("lxc-start", "--help"));
    }

    /**
     * {@code lxc-start} runs directly unless it is to relay the console ({@code -F}, the last of {@code -d}/{@code -F}
     * deciding): that one keeps the session, whose resize hook the console follows.
     */
    @Test
    void aDetachedStartRunsDirectlyAndAForegroundOneInASession() {
        Outcome detached = run(direct, "lxc-start", List.of("-P", "/srv/lxc", "-n", "s1", "-d"));
        assertEquals(0, detached.status(), detached.toString());
        assertEquals(List.of("start /srv/lxc s1 foreground=false"), detached.calls());
        assertEquals(0, direct.sessionsMade(), "no session for a detached start");
        // an unknown container: the command ends before any console, on whichever path it took
        Outcome foreground = run(direct, "lxc-start", List.of("-P", "/srv/lxc", "-n", "nope", "-d", "-F"));
        assertEquals(1, foreground.status(), foreground.toString());
        assertEquals(1, direct.sessionsMade(), "-F after -d: a session");
        run(direct, "lxc-start", List.of("-P", "/srv/lxc", "-n", "nope", "-F", "-d"));
        assertEquals(1, direct.sessionsMade(), "-d after -F: detached, no new session");
    }

    @Test
    void theTableCoversSuccessFailureAndHelp() {
        Outcome ok = run(direct, List.of("-P", "/srv/lxc", "-n", "c1", "--", "/bin/sh", "-c", "exit 42"));
        assertEquals(new Outcome(42, "", "", List.of(42),
                List.of("execute /srv/lxc c1 [/bin/sh, -c, exit 42] fds=5,6,7")), ok);
        Outcome help = run(direct, List.of("--help"));
        assertEquals(0, help.status());
        assertTrue(help.err().startsWith("Usage: lxc-execute --name=NAME -- COMMAND\n"), help.err());
        Outcome unknown = run(direct, List.of("-P", "/srv/lxc", "-n", "nope", "--", "/bin/true"));
        assertEquals(new Outcome(1, "", "lxc-execute: nope: Executing a container with no configuration file may "
                + "crash the host\n", List.of(), List.of()), unknown);
        Outcome bad = run(direct, List.of("-Z"));
        assertEquals(1, bad.status());
        assertTrue(bad.err().startsWith("lxc-execute: invalid option -- 'Z'\n"), bad.err());
    }

    @Test
    void aDirectRunNeedsNoSession() {
        run(direct, List.of("-P", "/srv/lxc", "-n", "c1", "--", "/bin/true"));
        assertEquals(0, direct.sessionsMade());
        run(gogo, List.of("-P", "/srv/lxc", "-n", "c1", "--", "/bin/true"));
        assertEquals(1, gogo.sessionsMade());
    }

    private Outcome run(SessionRunner runner, List<String> args) {
        return run(runner, "lxc-execute", args);
    }

    private Outcome run(SessionRunner runner, String tool, List<String> args) {
        calls.clear();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<Integer> exited = new ArrayList<>();
        List<String> line = new ArrayList<>();
        line.add(tool);
        line.addAll(args);
        int status;
        try (PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, false, StandardCharsets.UTF_8)) {
            IntConsumer hook = exited::add;
            status = runner.run(new Request(line, Optional.of("/tmp"), 0, 0), InputStream.nullInputStream(), o, e, FDS,
                    r -> { }, hook);
        }
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8),
                exited, List.copyOf(calls));
    }

    private static String aliasLine(String tool) throws IOException {
        // the distribution's own alias, so the Gogo path is the one the daemon takes
        Path profile = Path.of("../../runtime-dist/src/main/dist/etc/gosh_profile");
        if (Files.isRegularFile(profile)) {
            for (String l : Files.readAllLines(profile, StandardCharsets.UTF_8)) {
                if (l.startsWith(tool + " =")) {
                    return l + "\n";
                }
            }
        }
        return tool + " = { lxc:" + tool.substring("lxc-".length()) + " $args }\n";
    }

    /**
     * A runtime that knows c1, busy and crash (running) and s1 (stopped); execute answers the status an
     * {@code exit N} argument asks for.
     */
    private ContainerRuntime fakeRuntime() {
        Container container = container("c1", ContainerState.RUNNING);
        Container stopped = container("s1", ContainerState.STOPPED);
        InvocationHandler h = (p, m, a) -> {
            switch (m.getName()) {
            case "find":
                if (a[1].equals("s1")) {
                    return Optional.of(stopped);
                }
                return List.of("c1", "busy", "crash").contains((String) a[1]) ? Optional.of(container)
                        : Optional.empty();
            case "stop":
                calls.add("stop " + a[0] + " " + a[1] + " " + a[2]);
                return null;
            case "start":
                return start((Path) a[0], (String) a[1], (StartOptions) a[2]);
            case "execute":
                return execute((Path) a[0], (String) a[1], (ExecuteOptions) a[2], (Stdio) a[3],
                        a.length > 4 ? (IntConsumer) a[4] : null);
            default:
                throw new UnsupportedOperationException(m.getName());
            }
        };
        return (ContainerRuntime) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, h);
    }

    /** A container that answers its name and state only. */
    private Container container(String name, ContainerState state) {
        return (Container) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Container.class},
                (p, m, a) -> {
                    if (m.getName().equals("state")) {
                        return state;
                    }
                    if (m.getName().equals("name")) {
                        return name;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private Object start(Path lxcpath, String name, StartOptions options) {
        calls.add("start " + lxcpath + " " + name + " foreground=" + options.foreground()
                + (options.overrides().isEmpty() ? "" : " " + options.overrides())
                + (options.command().isEmpty() ? "" : " " + options.command()));
        if (name.equals("crash")) {
            throw new IllegalStateException("Something broke");
        }
        return null;
    }

    private int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio, IntConsumer exited) {
        Stdio.Fds fds = stdio.fds().orElseThrow();
        calls.add("execute " + lxcpath + " " + name + " " + options.command() + " fds=" + fds.in() + "," + fds.out()
                + "," + fds.err() + (options.uid().isPresent() ? " uid=" + options.uid().getAsInt() : "")
                + (options.overrides().isEmpty() ? "" : " " + options.overrides()));
        if (name.equals("busy")) {
            throw new ContainerBusyException("Container \"busy\" is busy");
        }
        if (name.equals("crash")) {
            throw new IllegalStateException("Something broke");
        }
        List<String> command = options.command();
        Matcher m = EXIT.matcher(command.get(command.size() - 1));
        int status = m.matches() ? Integer.parseInt(m.group(1)) : 0;
        if (exited != null) {
            exited.accept(status);
        }
        return status;
    }
}
