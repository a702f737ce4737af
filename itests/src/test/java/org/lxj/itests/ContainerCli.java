package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real containers driven through the distribution's {@code bin/lxj} as a user drives them: one command per
 * process (so every command is also a fresh runtime that reconciles from the run directories), all in one
 * private lxcpath. It also reads the host's side of the story: mounts, run directories and processes a
 * container left behind.
 */
final class ContainerCli {
    /** How long one {@code bin/lxj} command may take: a JVM boot plus the command, on a busy 2-core host. */
    static final long COMMAND_TIMEOUT_SECONDS = 60;
    /** Every wait for a container state. */
    static final int STATE_TIMEOUT_SECONDS = 30;
    static final Path RUN_ROOT = Path.of("/run/lxj");

    private static final Path LXJ = LxjExamSupport.DIST.resolve("bin/lxj");
    private static final Pattern PID_LINE = Pattern.compile("(?m)^PID:\\s+(\\d+)$");

    final Path lxcpath;
    private final Path scratch;

    private ContainerCli(Path lxcpath, Path scratch) {
        this.lxcpath = lxcpath;
        this.scratch = scratch;
    }

    /** Whether the distribution is built and this JVM runs as root (the tests skip otherwise). */
    static boolean usable() {
        return Files.isExecutable(LXJ) && "root".equals(System.getProperty("user.name"));
    }

    static String skipReason() {
        return "needs root and the built distribution (" + LXJ + ")";
    }

    /** A fresh private lxcpath (and a scratch directory for command output) named after {@code prefix}. */
    static ContainerCli create(String prefix) throws IOException {
        return new ContainerCli(Files.createTempDirectory(prefix), Files.createTempDirectory(prefix + "out-"));
    }

