package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command against the outputs Debian's LXC 5.0.2 tools printed for the same container definitions
 * ({@code src/test/resources/golden}, made by {@code capture.sh} there). Standard output, standard error
 * and the exit status must match byte for byte; the one deliberate difference is that LXJ's error lines
 * leave out LXC's C source location ({@code ../src/lxc/tools/lxc_create.c: main: 264 }).
 */
class GoldenTest {

    static final Path P = Path.of("/tmp/shell-oracle");

    /** The goldens' containers, as capture.sh defines them. */
    static FakeRuntime oracleRuntime() {
        return new FakeRuntime(FakeRuntime.debianSystemConfig())
                .add(FakeContainer.stopped(P, "c1", FakeConfig.of("lxc.uts.name", "c1host", "lxc.tty.max", "4",
                        "lxc.start.auto", "1", "lxc.group", "web,db")))
                .add(FakeContainer.stopped(P, "alpha", FakeConfig.of("lxc.group", "web")))
                .add(FakeContainer.stopped(P, "h7", FakeConfig.of("lxc.group", "db", "lxc.group", "ops",
                        "lxc.start.auto", "0")))
                .add(FakeContainer.stopped(P, "c2", FakeConfig.of("lxc.net.0.type", "veth", "lxc.net.0.link", "lxcbr0",
                        "lxc.net.0.flags", "up", "lxc.apparmor.profile", "generated",
                        "lxc.apparmor.allow_nesting", "1")));
    }

    static LxcCommand command(String tool, FakeRuntime runtime) {
        return switch (tool) {
            case "lxc-create" -> new CreateCommand(runtime, "0.1.0");
            case "lxc-ls" -> new LsCommand(runtime, "0.1.0");
            case "lxc-info" -> new InfoCommand(runtime, "0.1.0");
            case "lxc-destroy" -> new DestroyCommand(runtime, "0.1.0");
            case "lxc-config" -> new ConfigCommand(runtime);
            case "lxc-update-config" -> new UpdateConfigCommand(runtime);
            case "lxc-start" -> new StartCommand(runtime, "0.1.0");
            case "lxc-stop" -> new StopCommand(runtime, "0.1.0");
            case "lxc-execute" -> new ExecuteCommand(runtime, "0.1.0");
            case "lxc-attach" -> new AttachCommand(runtime, "0.1.0");
            case "lxc-wait" -> new WaitCommand(runtime, "0.1.0");
            default -> throw new IllegalArgumentException(tool);
        };
    }

    /** What one run printed and returned. */
    record Result(String out, String err, int status) {
    }

