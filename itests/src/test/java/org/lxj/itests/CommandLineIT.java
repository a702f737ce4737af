package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The distribution's {@code bin/lxj}, run as a user runs it: one command per process. */
class CommandLineIT {
    private static final Path DIST = LxjExamSupport.DIST;
    private static final long TIMEOUT_SECONDS = 120;

    private Path lxcpath;
    private Path scratch;

    @BeforeEach
    void setUp() throws IOException {
        assumeTrue(Files.isExecutable(DIST.resolve("bin/lxj")), "the distribution is not built: " + DIST);
        lxcpath = Files.createTempDirectory("lxj-it-cli-");
        scratch = Files.createTempDirectory("lxj-it-cli-files-");
    }

    @AfterEach
    void tearDown() throws IOException {
        LxjExamSupport.deleteTree(lxcpath);
        ContainerCli.removeRunFiles(lxcpath);
        LxjExamSupport.deleteTree(scratch);
    }

    @Test
    void createListInfoConfigDestroy() throws Exception {
        Path file = scratch.resolve("extra.conf");
        Files.writeString(file, "lxc.environment = FOO=bar\n");
        String p = lxcpath.toString();

        Result create = lxj("lxc-create", "-n", "c1", "-t", "none", "-P", p, "-f", file.toString());
        create.assertSuccess();
        assertEquals("", create.out, "lxc-create prints nothing on stdout");
        assertTrue(Files.isRegularFile(lxcpath.resolve("c1/config")));

        Result ls = lxj("lxc-ls", "-f", "-P", p);
        ls.assertSuccess();
        String[] rows = ls.out.split("\n");
        assertTrue(rows[0].startsWith("NAME"), "header first: " + ls.out);
        assertTrue(Pattern.compile("(?m)^c1\\s+STOPPED\\s").matcher(ls.out).find(), "row of c1: " + ls.out);

        Result info = lxj("lxc-info", "-n", "c1", "-P", p);
        info.assertSuccess();
        assertTrue(Pattern.compile("(?m)^Name:\\s+c1$").matcher(info.out).find(), info.out);
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out).find(), info.out);

        Result uts = lxj("lxc-info", "-n", "c1", "-c", "lxc.uts.name", "-P", p);
        uts.assertSuccess();
        assertTrue(uts.out.startsWith("lxc.uts.name ="), uts.out);
        Result env = lxj("lxc-info", "-n", "c1", "-c", "lxc.environment", "-P", p);
        env.assertSuccess();
        assertTrue(env.out.startsWith("lxc.environment = FOO=bar"), "from the -f file: " + env.out);

        Result destroy = lxj("lxc-destroy", "-n", "c1", "-P", p);
        destroy.assertSuccess();
        assertEquals("", destroy.out);
        assertFalse(Files.exists(lxcpath.resolve("c1")));

        Result gone = lxj("lxc-info", "-n", "c1", "-P", p);
        assertEquals(1, gone.status, gone.toString());
        assertEquals("", gone.out, "errors go to stderr");
        assertTrue(gone.err.contains("c1"), gone.toString());
    }

    @Test
    void configListsSystemKeys() throws Exception {
        Result r = lxj("lxc-config", "-l");
        r.assertSuccess();
        assertTrue(Pattern.compile("(?m)^lxc\\.lxcpath$").matcher(r.out).find(), r.out);
        assertTrue(Pattern.compile("(?m)^lxc\\.default_config$").matcher(r.out).find(), r.out);
    }

    @Test
    void argumentsReachTheCommandIntact() throws Exception {
        String name = "no such \"box\";*";
        Result r = lxj("lxc-info", "-n", name, "-P", lxcpath.toString());
        assertEquals(1, r.status, r.toString());
        assertEquals("", r.out);
        assertTrue(r.err.contains(name), "the name as given: " + r);
    }

    @Test
    void unknownCommandFails() throws Exception {
        Result r = lxj("lxc-no-such-command");
        assertEquals(1, r.status, r.toString());
        assertEquals("", r.out);
        assertTrue(r.err.contains("lxc-no-such-command"), r.toString());
    }

    @Test
    void secondCreateOfANameFails() throws Exception {
        String p = lxcpath.toString();
        lxj("lxc-create", "-n", "c1", "-t", "none", "-P", p).assertSuccess();
        Result again = lxj("lxc-create", "-n", "c1", "-t", "none", "-P", p);
        assertNotEquals(0, again.status, again.toString());
        assertTrue(again.err.startsWith("lxc-create: "), "LXC's error form: " + again);
        lxj("lxc-destroy", "-n", "c1", "-P", p).assertSuccess();
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneWin() throws Exception {
        String p = lxcpath.toString();
        List<Process> processes = new ArrayList<>();
        List<Path[]> outputs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Path out = scratch.resolve("out" + i);
            Path err = scratch.resolve("err" + i);
            processes.add(command(DIST.resolve("bin/lxj"), "lxc-create", "-n", "same", "-t", "none", "-P", p)
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start());
            outputs.add(new Path[] {out, err});
        }
        int winners = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < 2; i++) {
            Process proc = processes.get(i);
            assertTrue(proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "lxc-create finished");
            report.append("exit ").append(proc.exitValue()).append(": ")
                    .append(Files.readString(outputs.get(i)[1])).append('\n');
            if (proc.exitValue() == 0) {
                winners++;
            }
        }
        assertEquals(1, winners, report.toString());
        assertTrue(Files.isRegularFile(lxcpath.resolve("same/config")));
    }

    @Test
    void binLxjIsTheNativeEntryUnderAnyName() throws Exception {
        byte[] head = new byte[4];
        try (var in = Files.newInputStream(DIST.resolve("bin/lxj"))) {
            assertEquals(4, in.readNBytes(head, 0, 4));
        }
        assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, head, "bin/lxj is the launcher binary, not a script");
        assertTrue(Files.isExecutable(DIST.resolve("libexec/lxj.sh")), "the JVM runtime's script is executable");
        Path link = scratch.resolve("my-lxj");
        Files.createSymbolicLink(link, DIST.resolve("bin/lxj"));
        Map<String, String> noDaemon = Map.of("LXJ_CONTROL_SOCKET", scratch.resolve("nobody.sock").toString());

        Result version = run(link, noDaemon, "--version");
        version.assertSuccess();
        assertTrue(version.out.startsWith("LXJ "), "the script answers --version, not the launcher: " + version);

        // no daemon on that socket: the client runs libexec/lxj.sh, which boots a runtime for the command
        Result ls = run(link, noDaemon, "lxc-ls", "-1", "-P", lxcpath.toString());
        ls.assertSuccess();
        assertEquals("", ls.out, "an empty lxcpath lists nothing: " + ls);
    }

    private static ProcessBuilder command(Path exe, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    private Result lxj(String... args) throws IOException, InterruptedException {
        return run(DIST.resolve("bin/lxj"), Map.of(), args);
    }

    private Result run(Path exe, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        long start = System.nanoTime();
        ProcessBuilder pb = command(exe, args);
        pb.environment().putAll(env);
        Process proc = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        proc.getOutputStream().close();
        if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            throw new AssertionError("bin/lxj " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("bin/lxj %s: exit %d in %d ms%n", String.join(" ", args), proc.exitValue(), millis);
        return new Result(String.join(" ", args), proc.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private record Result(String command, int status, String out, String err) {
        void assertSuccess() {
            assertEquals(0, status, toString());
        }

        @Override
        public String toString() {
            return "bin/lxj " + command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
