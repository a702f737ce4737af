package org.lxj.core.internal.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.network.NetnsHandle;
import org.lxj.spi.network.NetworkBackend;
import org.lxj.spi.network.NetworkCapability;
import org.lxj.spi.network.NicConfig;
import org.lxj.spi.network.PreparedNic;

class NetworkSetupTest {
    @TempDir
    Path tmp;

    /** A backend that records its calls and fails to prepare interfaces whose link is "bad". */
    static final class Recording implements NetworkBackend {
        final String type;
        final List<String> calls;

        Recording(String type, List<String> calls) {
            this.type = type;
            this.calls = calls;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Set<NetworkCapability> capabilities() {
            return Set.of();
        }

        @Override
        public PreparedNic prepareHost(ContainerContext context, NicConfig nic) {
            if (nic.link().orElse("").equals("bad")) {
                throw new BackendException("Failed to create veth for interface " + nic.index());
            }
            calls.add("prepare " + nic.index());
            return new PreparedNic(nic.index(), type, "h" + nic.index(), "t" + nic.index(), "eth" + nic.index());
        }

        @Override
        public void configure(ContainerContext context, NicConfig nic, PreparedNic prepared, NetnsHandle netns) {
            calls.add("configure " + nic.index() + " in " + netns.pid());
        }

        @Override
        public void teardown(PreparedNic prepared) {
            calls.add("teardown " + prepared.index());
        }
    }

    private ContainerContext ctx(String text) throws Exception {
        Path file = tmp.resolve("config");
        Files.writeString(file, text);
        ContainerConfig config = new ConfigParser().parse(text, file);
        HostFacts facts = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(), false,
                Set.of(), 0);
        return new ContainerContext("c", tmp, config, tmp, tmp.resolve("rootfs"), facts);
    }

    private static NetnsHandle fakeNs(int pid) {
        return new NetnsHandle() {
            @Override
            public int pid() {
                return pid;
            }

            @Override
            public Path namespaceFile() {
                return Path.of("/proc/" + pid + "/ns/net");
            }

            @Override
            public <T> T call(Supplier<T> task) {
                return task.get();
            }
        };
    }

    @Test
    void preparesConfiguresRecordsAndReleases() throws Exception {
        List<String> calls = new ArrayList<>();
        NetworkSetup setup = new NetworkSetup(() -> List.of(new Recording("veth", calls)), NetworkSetupTest::fakeNs);
        ContainerContext c = ctx("lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.1.type = empty\n"
                + "lxc.net.2.type = veth\nlxc.net.2.link = br0\n");
        List<PreparedNic> nics = setup.prepare(c);
        assertEquals(2, nics.size());
        setup.record(tmp, nics);
        setup.configure(c, nics, 42);
        assertEquals(nics, NicRecord.read(tmp));
        assertTrue(setup.canRelease(tmp));
        setup.release("c", tmp);
        assertEquals(List.of("prepare 0", "prepare 2", "configure 0 in 42", "configure 2 in 42", "teardown 2",
                "teardown 0"), calls);
    }

    @Test
    void scriptDownRunsFromTheRecordWithLxcsEnvironmentBeforeTheTeardown() throws Exception {
        List<String> calls = new ArrayList<>();
        Path out = tmp.resolve("down.out");
        Path script = tmp.resolve("down.sh");
        Files.writeString(script, "#!/bin/sh\necho \"$# $1 $2 $3 $4 $5|$LXC_NAME|$LXC_HOOK_TYPE|$LXC_HOOK_SECTION"
                + "|$LXC_NET_TYPE|$LXC_NET_PARENT|$LXC_NET_PEER|$LXC_CONFIG_FILE|$LXC_HOOK_VERSION\" >> '" + out + "'\n");
        script.toFile().setExecutable(true);
        NetworkSetup setup = new NetworkSetup(() -> List.of(new Recording("veth", calls)), NetworkSetupTest::fakeNs);
        ContainerContext c = ctx("lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.0.script.down = " + script
                + "\nlxc.net.1.type = veth\nlxc.net.1.link = br1\n");
        List<PreparedNic> nics = setup.prepare(c);
        setup.record(c, tmp, nics);
        assertEquals(nics, NicRecord.read(tmp));
        // a later runtime: only the record is left
        new NetworkSetup(() -> List.of(new Recording("veth", calls)), NetworkSetupTest::fakeNs).release("c", tmp);
        assertEquals(List.of("prepare 0", "prepare 1", "teardown 1", "teardown 0"), calls);
        assertEquals("5 c net down veth h0|c|down|net|veth|br0|h0|" + tmp.resolve("c/config") + "|0\n",
                Files.readString(out));
    }