    static Result run(LxcCommand command, boolean tty, int width, List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = command.run(new CommandIo(o, e, tty, width, Path.of("/tmp/shell-oracle-work")), args);
        }
        return new Result(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), status);
    }

    static String golden(String name, String stream) {
        try (InputStream in = GoldenTest.class.getResourceAsStream("/golden/" + name + "." + stream)) {
            assertNotNull(in, "golden " + name + "." + stream);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // LXC's error log lines name the C source location; LXJ's do not.
            return text.replaceAll("\\.\\./src/lxc/[^:\\n]+: \\w+: \\d+ ", "");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> exact() {
        return Stream.of(
                // name, fresh (empty runtime), tty width (0 = pipe), tool, arguments
                Arguments.of("create-c1", true, 0, "lxc-create", "-P /tmp/shell-oracle -n c1 -t none -f /tmp/shell-oracle-work/c1.conf"),
                Arguments.of("create-alpha", true, 0, "lxc-create", "-P /tmp/shell-oracle -n alpha -t none -f /tmp/shell-oracle-work/alpha.conf"),
                Arguments.of("create-h7", true, 0, "lxc-create", "-P /tmp/shell-oracle -n h7 -t none -f /tmp/shell-oracle-work/h7.conf"),
                Arguments.of("create-c2", true, 0, "lxc-create", "-P /tmp/shell-oracle -n c2 -t none"),
                Arguments.of("create-exists", false, 0, "lxc-create", "-P /tmp/shell-oracle -n c1 -t none"),
                Arguments.of("create-noname", false, 0, "lxc-create", "-P /tmp/shell-oracle -t none"),
                Arguments.of("create-notemplate", false, 0, "lxc-create", "-P /tmp/shell-oracle -n z1"),
                Arguments.of("ls-plain", false, 0, "lxc-ls", "-P /tmp/shell-oracle"),
                Arguments.of("ls-1", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1"),
                Arguments.of("ls-f", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f"),
                Arguments.of("ls-F", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f -F NAME,STATE,PID,RAM,SWAP,AUTOSTART,GROUPS,INTERFACE,IPV4,IPV6,UNPRIVILEGED"),
                Arguments.of("ls-F-lower", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f -F name,state"),
                Arguments.of("ls-F-nof", false, 0, "lxc-ls", "-P /tmp/shell-oracle -F NAME,STATE"),
                Arguments.of("ls-F-bad", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f -F NAME,BOGUS"),
                Arguments.of("ls-f-1", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f -1"),
                Arguments.of("ls-filter", false, 0, "lxc-ls", "-P /tmp/shell-oracle --filter ^c"),
                Arguments.of("ls-filter-eq", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 --filter=1"),
                Arguments.of("ls-posregex", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 c.*"),
                Arguments.of("ls-two-positionals", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 c1 h7"),
                Arguments.of("ls-badregex", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 c["),
                Arguments.of("ls-g", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 -g web"),
                Arguments.of("ls-g-all", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 -g web,db"),
                Arguments.of("ls-g-ops", false, 0, "lxc-ls", "-P /tmp/shell-oracle -f -g ops"),
                Arguments.of("ls-g-last", false, 0, "lxc-ls", "-P /tmp/shell-oracle -1 -g db -g web"),
                Arguments.of("ls-active", false, 0, "lxc-ls", "-P /tmp/shell-oracle --active"),
                Arguments.of("ls-running-f", false, 0, "lxc-ls", "-P /tmp/shell-oracle --running -f"),
                Arguments.of("ls-stopped", false, 0, "lxc-ls", "-P /tmp/shell-oracle --stopped -1"),
                Arguments.of("ls-defined", false, 0, "lxc-ls", "-P /tmp/shell-oracle --defined"),
                Arguments.of("ls-empty", false, 0, "lxc-ls", "-P /tmp/shell-oracle-none"),
                Arguments.of("ls-empty-f", false, 0, "lxc-ls", "-P /tmp/shell-oracle-none -f"),
                Arguments.of("ls-tty20", false, 20, "lxc-ls", "-P /tmp/shell-oracle"),
                Arguments.of("ls-tty30", false, 30, "lxc-ls", "-P /tmp/shell-oracle"),
                Arguments.of("info", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1"),
                Arguments.of("info-pos", false, 0, "lxc-info", "-P /tmp/shell-oracle c1"),
                Arguments.of("info-s", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -s"),
                Arguments.of("info-p", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -p"),
                Arguments.of("info-i", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -i"),
                Arguments.of("info-S", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -S"),
                Arguments.of("info-SH", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -S -H"),
                Arguments.of("info-H", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -H"),
                Arguments.of("info-sp", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -sp"),
                Arguments.of("info-bundled-name", false, 0, "lxc-info", "-P /tmp/shell-oracle -snc1"),
                Arguments.of("info-name-eq", false, 0, "lxc-info", "-P /tmp/shell-oracle --name=c1 --state"),
                Arguments.of("info-c", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.uts.name"),
                Arguments.of("info-cc", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.uts.name -c lxc.tty.max"),
                Arguments.of("info-cH", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.uts.name -H"),
                Arguments.of("info-c-unset", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.init.cmd"),
                Arguments.of("info-c-unset-H", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.init.cmd -H"),
                Arguments.of("info-c-two-H", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.init.cmd -c lxc.tty.max -H"),
                Arguments.of("info-c-bad", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.bogus"),
                Arguments.of("info-c-group", false, 0, "lxc-info", "-P /tmp/shell-oracle -n h7 -c lxc.group"),
                Arguments.of("info-c-group-H", false, 0, "lxc-info", "-P /tmp/shell-oracle -n h7 -c lxc.group -H"),
                Arguments.of("info-cs", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 -c lxc.uts.name -s"),
                Arguments.of("info-missing", false, 0, "lxc-info", "-P /tmp/shell-oracle -n nope"),
                Arguments.of("info-noname", false, 0, "lxc-info", "-P /tmp/shell-oracle"),
                Arguments.of("info-prefix", false, 0, "lxc-info", "-P /tmp/shell-oracle -n c1 --no-h"),
                Arguments.of("destroy-missing", false, 0, "lxc-destroy", "-P /tmp/shell-oracle -n nope"),
                Arguments.of("destroy-noname", false, 0, "lxc-destroy", "-P /tmp/shell-oracle"),
                Arguments.of("destroy-h7", false, 0, "lxc-destroy", "-P /tmp/shell-oracle -n h7"),
                Arguments.of("destroy-pos", false, 0, "lxc-destroy", "-P /tmp/shell-oracle alpha"),
                Arguments.of("destroy-f", false, 0, "lxc-destroy", "-P /tmp/shell-oracle -n c2 -f"),
                Arguments.of("destroy-s", false, 0, "lxc-destroy", "-P /tmp/shell-oracle -n c1 -s"),
                Arguments.of("config-l", false, 0, "lxc-config", "-l"),
                Arguments.of("config-lxcpath", false, 0, "lxc-config", "lxc.lxcpath"),
                Arguments.of("config-vg", false, 0, "lxc-config", "lxc.bdev.lvm.vg"),
                Arguments.of("config-use", false, 0, "lxc-config", "lxc.cgroup.use"),
                Arguments.of("config-bogus", false, 0, "lxc-config", "lxc.bogus"),
                Arguments.of("config-none", false, 0, "lxc-config", ""),
                Arguments.of("config-help", false, 0, "lxc-config", "--help"),
                Arguments.of("config-P", false, 0, "lxc-config", "-P /tmp lxc.lxcpath"),
                Arguments.of("config-dashdash", false, 0, "lxc-config", "-- lxc.lxcpath"));
    }

    @ParameterizedTest(name = "{0}: {3} {4}")
    @MethodSource("exact")
    void matchesLxcByteForByte(String name, boolean fresh, int width, String tool, String args) {
        FakeRuntime runtime = fresh ? new FakeRuntime(FakeRuntime.debianSystemConfig()) : oracleRuntime();
        Result r = run(command(tool, runtime), width > 0, width, split(args));
        assertEquals(golden(name, "out"), r.out(), name + " stdout");
        assertEquals(golden(name, "err"), r.err(), name + " stderr");
        assertEquals(Integer.parseInt(golden(name, "rc").trim()), r.status(), name + " status");
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of("ls-bogus", "lxc-ls", "-P /tmp/shell-oracle --bogus"),
                Arguments.of("ls-x", "lxc-ls", "-P /tmp/shell-oracle -x"),
                Arguments.of("ls-filter-noarg", "lxc-ls", "-P /tmp/shell-oracle --filter"),
                Arguments.of("info-x", "lxc-info", "-P /tmp/shell-oracle -n c1 -x"),
                Arguments.of("info-bogus", "lxc-info", "-P /tmp/shell-oracle -n c1 --bogus"),
                Arguments.of("info-missing-arg", "lxc-info", "-P /tmp/shell-oracle -n"),
                Arguments.of("info-long-missing-arg", "lxc-info", "-P /tmp/shell-oracle --name"),
                Arguments.of("info-long-noarg", "lxc-info", "-P /tmp/shell-oracle -n c1 --state=1"),
                Arguments.of("info-ambiguous", "lxc-info", "-P /tmp/shell-oracle --s -n c1"));
    }

    /**
     * A parse error: getopt's message line as LXC prints it, then the help text (LXJ's own, which lists
     * LXJ's options), status 1, nothing on standard output.
     */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @MethodSource("usageErrors")
    void usageErrorsReadAsLxc(String name, String tool, String args) {
        LxcCommand command = command(tool, oracleRuntime());
        Result r = run(command, false, 0, split(args));
        String expectedFirstLine = golden(name, "err").lines().findFirst().orElseThrow();
        assertEquals(golden(name, "out"), r.out());
        assertEquals(expectedFirstLine + "\n" + help(command), r.err());
        assertEquals(Integer.parseInt(golden(name, "rc").trim()), r.status());
    }

    static String help(LxcCommand command) {
        return switch (command.tool()) {
            case "lxc-ls" -> LsCommand.HELP;
            case "lxc-info" -> InfoCommand.HELP;
            case "lxc-create" -> CreateCommand.HELP;
            case "lxc-destroy" -> DestroyCommand.HELP;
            case "lxc-start" -> StartCommand.HELP;
            case "lxc-stop" -> StopCommand.HELP;
            case "lxc-execute" -> ExecuteCommand.HELP;
            case "lxc-attach" -> AttachCommand.HELP;
            case "lxc-wait" -> WaitCommand.HELP;
            default -> throw new IllegalArgumentException(command.tool());
        };
    }

    static List<String> split(String args) {
        return args.isEmpty() ? List.of() : Arrays.asList(args.split(" "));
    }
}
