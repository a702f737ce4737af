package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * Containers with real interfaces, through {@code bin/lxj}. The host side is a test bridge {@code lxjtbr7} without
 * any address and a test network namespace {@code lxjtns7} plugged into it (10.97.0.100, fd97::100): no address or
 * route of the host is touched. Two veth containers ping each other over IPv4 and IPv6, a busybox httpd inside one
 * answers from the test namespace, the MAC template is kept in the config at create, a stop leaves no device, and a
 * phys device comes back after its container's monitor was killed with SIGKILL.
 */
class NetworkIT {
    private static final String BRIDGE = "lxjtbr7";
    private static final String NS = "lxjtns7";
    private static ContainerCli cli;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-net-");
        host("ip link add " + BRIDGE + " type bridge && ip link set " + BRIDGE + " up");
        host("ip netns add " + NS + " && ip link add lxjth7 type veth peer name lxjth7p"
                + " && ip link set lxjth7p netns " + NS + " && ip link set lxjth7 master " + BRIDGE + " up"
                + " && ip -n " + NS + " addr add 10.97.0.100/24 dev lxjth7p"
                + " && ip -n " + NS + " addr add fd97::100/64 dev lxjth7p nodad"
                + " && ip -n " + NS + " link set lxjth7p up && ip -n " + NS + " link set lo up");
        Path conf = Files.createTempFile("lxj-it-net-", ".conf");
        Files.writeString(conf, "lxc.net.0.type = veth\nlxc.net.0.link = " + BRIDGE + "\nlxc.net.0.flags = up\n"
                + "lxc.net.0.name = eth0\nlxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n");
        for (String c : List.of("a", "b")) {
            cli.lxc("lxc-create", c, "-t", "busybox", "-f", conf.toString()).assertSuccess();
            withoutDhcp(c);
            int n = c.equals("a") ? 2 : 3;
            append(c, "lxc.net.0.veth.pair = lxjtv" + c + "7\nlxc.net.0.ipv4.address = 10.97.0." + n + "/24\n"
                    + "lxc.net.0.ipv6.address = fd97::" + n + "/64\nlxc.net.0.ipv4.gateway = 10.97.0.100\n");
            cli.lxc("lxc-start", c).assertSuccess();
            cli.initPid(c);
        }
        Files.delete(conf);
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (cli == null) {
            return;
        }
        try {
            assertEquals(List.of(), cli.destroyAll(), "cleanup of " + cli.lxcpath);
        } finally {
            for (String dev : List.of("lxjtphy7", "lxjtva7", "lxjtvb7", "lxjth7", BRIDGE)) {
                run("ip link del " + dev);
            }
            run("ip netns del " + NS);
        }
    }

    /**
     * The busybox template's {@code rcS} runs {@code udhcpc}, which deconfigures eth0 (as it does under LXC): these
     * containers have static addresses, so it goes.
     */
    private static void withoutDhcp(String c) throws IOException {
        Path rcs = cli.lxcpath.resolve(c).resolve("rootfs/etc/init.d/rcS");
        List<String> lines = Files.readAllLines(rcs).stream().filter(l -> !l.contains("udhcpc")).toList();
        Files.write(rcs, lines);
    }

    private static void append(String c, String lines) throws IOException {
        Files.writeString(cli.lxcpath.resolve(c).resolve("config"), lines, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
    }

    private static int run(String script) throws IOException, InterruptedException {
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

    private static boolean hostHas(String dev) throws IOException, InterruptedException {
        return run("ip link show " + dev) == 0;
    }

    @Test
    void twoContainersOnTheBridgePingEachOtherOverIpv4AndIpv6() throws Exception {
        cli.sh("a", "ping -c 1 -W 5 10.97.0.3");
        cli.sh("b", "ping -c 1 -W 5 fd97::2");
        assertTrue(host("ip -o link show lxjtva7").contains("master " + BRIDGE));
        String route = cli.sh("a", "ip -4 route show default");
        assertTrue(route.contains("via 10.97.0.100 dev eth0"), route);
    }

    @Test
    void lxcInfoAndLxcLsShowAddressesAndTheHostSide() throws Exception {
        cli.sh("a", "ping -c 1 -W 5 10.97.0.100");
        Result info = cli.lxc("lxc-info", "a");
        info.assertSuccess();
        String out = info.out();
        assertTrue(Pattern.compile("(?m)^IP:\\s+10\\.97\\.0\\.2$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^IP:\\s+fd97::2$").matcher(out).find(), out);
        assertTrue(Pattern.compile("(?m)^Link:\\s+lxjtva7$").matcher(out).find(), out);
        Matcher tx = Pattern.compile("(?m)^ TX bytes:\\s+(\\S.*)$").matcher(out);
        assertTrue(tx.find(), out);
        assertTrue(Pattern.compile("(?m)^ Total bytes:\\s+\\S").matcher(out).find(), out);
        assertTrue(out.indexOf("IP:") < out.indexOf("Link:"), out);
        Result ls = cli.run("lxc-ls", "-f", "-F", "NAME,IPV4,IPV6", "-P", cli.lxcpath.toString());
        ls.assertSuccess();
        assertTrue(Pattern.compile("(?m)^a\\s+10\\.97\\.0\\.2\\s+fd97::2\\s*$").matcher(ls.out()).find(), ls.toString());
    }

    @Test
    void httpdInsideAnswersFromATestNamespaceThroughTheBridge() throws Exception {
        cli.sh("a", "mkdir -p /tmp/www && echo hello-lxj > /tmp/www/index.html && httpd -p 8097 -h /tmp/www");
        String page = host("ip netns exec " + NS + " curl -s --max-time 5 http://10.97.0.2:8097/index.html");
        assertEquals("hello-lxj", page.trim());
    }

    @Test
    void theHwaddrTemplateIsExpandedAtCreateAndKept() throws Exception {
        String config = Files.readString(cli.lxcpath.resolve("a").resolve("config"));
        Matcher m = Pattern.compile("(?m)^lxc\\.net\\.0\\.hwaddr = (00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2})$")
                .matcher(config);
        assertTrue(m.find(), config);
        assertEquals(m.group(1), cli.sh("a", "cat /sys/class/net/eth0/address").trim());
    }

    @Test
    void aStopLeavesNoDeviceAndAPhysComesBackAfterItsMonitorWasKilled() throws Exception {
        cli.lxc("lxc-create", "s", "-t", "busybox").assertSuccess();
        append("s", "lxc.net.0.type = veth\nlxc.net.0.link = " + BRIDGE + "\nlxc.net.0.veth.pair = lxjtvs7\n");
        cli.lxc("lxc-start", "s").assertSuccess();
        cli.initPid("s");
        assertTrue(hostHas("lxjtvs7"));
        Result stop = cli.lxc("lxc-stop", "s", "-t", "30");
        assertEquals(0, stop.status(), stop.toString());
        assertFalse(hostHas("lxjtvs7"), "the host side of the stopped container's veth is gone");

        // a virtual device (a veth end) as phys: it would die with the namespace if it were not given back
        host("ip link add lxjtphy7 type veth peer name lxjtphy7p");
        cli.lxc("lxc-create", "p", "-t", "busybox").assertSuccess();
        append("p", "lxc.net.0.type = phys\nlxc.net.0.link = lxjtphy7\nlxc.net.0.name = eth5\nlxc.net.0.flags = up\n");
        cli.lxc("lxc-start", "p").assertSuccess();
        long init = cli.initPid("p");
        assertFalse(hostHas("lxjtphy7"), "moved into the container");
        assertTrue(cli.sh("p", "ip -o link show eth5").contains("eth5"));
        long monitor = ContainerCli.parentOf(init);
        ProcessHandle handle = ProcessHandle.of(monitor).orElseThrow();
        assertTrue(handle.destroyForcibly(), "SIGKILL to monitor " + monitor);
        handle.onExit().get(ContainerCli.STATE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        Result info = cli.lxc("lxc-info", "p");
        info.assertSuccess();
        assertTrue(Pattern.compile("(?m)^State:\\s+STOPPED$").matcher(info.out()).find(), info.toString());
        assertTrue(hostHas("lxjtphy7"), "the phys device is back on the host after a runtime reconciled");
        assertFalse(Files.exists(Path.of("/run/lxj/netns/lxjtphy7")), "its namespace is no longer pinned");
    }
}