    @Test
    void recordValuesWithTabsAndNewlinesRoundTrip() {
        for (String v : List.of("plain", "a\tb", "x\ny", "back\\slash\\t")) {
            assertEquals(v, NicRecord.unescape(NicRecord.escape(v)));
        }
    }

    @Test
    void aFailedPrepareTearsDownTheOnesBefore() throws Exception {
        List<String> calls = new ArrayList<>();
        NetworkSetup setup = new NetworkSetup(() -> List.of(new Recording("veth", calls)), NetworkSetupTest::fakeNs);
        ContainerContext c = ctx("lxc.net.0.type = veth\nlxc.net.0.link = br0\n"
                + "lxc.net.1.type = veth\nlxc.net.1.link = bad\n");
        BackendException e = assertThrows(BackendException.class, () -> setup.prepare(c));
        assertEquals("Failed to create veth for interface 1", e.getMessage());
        assertEquals(List.of("prepare 0", "teardown 0"), calls);
    }

    @Test
    void aMissingBackendIsNamed() throws Exception {
        NetworkSetup setup = new NetworkSetup(List::of, NetworkSetupTest::fakeNs);
        ContainerContext c = ctx("lxc.net.0.type = macvlan\nlxc.net.0.link = eth9\n");
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> setup.prepare(c));
        assertEquals("Failed to start \"c\": no network backend \"macvlan\" is installed", e.getMessage());
        assertEquals(Set.of(), setup.types());
    }

    @Test
    void keyGateLetsThroughTheTypesOfInstalledBackends() throws Exception {
        ContainerContext c = ctx("lxc.net.0.type = veth\nlxc.net.0.link = br0\n");
        org.lxj.core.internal.plan.KeyGate.check(c.config(), List.of(), Set.of("veth"));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> org.lxj.core.internal.plan.KeyGate.check(c.config(), List.of(), Set.of("macvlan")));
        assertEquals("Config key \"lxc.net.0.type\" needs a network backend for type \"veth\", and none is installed",
                e.getMessage());
    }

    @Test
    void ipv6AddressesAreWrittenAsInetNtopWritesThem() throws Exception {
        for (String[] c : new String[][] {{"fd97::2", "fd97::2"}, {"::1", "::1"}, {"::", "::"},
            {"fe80::216:3eff:fe12:3456", "fe80::216:3eff:fe12:3456"}, {"1:0:0:2:0:0:0:3", "1:0:0:2::3"},
            {"1:0:2:0:3:0:4:0", "1:0:2:0:3:0:4:0"}, {"2001:db8::", "2001:db8::"}}) {
            assertEquals(c[1], NetworkSetup.ipv6Text(java.net.InetAddress.getByName(c[0]).getAddress()), c[0]);
        }
    }

    @Test
    void emptyAndNoneNeedNoBackend() throws Exception {
        NetworkSetup setup = NetworkSetup.none();
        assertEquals(List.of(), setup.prepare(ctx("lxc.net.0.type = empty\nlxc.net.1.type = none\n")));
    }

    @Test
    void aRecordNamingAMissingBackendCannotBeReleasedYet() throws Exception {
        NicRecord.write(tmp, List.of(new PreparedNic(0, "phys", "", "eth9", "eth1")));
        assertFalse(NetworkSetup.none().canRelease(tmp));
        assertTrue(NetworkSetup.none().canRelease(tmp.resolve("nothing-here")));
    }

    @Test
    void hwaddrTemplatesAreExpandedOnceWithAUnicastFirstByte() {
        List<String> out = HwaddrTemplate.expand(List.of("lxc.net.0.type = veth", "lxc.net.0.hwaddr = xx:16:3e:xx:xx:xx",
                "lxc.network.hwaddr = 00:16:3e:00:00:01", "# lxc.net.1.hwaddr = xx"), new Random(7));
        assertEquals("lxc.net.0.type = veth", out.get(0));
        assertTrue(out.get(1).matches("lxc\\.net\\.0\\.hwaddr = [0-9a-f][02468ace]:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}"),
                out.get(1));
        assertEquals("lxc.network.hwaddr = 00:16:3e:00:00:01", out.get(2));
        assertEquals("# lxc.net.1.hwaddr = xx", out.get(3));
        List<String> unchanged = List.of("lxc.net.0.hwaddr = 00:16:3e:aa:bb:cc");
        assertSame(unchanged.get(0), HwaddrTemplate.expand(unchanged).get(0));
    }
}
