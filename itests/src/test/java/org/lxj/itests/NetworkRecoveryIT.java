package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.Daemon.Result;

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
    private static final String BRIDGE = "lxjtbr8";
    private static final String PAIR = "lxjtvr8";
    /** Names under which the tests pin the containers' network namespaces ({@code ip netns attach}). */
    private static final String NS_K = "lxjtns8k", NS_R = "lxjtns8r", NS_N = "lxjtns8n";
    private static final String PAIR_N = "lxjtvn8";
    private static final Pattern LINK = Pattern.compile("(?m)^Link:\\s+(\\S+)$");
    private static final Pattern PID = Pattern.compile("(?m)^PID:\\s+(\\d+)$");

    private static Daemon daemon;
    private static ContainerCli cli;
    /** Host-side devices the tests saw, removed in {@link #tearDown()} if a test failed before they were. */
    private static final List<String> devices = new ArrayList<>();

    @BeforeAll
    static void setUp() throws Exception {
        Daemon.assumeUsable();
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip")),
                "needs iproute2's ip to make the test bridge");
        daemon = Daemon.create("lxj-it-netrec-");
        cli = ContainerCli.create("lxj-it-netrec-lxc-");
        host("ip link add " + BRIDGE + " type bridge && ip link set " + BRIDGE + " up");
    }

    @AfterEach
    void stopDaemon() throws Exception {
        shutdownDaemon();
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (daemon == null) {
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
            daemon.close();
        }
        assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
    }

    @Test
    void aRuntimeAfterKilledDaemonMonitorAndInitRemovesTheHostSideVeth() throws Exception {
        daemon.start();
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

        daemon.kill();
        Daemon.kill("monitor", monitor);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);

        // a runtime of its own (no daemon listens on the socket any more): any command reconciles
        Result ls = run(false, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^k\\s+STOPPED\\s*$").matcher(ls.out()).find(), ls.toString());
        assertFalse(hostHas(veth), "the host side " + veth + " of the killed container is removed");
        assertEquals("lo", host("ip -n " + NS_K + " -o link show | cut -d: -f2").trim(),
                "its peer went with it: only lo is left in the pinned namespace");
        assertFalse(Files.exists(cli.runDir(name)), "its run directory is removed: " + cli.runDir(name));
        assertEquals(List.of(), cli.strayMounts(), "mounts left under " + cli.lxcpath);
    }

    @Test
    void aNewDaemonAloneRemovesTheVethOfAContainerKilledWithItsPredecessor() throws Exception {
        daemon.start();
        String name = "n";
        create(name, "lxc.net.0.veth.pair = " + PAIR_N + "\n");
        devices.add(PAIR_N);
        run(true, "lxc-start", "-n", name, "-P", cli.lxcpath.toString()).assertSuccess();
        long init = initPid(name);
        long monitor = ContainerCli.parentOf(init);
        pin(NS_N, init);

        daemon.kill();
        Daemon.kill("monitor", monitor);
        ProcessHandle.of(init).ifPresent(ProcessHandle::destroyForcibly);

        // no command: the new daemon's own reconciliation must do it, once its backends are there
        daemon.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ContainerCli.STATE_TIMEOUT_SECONDS);
        while (hostHas(PAIR_N) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(hostHas(PAIR_N), "the new daemon removed " + PAIR_N + " within "
                + ContainerCli.STATE_TIMEOUT_SECONDS + " s without being asked anything");
        Result ls = run(true, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        assertTrue(Pattern.compile("(?m)^n\\s+STOPPED\\s*$").matcher(ls.out()).find(), ls.toString());
    }

    @Test
    void aNewDaemonStopsAContainerThatOutlivedItsKilledDaemonAndRemovesItsVeth() throws Exception {
        long first = daemon.start();
        String name = "r";
        create(name, "lxc.net.0.veth.pair = " + PAIR + "\n");
        devices.add(PAIR);
        run(true, "lxc-start", "-n", name, "-P", cli.lxcpath.toString()).assertSuccess();
        long init = initPid(name);
        long monitor = ContainerCli.parentOf(init);
        assertEquals(PAIR, hostSide(name));
        assertTrue(host("ip -o link show " + PAIR).contains("master " + BRIDGE), "on the bridge");

        pin(NS_R, init);
        daemon.kill();
        assertTrue(ProcessHandle.of(monitor).map(ProcessHandle::isAlive).orElse(false), "the monitor outlives it");
        assertTrue(hostHas(PAIR), "a running container keeps its veth");

        long second = daemon.start();
        assertNotEquals(first, second, "a new daemon");
        Result ls = run(true, "lxc-ls", "-f", "-F", "NAME,STATE,PID", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^r\\s+RUNNING\\s+" + init + "\\s*$").matcher(ls.out()).find(), ls.toString());
        assertTrue(hostHas(PAIR), "reconciling a running container leaves its veth alone");

        Result stop = run(true, "lxc-stop", "-n", name, "-P", cli.lxcpath.toString(), "-k");
        assertEquals(0, stop.status(), stop.toString());
        assertFalse(hostHas(PAIR), "the host side " + PAIR + " is removed by the stop through the new daemon");
        Result after = run(true, "lxc-ls", "-f", "-F", "NAME,STATE", "-P", cli.lxcpath.toString());
        assertTrue(Pattern.compile("(?m)^r\\s+STOPPED\\s*$").matcher(after.out()).find(), after.toString());
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
        Matcher m = LINK.matcher(info.out());
        assertTrue(m.find(), "a Link line: " + info);
        return m.group(1);
    }

    /** The init PID {@code lxc-info} reports for a RUNNING container. */
    private static long initPid(String name) throws Exception {
        Result info = info(name);
        assertTrue(Pattern.compile("(?m)^State:\\s+RUNNING$").matcher(info.out()).find(), "RUNNING: " + info);
        Matcher m = PID.matcher(info.out());
        assertTrue(m.find(), "a PID line: " + info);
        return Long.parseLong(m.group(1));
    }

    private static Result info(String name) throws Exception {
        Result info = run(true, "lxc-info", "-n", name, "-P", cli.lxcpath.toString());
        info.assertSuccess();
        return info;
    }

    /** {@code bin/lxj shutdown} when a daemon listens, then SIGKILL to a daemon that is still there. */
    private static void shutdownDaemon() throws Exception {
        if (daemon != null) {
            daemon.shutdown();
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
     * {@code bin/lxj ARGS} with the private socket and pid file: through the daemon when {@code viaDaemon} and one
     * listens, else in a runtime of its own ({@code LXJ_NO_DAEMON=1}).
     */
    private static Result run(boolean viaDaemon, String... args) throws IOException, InterruptedException {
        return viaDaemon ? daemon.run(args) : daemon.runAlone(args);
    }
}
