package org.lxj.network.rtnetlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.linux.Errno;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.linux.netlink.NetlinkException;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.PreparedNic;

/**
 * The backends against the real kernel, root only. The "host" is a network namespace this test made, the
 * containers are namespaces held by {@code unshare -n sleep}: the real host's network is never touched.
 */
class NetworkBackendsRootTest {
    @TempDir
    Path tmp;

    private TestNet net;
    private final JnaSyscalls sys = new JnaSyscalls();

    @BeforeEach
    void setUp() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        net = new TestNet(sys);
    }

    @AfterEach
    void tearDown() {
        if (net != null) {
            net.close();
        }
    }

    private void host(String name, String kind) {
        net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                s.apply(RtRequests.newLink(name, kind, 0, null));
                s.apply(new RtRequests.LinkChange(s.require(name).index(), name).up(true));
            }
            return null;
        });
    }

    /** Whether this kernel has link kind {@code kind} (this host's has no dummy, vlan or ipvlan). */
    private boolean kernelHas(String kind, String parent) {
        return net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                int p = parent == null ? 0 : s.require(parent).index();
                s.apply(RtRequests.newLink("lxjtprobe", kind, p, kind.equals("vlan") ? b -> b.u16(1, 7) : null));
                s.apply(RtRequests.deleteLink("lxjtprobe"));
                return true;
            } catch (NetlinkException e) {
                if (e.is(Errno.EOPNOTSUPP)) {
                    return false;
                }
                throw e;
            }
        });
    }

    private boolean hostHas(String name) {
        return net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                return s.link(name).isPresent();
            }
        });
    }

    private ContainerContext ctx(String name, Map<String, String> keys) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        return TestNet.context(name, dir, keys);
    }

    private PreparedNic start(NetworkBackend b, ContainerContext c, NetnsHandle ns) {
        return net.onHost(() -> {
            PreparedNic p = b.prepareHost(c, TestNet.nic(c, 0));
            b.configure(c, TestNet.nic(c, 0), p, ns);
            return p;
        });
    }

    private void teardown(NetworkBackend b, PreparedNic p) {
        net.onHost(() -> {
            b.teardown(p);
            return null;
        });
    }

    @Test
    void twoVethContainersOnABridgePingOverIpv4AndIpv6() throws Exception {
        host("lxjtbr0", "bridge");
        net.shOnHost("ip addr add 10.77.0.1/24 dev lxjtbr0");
        VethBackend veth = new VethBackend(sys);
        NetnsHandle a = net.container();
        NetnsHandle b = net.container();
        Map<String, String> ka = TestNet.nic0("type", "veth", "link", "lxjtbr0", "flags", "up", "name", "eth0",
                "veth.pair", "lxjtva", "hwaddr", "00:16:3e:xx:xx:xx", "mtu", "1400", "ipv4.address", "10.77.0.2/24",
                "ipv4.gateway", "auto", "ipv6.address", "fd77::2/64");
        Map<String, String> kb = new LinkedHashMap<>(ka);
        kb.put("lxc.net.0.veth.pair", "lxjtvb");
        kb.put("lxc.net.0.ipv4.address", "10.77.0.3/24");
        kb.put("lxc.net.0.ipv6.address", "fd77::3/64");
        kb.put("lxc.net.0.ipv4.gateway", "10.77.0.1");
        PreparedNic pa = start(veth, ctx("a", ka), a);
        PreparedNic pb = start(veth, ctx("b", kb), b);
        assertEquals("lxjtva", pa.hostInterface());

        String link = TestNet.shIn(a, "ip -o link show eth0");
        assertTrue(link.contains("mtu 1400"), link);
        assertTrue(link.matches("(?s).*link/ether 00:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2} .*"), link);
        assertTrue(TestNet.shIn(a, "ip -4 route show default").contains("via 10.77.0.1 dev eth0"));
        assertTrue(TestNet.shIn(b, "ip -4 route show default").contains("via 10.77.0.1 dev eth0"));
        assertTrue(net.shOnHost("ip -o link show lxjtva").contains("master lxjtbr0"));
        assertEquals(0, TestNet.statusIn(a, "busybox ping -c 1 -W 5 10.77.0.3"));
        assertEquals(0, TestNet.statusIn(b, "busybox ping -c 1 -W 5 fd77::2"));
        assertTrue(net.onHost(() -> veth.stats(pa)).orElseThrow().totalBytes() > 0);

        teardown(veth, pa);
        teardown(veth, pb);
        assertFalse(hostHas("lxjtva"));
        assertFalse(hostHas("lxjtvb"));
    }

    @Test
    void routerModeRoutesTheContainerAddressThroughTheHostSide() throws Exception {
        VethBackend veth = new VethBackend(sys);
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "veth", "veth.mode", "router", "veth.pair", "lxjtvr",
                "flags", "up", "ipv4.address", "10.78.0.2/32", "ipv4.gateway", "dev",
                "veth.ipv4.route", "10.79.0.0/16");
        PreparedNic p = start(veth, ctx("r", k), a);
        String routes = net.shOnHost("ip -4 route show dev lxjtvr");
        assertTrue(routes.contains("10.78.0.2 scope link"), routes);
        assertTrue(routes.contains("10.79.0.0/16 scope link"), routes);
        assertTrue(TestNet.shIn(a, "ip -4 route show default").contains("default dev eth0"));
        teardown(veth, p);
        assertFalse(hostHas("lxjtvr"));
    }

    @Test
    void macvlanAndVlanOnAParentDevice() throws Exception {
        // a bridge as the parent: this kernel has no dummy driver
        host("lxjtdum0", "bridge");
        NetnsHandle a = net.container();
        NetnsHandle b = net.container();
        Map<String, String> km = TestNet.nic0("type", "macvlan", "link", "lxjtdum0", "macvlan.mode", "bridge",
                "flags", "up", "name", "mv0", "ipv4.address", "10.80.0.2/24");
        PreparedNic pm = start(new MacvlanBackend(sys), ctx("m", km), a);
        String mv = TestNet.shIn(a, "ip -d -o link show mv0; ip -4 -o addr show mv0");
        assertTrue(mv.contains("macvlan mode bridge"), mv);
        assertTrue(mv.contains("10.80.0.2/24 brd 10.80.0.255"), mv);

        net.stop(a);
        teardown(new MacvlanBackend(sys), pm);
        assertFalse(hostHas(pm.transitName()));
        assertTrue(hostHas("lxjtdum0"));
        Assumptions.assumeTrue(kernelHas("vlan", "lxjtdum0"), "the kernel has no 802.1Q (vlan) driver");
        Map<String, String> kv = TestNet.nic0("type", "vlan", "link", "lxjtdum0", "vlan.id", "42", "name", "vl0");
        PreparedNic pv = start(new VlanBackend(sys), ctx("v", kv), b);
        String vl = TestNet.shIn(b, "ip -d -o link show vl0");
        assertTrue(vl.contains("vlan protocol 802.1Q id 42"), vl);
        assertTrue(vl.contains("state DOWN"), vl);

        net.stop(b);
        teardown(new VlanBackend(sys), pv);
        assertFalse(hostHas(pv.transitName()));
        assertTrue(hostHas("lxjtdum0"));
    }

    @Test
    void ipvlanWithModeAndIsolation() throws Exception {
        host("lxjtdum1", "bridge");
        Assumptions.assumeTrue(kernelHas("ipvlan", "lxjtdum1"), "the kernel has no ipvlan driver");
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "ipvlan", "link", "lxjtdum1", "ipvlan.mode", "l2",
                "ipvlan.isolation", "private", "name", "ipv0");
        start(new IpvlanBackend(sys), ctx("i", k), a);
        String d = TestNet.shIn(a, "ip -d -o link show ipv0");
        assertTrue(d.contains("ipvlan  mode l2 private") || d.contains("ipvlan mode l2 private"), d);
    }

    @Test
    void physMovesAVirtualDeviceInAndBack() throws Exception {
        // one end of a veth pair: virtual like a dummy (which this kernel lacks), so it would die with the
        // container's namespace if the backend did not pin it and give it back
        net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                s.apply(RtRequests.newVeth("lxjtphys0", "lxjtphys1"));
            }
            return null;
        });
        Path pins = tmp.resolve("pins");
        PhysBackend phys = new PhysBackend(sys, pins);
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "phys", "link", "lxjtphys0", "name", "eth1", "flags", "up",
                "mtu", "1400", "hwaddr", "02:16:3e:11:22:33");
        var before = net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                return s.require("lxjtphys0");
            }
        });
        PreparedNic p = start(phys, ctx("p", k), a);
        String inside = TestNet.shIn(a, "ip -o link show eth1");
        assertTrue(inside.contains("mtu 1400") && inside.contains("02:16:3e:11:22:33"), inside);
        assertFalse(hostHas("lxjtphys0"));
        assertTrue(TestNet.shIn(a, "ip -o link show eth1").contains("UP"));
        net.stop(a);
        teardown(phys, p);
        assertTrue(hostHas("lxjtphys0"));
        assertFalse(Files.exists(pins.resolve("lxjtphys0")));
        assertFalse(Files.exists(pins.resolve("lxjtphys0.orig")));
        var after = net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                return s.require("lxjtphys0");
            }
        });
        assertEquals(before.mtu(), after.mtu(), "MTU given back");
        assertEquals(before.address(), after.address(), "MAC given back");
    }

    @Test
    void aPinWhoseContainerIsGoneIsSweptAndOneInUseStays() throws Exception {
        net.onHost(() -> {
            try (RouteSocket s = new RouteSocket(sys)) {
                s.apply(RtRequests.newVeth("lxjtphys2", "lxjtphys3"));
                s.apply(RtRequests.newVeth("lxjtphys4", "lxjtphys5"));
            }
            return null;
        });
        Path pins = tmp.resolve("pins");
        PhysBackend phys = new PhysBackend(sys, pins);
        NetnsHandle gone = net.container();
        NetnsHandle running = net.container();
        Map<String, String> k = TestNet.nic0("type", "phys", "link", "lxjtphys2", "name", "eth7");
        start(phys, ctx("g", k), gone);
        k.put("lxc.net.0.link", "lxjtphys4");
        PreparedNic kept = start(phys, ctx("r", k), running);
        net.stop(gone);
        // a new runtime: no teardown ran for "g"
        assertEquals(java.util.List.of("lxjtphys2"), net.onHost(() -> new PhysBackend(sys, pins).sweep()));
        assertTrue(hostHas("lxjtphys2"));
        assertFalse(Files.exists(pins.resolve("lxjtphys2")));
        assertFalse(hostHas("lxjtphys4"));
        assertTrue(Files.exists(pins.resolve("lxjtphys4")));
        net.stop(running);
        teardown(phys, kept);
        assertTrue(hostHas("lxjtphys4"));
    }

    @Test
    void vethVlanIdsGoToTheBridgePort() throws Exception {
        host("lxjtbr3", "bridge");
        Assumptions.assumeTrue(vlanFiltering("lxjtbr3"), "the kernel has no bridge VLAN filtering");
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "veth", "link", "lxjtbr3", "veth.pair", "lxjtv0",
                "veth.vlan.id", "10", "veth.vlan.tagged.id", "20");
        ContainerContext c = ctx("v", k);
        start(new VethBackend(sys), c, a);
        String vlans = net.shOnHost("bridge -d vlan show dev lxjtv0");
        assertTrue(vlans.matches("(?s).*\\b10 PVID Egress Untagged.*"), vlans);
        assertTrue(vlans.matches("(?s).*\\b20\\s*\\n.*"), vlans);
        assertFalse(vlans.matches("(?s).*\\s1( PVID)?\\s.*"), vlans);
    }

    private boolean vlanFiltering(String bridge) {
        try {
            net.shOnHost("ip link set " + bridge + " type bridge vlan_filtering 1");
            return true;
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage().contains("Operation not supported"), e.getMessage());
            return false;
        }
    }

    @Test
    void vlanIdsWithoutKernelSupportFailTheStartAndLeaveNothing() throws Exception {
        host("lxjtbr4", "bridge");
        Assumptions.assumeFalse(vlanFiltering("lxjtbr4"), "the kernel has bridge VLAN filtering");
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "veth", "link", "lxjtbr4", "veth.pair", "lxjtv2",
                "veth.vlan.id", "10");
        ContainerContext c = ctx("x", k);
        org.lxj.spi.backend.BackendException e = assertThrows(org.lxj.spi.backend.BackendException.class,
                () -> start(new VethBackend(sys), c, a));
        assertTrue(e.getMessage().contains("Failed to add VLAN 10 (PVID, untagged) to bridge port"), e.getMessage());
        assertTrue(e.getMessage().contains("EOPNOTSUPP"), e.getMessage());
        assertFalse(hostHas("lxjtv2"));
    }

    @Test
    void invalidVlanIdsAreRefusedBeforeAnythingIsMade() throws Exception {
        Map<String, String> k = TestNet.nic0("type", "veth", "link", "lxjtbr5");
        host("lxjtbr5", "bridge");
        Map<String, String> bad = new LinkedHashMap<>(k);
        bad.put("lxc.net.0.veth.pair", "lxjtv1");
        bad.put("lxc.net.0.veth.vlan.id", "4095");
        ContainerContext b = ctx("w", bad);
        ConfigException e = assertThrows(ConfigException.class,
                () -> net.onHost(() -> new VethBackend(sys).prepareHost(b, TestNet.nic(b, 0))));
        assertTrue(e.getMessage().contains("Invalid VLAN id \"4095\""), e.getMessage());
    }

    @Test
    void scriptUpGetsLxcVariables() throws Exception {
        host("lxjtbr1", "bridge");
        Path out = tmp.resolve("script.out");
        Path script = tmp.resolve("up.sh");
        Files.writeString(script, "#!/bin/sh\n{ echo \"args=$*\"; env | grep '^LXC_' | sort; } > " + out + "\n");
        script.toFile().setExecutable(true);
        NetnsHandle a = net.container();
        Map<String, String> k = TestNet.nic0("type", "veth", "link", "lxjtbr1", "veth.pair", "lxjtvs",
                "script.up", script.toString());
        start(new VethBackend(sys), ctx("s", k), a);
        String got = Files.readString(out);
        assertTrue(got.contains("args=s net up veth lxjtvs"), got);
        assertTrue(got.contains("LXC_HOOK_SECTION=net"), got);
        assertTrue(got.contains("LXC_HOOK_TYPE=up"), got);
        assertTrue(got.contains("LXC_NAME=s"), got);
        assertTrue(got.contains("LXC_NET_PARENT=lxjtbr1"), got);
        assertTrue(got.contains("LXC_NET_PEER=lxjtvs"), got);
        assertTrue(got.contains("LXC_NET_TYPE=veth"), got);
    }

    @Test
    void badValuesNameTheKeyAndPrepareNothing() throws Exception {
        host("lxjtbr2", "bridge");
        Map<String, String> k = TestNet.nic0("type", "veth", "link", "lxjtbr2", "veth.pair", "lxjtvx",
                "ipv4.address", "10.1.2.300/24");
        ContainerContext c = ctx("x", k);
        ConfigException e = assertThrows(ConfigException.class,
                () -> net.onHost(() -> new VethBackend(sys).prepareHost(c, TestNet.nic(c, 0))));
        assertTrue(e.getMessage().contains("Invalid IPv4 address \"10.1.2.300\""), e.getMessage());
        assertFalse(hostHas("lxjtvx"));
    }
}
