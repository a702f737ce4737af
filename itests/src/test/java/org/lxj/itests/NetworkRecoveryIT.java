package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Network teardown after crashes, through the distribution's daemon ({@code bin/lxj daemon} on a private control
 * socket, as {@link DaemonRestartIT}): a veth container on a test bridge {@code lxjtbr8} (no address: nothing of the
 * host is touched) is started through the daemon, then
 * <ul>
 * <li>the daemon, the container's monitor and its init all get SIGKILL, and a new one-command runtime
 * ({@code lxc-ls -f}) finds the container STOPPED and its host-side veth (discovered through {@code lxc-info}
 * before the kill) gone;</li>
 * <li>only the daemon gets SIGKILL, the container keeps running, a new daemon sees it RUNNING and stops it, and
 * its host-side veth ({@code lxc.net.0.veth.pair}) is gone.</li>
 * </ul>
 * Each container's network namespace is pinned by the test ({@code ip netns attach lxjtns8*}) so that the kernel
 * cannot delete the pair with the namespace: only a runtime's teardown removes the host side. The bridge, the
 * veths, the pinned namespaces, the daemons and the run files are removed afterwards whatever happens.
 */
class NetworkRecoveryIT {
    private static final long TIMEOUT_SECONDS = 120;
    private static final Path LXJ = LxjExamSupport.DIST.resolve("bin/lxj");
    private static final String BRIDGE = "lxjtbr8";
    private static final String PAIR = "lxjtvr8";
    /** Names under which the tests pin the containers' network namespaces ({@code ip netns attach}). */
    private static final String NS_K = "lxjtns8k", NS_R = "lxjtns8r", NS_N = "lxjtns8n";
    private static final String PAIR_N = "lxjtvn8";
    private static final Pattern LINK = Pattern.compile("(?m)^Link:\\s+(\\S+)$");
    private static final Pattern PID = Pattern.compile("(?m)^PID:\\s+(\\d+)$");