    /** {@code bin/lxj ARGS} with nothing on stdin. */
    Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LXJ.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(scratch, "out", ".txt");
        Path err = Files.createTempFile(scratch, "err", ".txt");
        Process proc = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        if (!proc.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("bin/lxj " + String.join(" ", args) + " did not finish in "
                    + COMMAND_TIMEOUT_SECONDS + " s");
        }
        Result r = new Result(String.join(" ", args), proc.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    /** {@code bin/lxj COMMAND -n NAME -P LXCPATH ARGS}: options of {@code args} before any {@code --}. */
    Result lxc(String command, String name, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(command, "-n", name, "-P", lxcpath.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** {@code lxc-attach -n NAME -- sh -c SCRIPT}, which must succeed; its stdout. */
    String sh(String name, String script) throws IOException, InterruptedException {
        Result r = lxc("lxc-attach", name, "--", "sh", "-c", script);
        r.assertSuccess();
        return r.out;
    }

    /** A busybox container, created and started detached with {@code startArgs}; its init's host PID. */
    long createAndStart(String name, String... startArgs) throws IOException, InterruptedException {
        lxc("lxc-create", name, "-t", "busybox").assertSuccess();
        lxc("lxc-start", name, startArgs).assertSuccess();
        return initPid(name);
    }

    /** The init PID {@code lxc-info} reports for a RUNNING container. */
    long initPid(String name) throws IOException, InterruptedException {
        Result info = lxc("lxc-info", name);
        info.assertSuccess();
        assertTrue(Pattern.compile("(?m)^State:\\s+RUNNING$").matcher(info.out).find(), "RUNNING: " + info);
        Matcher m = PID_LINE.matcher(info.out);
        assertTrue(m.find(), "a PID line: " + info);
        return Long.parseLong(m.group(1));
    }

    /** {@code lxc-wait -s STATE -t 30}, which must succeed. */
    void awaitState(String name, String state) throws IOException, InterruptedException {
        Result r = lxc("lxc-wait", name, "-s", state, "-t", Integer.toString(STATE_TIMEOUT_SECONDS));
        assertEquals(0, r.status, name + " did not reach " + state + " within " + STATE_TIMEOUT_SECONDS + " s: " + r);
    }

    /** The run directory of {@code name}: {@code /run/lxj/<sha256(lxcpath)[0..12]>/<name>}. */
    Path runDir(String name) {
        return runRoot(lxcpath).resolve(name);
    }

    /** The run root of an lxcpath: {@code /run/lxj/<sha256(lxcpath)[0..12]>}. */
    static Path runRoot(Path lxcpath) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(lxcpath.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return RUN_ROOT.resolve(HexFormat.of().formatHex(d).substring(0, 12));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Removes an lxcpath's event journal and lock files from {@code /run/lxj}: the machine is reused. */
    static void removeRunFiles(Path lxcpath) throws IOException {
        Path runRoot = runRoot(lxcpath);
        LxjExamSupport.deleteTree(runRoot);
        LxjExamSupport.deleteTree(RUN_ROOT.resolve("locks").resolve(runRoot.getFileName()));
    }

    /** Mount points of this (the host's) mount namespace under the lxcpath or under this lxcpath's run root. */
    List<String> strayMounts() throws IOException {
        String base = lxcpath.toString() + "/";
        String run = runDir("x").getParent().toString() + "/";
        List<String> found = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String mountPoint = line.split(" ")[4];
            if ((mountPoint + "/").startsWith(base) || (mountPoint + "/").startsWith(run)) {
                found.add(mountPoint);
            }
        }
        return found;
    }

    /** Processes holding a file descriptor or working directory inside {@code dir} (a monitor holds its run dir). */
    static List<Long> processesUsing(Path dir) throws IOException {
        String prefix = dir.toString();
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                if (holds(proc, prefix)) {
                    pids.add(Long.parseLong(proc.getFileName().toString()));
                }
            }
        }
        return pids;
    }

    private static boolean holds(Path proc, String prefix) {
        List<Path> links = new ArrayList<>();
        links.add(proc.resolve("cwd"));
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
            fds.forEach(links::add);
        } catch (IOException | SecurityException e) {
            return false; // the process is gone, or a kernel thread
        }
        for (Path link : links) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                if (target.equals(prefix) || target.startsWith(prefix + "/")) {
                    return true;
                }
            } catch (IOException | UnsupportedOperationException e) {
                // the fd closed meanwhile
            }
        }
        return false;
    }

    /** Zombie children of this test JVM. */
    static List<String> zombieChildren() throws IOException {
        return zombieChildrenOf(ProcessHandle.current().pid());
    }

    /** Zombie children of {@code parent}, as {@code pid (comm)}. */
    static List<String> zombieChildrenOf(long parent) throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                String stat;
                try (java.io.InputStream in = Files.newInputStream(proc.resolve("stat"))) {
                    stat = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException e) {
                    continue;
                }
                // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'
                String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (rest[0].equals("Z") && Long.parseLong(rest[1]) == parent) {
                    found.add(stat.substring(0, stat.lastIndexOf(')') + 1));
                }
            }
        }
        return found;
    }

    /** The parent PID of {@code pid} from {@code /proc/PID/stat}. */
    static long parentOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
    }

    /** The {@code /proc/self/ns/NS} link of this test JVM. */
    static String hostNamespace(String ns) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString();
    }

    /**
     * Stops (kill) and destroys every container of the lxcpath, tolerating already-gone state, then removes
     * the lxcpath and scratch directories; returns what was still wrong (empty when all went well).
     */
    List<String> destroyAll() throws IOException, InterruptedException {
        List<String> problems = new ArrayList<>();
        if (Files.isDirectory(lxcpath)) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(lxcpath, Files::isDirectory)) {
                for (Path dir : dirs) {
                    String name = dir.getFileName().toString();
                    if (Files.exists(runDir(name))) {
                        Result stop = lxc("lxc-stop", name, "-k");
                        if (stop.status != 0 && stop.status != 2) {
                            problems.add(stop.toString());
                        }
                    }
                    Result destroy = lxc("lxc-destroy", name, "-f");
                    if (destroy.status != 0 && Files.exists(dir)) {
                        problems.add(destroy.toString());
                    }
                }
            }
        }
        for (long pid : processesUsing(runDir("x").getParent())) {
            problems.add("process " + pid + " still holds " + runDir("x").getParent() + ": killed");
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        List<String> mounts = strayMounts();
        if (!mounts.isEmpty()) {
            problems.add("mounts left: " + mounts);
        }
        if (mounts.isEmpty()) {
            LxjExamSupport.deleteTree(lxcpath);
            removeRunFiles(lxcpath);
        }
        LxjExamSupport.deleteTree(scratch);
        return problems;
    }

    record Result(String command, int status, String out, String err) {
        void assertSuccess() {
            assertEquals(0, status, toString());
        }

        @Override
        public String toString() {
            return "bin/lxj " + command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
