package org.lxj.network.rtnetlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.PreparedNic;

/**
 * The managed bridge against the real kernel, nft and dnsmasq, root only. The "host" is a network namespace this test
 * made (the bridge, its nftables table and dnsmasq live there and go with it); NAT is checked towards another
 * namespace the test made, which has no route back to the bridge's network, so only masqueraded packets get an
 * answer.
 */
class ManagedBridgeRootTest {
    private static final String BRIDGE = "lxjtbr7";

    @TempDir
    Path tmp;

    private TestNet net;
    private ManagedBridge bridge;
    private final JnaSyscalls sys = new JnaSyscalls();

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/nft")), "needs nft for the bridge's NAT");
        net = new TestNet(sys);
        BridgeSettings s = BridgeSettings.parse(tmp.resolve("lxj-net.conf"), "LXC_BRIDGE=\"" + BRIDGE + "\"\n"
                + "LXC_ADDR=\"10.213.7.1\"\nLXC_NETMASK=\"255.255.255.0\"\n"
                + "LXC_DHCP_RANGE=\"10.213.7.50,10.213.7.60\"\nLXJ_NAT=\"true\"\n");
        bridge = new ManagedBridge(sys, s, tmp.resolve("run"));
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            try {
                net.onHost(() -> {
                    bridge.down();
                    return null;
                });
            } finally {
                net.close();
            }
        }
    }

    @Test
    void firstVethContainerMakesTheBridgeWithNatAndDownRemovesAll() throws Exception {
        NetnsHandle outside = net.container();
        int outsidePid = outside.pid();
        net.shOnHost("ip link add lxjtout0 type veth peer name eth0 netns " + outsidePid
                + " && ip addr add 10.213.8.1/24 dev lxjtout0 && ip link set lxjtout0 up");
        TestNet.shIn(outside, "ip addr add 10.213.8.2/24 dev eth0 && ip link set eth0 up && ip link set lo up");

        Map<String, String> k = new LinkedHashMap<>();
        k.put("lxc.net.0.type", "veth");
        k.put("lxc.net.0.link", BRIDGE);
        k.put("lxc.net.0.veth.pair", "lxjtc0");
        k.put("lxc.net.0.flags", "up");
        k.put("lxc.net.0.ipv4.address", "10.213.7.2/24");
        k.put("lxc.net.0.ipv4.gateway", "auto");
        Path dir = Files.createDirectories(tmp.resolve("c1"));
        ContainerContext ctx = TestNet.context("c1", dir, k);
        VethBackend veth = new VethBackend(sys, Optional.of(bridge));
        NetnsHandle c = net.container();
        PreparedNic p = net.onHost(() -> veth.prepareHost(ctx, TestNet.nic(ctx, 0)));
        net.onHost(() -> {
            veth.configure(ctx, TestNet.nic(ctx, 0), p, c);
            return null;
        });

        assertTrue(net.onHost(bridge::isUp));
        assertTrue(net.shOnHost("ip -o link show lxjtc0").contains("master " + BRIDGE));
        String table = net.shOnHost("nft list table ip lxj_" + BRIDGE);
        assertTrue(table.contains("masquerade"), table);
        assertEquals(0, TestNet.statusIn(c, "busybox ping -c 1 -W 5 10.213.8.2"),
                "the outside namespace answers only masqueraded packets");
        assertTrue(net.shOnHost("nft list table ip lxj_" + BRIDGE).matches("(?s).*counter packets [1-9].*masquerade.*"));
        boolean dhcp = Files.isExecutable(Path.of("/usr/sbin/dnsmasq"));
        if (dhcp) {
            assertTrue(Files.exists(bridge.pidFile()), "dnsmasq serves the DHCP range");
        }
        int dnsmasqPid = dhcp ? Integer.parseInt(Files.readString(bridge.pidFile()).strip()) : -1;

        // a second container finds the bridge made
        net.onHost(() -> {
            veth.teardown(p);
            return null;
        });
        net.onHost(() -> {
            bridge.down();
            return null;
        });
        assertFalse(net.onHost(bridge::isUp));
        assertFalse(net.shOnHost("nft list tables").contains("lxj_" + BRIDGE));
        assertFalse(Files.exists(bridge.pidFile()));
        if (dhcp) {
            assertTrue(ProcessHandle.of(dnsmasqPid).map(h -> !h.isAlive()).orElse(true), "dnsmasq stopped");
        }
        net.stop(c);
    }

    @Test
    void downWithNothingMadeIsQuiet() {
        net.onHost(() -> {
            bridge.down();
            return null;
        });
        assertFalse(net.onHost(bridge::isUp));
    }
}