    private static Path dir;
    private static Path socket;
    private static Path pidFile;
    private static ContainerCli cli;
    /** Host-side devices the tests saw, removed in {@link #tearDown()} if a test failed before they were. */
    private static final List<String> devices = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        assumeTrue(Files.isExecutable(LxjExamSupport.DIST.resolve("libexec/lxj-launcher")),
                "the distribution has no native client");
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2's ip to make the test bridge");
        dir = Files.createTempDirectory("lxj-it-netrec-");
        socket = dir.resolve("control.sock");
        pidFile = dir.resolve("daemon.pid");
        cli = ContainerCli.create("lxj-it-netrec-lxc-");
        host("ip link add " + BRIDGE + " type bridge && ip link set " + BRIDGE + " up");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        shutdownDaemon();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (dir == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            shutdownDaemon();
            problems.addAll(cli.destroyAll());
        } finally {
            for (String dev : devices) {
                if (sh("ip link show " + dev) == 0) {
                    problems.add("device " + dev + " was left: deleted");
                    sh("ip link del " + dev);
                }
            }
            sh("ip link del " + BRIDGE);
            sh("ip netns del " + NS_K);
            sh("ip netns del " + NS_R);
            sh("ip netns del " + NS_N);
            LxjExamSupport.deleteTree(dir);
        }
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
    }

    @Test
    void aRuntimeAfterKilledDaemonMonitorAndInitRemovesTheHostSideVeth() throws Exception {
        startDaemon();
        String name = "k";
        create(name, "");
        Result start = run(true, "lxc-start", "-n", name, "-P", cli.lxcpath.toString());
        start.assertSuccess();
        long init = initPid(name);
        long monitor = ContainerCli.parentOf(init);
        String veth = hostSide(name);
        devices.add(veth);
        assertTrue(hostHas(veth), veth + " is on the host");
        assertTrue(host("ip -o link show " + veth).contains("master " + BRIDGE), "on the bridge");

        // the container's network namespace outlives its init, so only a runtime can remove the veth: without the
        // pin the kernel would delete the pair with the namespace
        pin(NS_K, init);

        killDaemon();
        kill("monitor", monitor);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);

        // a runtime of its own (no daemon listens on the socket any more): any command reconciles
        Result ls = run(false, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^k\\s+STOPPED\\s*$").matcher(ls.out).find(), ls.toString());
        assertFalse(hostHas(veth), "the host side " + veth + " of the killed container is removed");
        assertEquals("lo", host("ip -n " + NS_K + " -o link show | cut -d: -f2").trim(),
                "its peer went with it: only lo is left in the pinned namespace");
        assertFalse(Files.exists(cli.runDir(name)), "its run directory is removed: " + cli.runDir(name));
        assertEquals(List.of(), cli.strayMounts(), "mounts left under " + cli.lxcpath);
    }

    @Test
    void aNewDaemonAloneRemovesTheVethOfAContainerKilledWithItsPredecessor() throws Exception {
        startDaemon();
        String name = "n";
        create(name, "lxc.net.0.veth.pair = " + PAIR_N + "\n");
        devices.add(PAIR_N);
        run(true, "lxc-start", "-n", name, "-P", cli.lxcpath.toString()).assertSuccess();
        long init = initPid(name);
        long monitor = ContainerCli.parentOf(init);
        pin(NS_N, init);

        killDaemon();
        kill("monitor", monitor);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);

        // no command: the new daemon's own reconciliation must do it, once its backends are there
        startDaemon();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ContainerCli.STATE_TIMEOUT_SECONDS);
        while (hostHas(PAIR_N) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(hostHas(PAIR_N), "the new daemon removed " + PAIR_N + " within "
                + ContainerCli.STATE_TIMEOUT_SECONDS + " s without being asked anything");
        Result ls = run(true, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        assertTrue(Pattern.compile("(?m)^n\\s+STOPPED\\s*$").matcher(ls.out).find(), ls.toString());
    }

    @Test
    void aNewDaemonStopsAContainerThatOutlivedItsKilledDaemonAndRemovesItsVeth() throws Exception {
        long first = startDaemon();
        String name = "r";
        create(name, "lxc.net.0.veth.pair = " + PAIR + "\n");
        devices.add(PAIR);
        run(true, "lxc-start", "-n", name, "-P", cli.lxcpath.toString()).assertSuccess();
        long init = initPid(name);
        long monitor = ContainerCli.parentOf(init);
        assertEquals(PAIR, hostSide(name));
        assertTrue(host("ip -o link show " + PAIR).contains("master " + BRIDGE), "on the bridge");

        pin(NS_R, init);
        killDaemon();
        assertTrue(ProcessHandle.of(monitor).map(ProcessHandle::isAlive).orElse(false), "the monitor outlives it");
        assertTrue(hostHas(PAIR), "a running container keeps its veth");

        long second = startDaemon();
        assertNotEquals(first, second, "a new daemon");
        Result ls = run(true, "lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^r\\s+RUNNING\\s+" + init + "\\s*$").matcher(ls.out).find(), ls.toString());
        assertTrue(hostHas(PAIR), "reconciling a running container leaves its veth alone");

        Result stop = run(true, "lxc-stop", "-n", name, "-P", cli.lxcpath.toString(), "-k");
        assertEquals(0, stop.status, stop.toString());
        assertFalse(hostHas(PAIR), "the host side " + PAIR + " is removed by the stop through the new daemon");
        Result after = run(true, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        assertTrue(Pattern.compile("(?m)^r\\s+STOPPED\\s*$").matcher(after.out).find(), after.toString());
        assertFalse(Files.exists(cli.runDir(name)), "its run directory is removed: " + cli.runDir(name));
    }

    /** A busybox container with one veth on the test bridge and no DHCP client, plus {@code extra} config. */
    private static void create(String name, String extra) throws Exception {
        run(true, "lxc-create", "-n", name, "-t", "busybox", "-P", cli.lxcpath.toString()).assertSuccess();
        Path rcs = cli.lxcpath.resolve(name).resolve("rootfs/etc/init.d/rcS");
        Files.write(rcs, Files.readAllLines(rcs).stream().filter(l -> !l.contains("udhcpc")).toList());
        Files.writeString(cli.lxcpath.resolve(name).resolve("config"), "lxc.net.0.type = veth\nlxc.net.0.link = "
                + BRIDGE + "\nlxc.net.0.flags = up\nlxc.net.0.name = eth0\n" + extra, StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
    }

    /** {@code ip netns attach NAME PID}: the namespace stays while the test holds it. */
    private static void pin(String ns, long pid) throws Exception {
        host("ip netns attach " + ns + " " + pid);
    }

    /** The host side of the container's first interface, from {@code lxc-info}'s {@code Link:} line. */
    private static String hostSide(String name) throws Exception {
        Result info = info(name);
        Matcher m = LINK.matcher(info.out);
        assertTrue(m.find(), "a Link line: " + info);
        return m.group(1);
    }

    /** The init PID {@code lxc-info} reports for a RUNNING container. */
    private static long initPid(String name) throws Exception {
        Result info = info(name);
        assertTrue(Pattern.compile("(?m)^State:\\s+RUNNING$").matcher(info.out).find(), "RUNNING: " + info);
        Matcher m = PID.matcher(info.out);
        assertTrue(m.find(), "a PID line: " + info);
        return Long.parseLong(m.group(1));
    }

    private static Result info(String name) throws Exception {
        Result info = run(true, "lxc-info", "-n", name, "-P", cli.lxcpath.toString());
        info.assertSuccess();
        return info;
    }

    /** {@code bin/lxj daemon}, which returns once the daemon listens; the daemon's pid from its pid file. */
    private static long startDaemon() throws IOException, InterruptedException {
        Result started = run(true, "daemon");
        assertEquals(0, started.status, started.toString());
        long pid = daemonPid().orElseThrow(() -> new AssertionError("no pid in " + pidFile + ": " + started));
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "daemon " + pid + " is alive");
        return pid;
    }

    private static void killDaemon() throws Exception {
        long pid = daemonPid().orElseThrow(() -> new AssertionError("no pid in " + pidFile));
        kill("daemon", pid);
    }

    /** SIGKILL, then a bounded wait until the process is gone. */
    private static void kill(String what, long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(what + " " + pid + " is gone"));
        assertTrue(h.destroyForcibly(), "SIGKILL to " + what + " " + pid);
        try {
            h.onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(what + " " + pid + " still alive " + TIMEOUT_SECONDS + " s after SIGKILL");
        }
    }

    /** {@code bin/lxj shutdown} when a daemon listens, then SIGKILL to a daemon that is still there. */
    private static void shutdownDaemon() throws Exception {
        if (dir == null) {
            return;
        }
        try {
            if (Files.exists(socket)) {
                run(true, "shutdown");
            }
        } finally {
            Optional<ProcessHandle> left = daemonPid().flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
            if (left.isPresent()) {
                left.get().destroyForcibly();
                left.get().onExit().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(pidFile);
        }
    }

    private static Optional<Long> daemonPid() {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean hostHas(String dev) throws IOException, InterruptedException {
        return sh("ip link show " + dev) == 0;
    }

    private static int sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script);
        return p.exitValue();
    }

    private static String host(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), script);
        assertEquals(0, p.exitValue(), script + ": " + out);
        return out;
    }

    /**
     * {@code bin/lxj ARGS} with the private socket and pid file: through the daemon when {@code daemon} and one
     * listens, else in a runtime of its own ({@code LXJ_NO_DAEMON=1}).
     */
    private static Result run(boolean daemon, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(LXJ.toString());
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> env = pb.environment();
        if (daemon) {
            env.remove("LXJ_NO_DAEMON");
        } else {
            env.put("LXJ_NO_DAEMON", "1");
        }
        env.put("LXJ_CONTROL_SOCKET", socket.toString());
        env.put("LXJ_PID_FILE", pidFile.toString());
        Process proc = pb.start();
        if (!proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            proc.destroyForcibly();
            proc.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("bin/lxj " + String.join(" ", args) + " did not finish in " + TIMEOUT_SECONDS
                    + " s");
        }
        Result r = new Result(String.join(" ", args), proc.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return r;
    }

    private record Result(String command, int status, String out, String err) {
        void assertSuccess() {
            assertEquals(0, status, toString());
        }

        @Override
        public String toString() {
            return "lxj " + command + " -> exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
