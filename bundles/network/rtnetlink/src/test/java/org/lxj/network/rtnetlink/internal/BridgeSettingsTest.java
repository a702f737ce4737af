package org.lxj.network.rtnetlink.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;

class BridgeSettingsTest {
    @TempDir
    Path tmp;

    @Test
    void missingFileGivesLxcDefaults() {
        BridgeSettings s = BridgeSettings.load(tmp.resolve("none.conf"));
        assertEquals("lxcbr0", s.name());
        assertEquals("10.0.3.1", s.address().getHostAddress());
        assertEquals(24, s.prefixLength());
        assertEquals("10.0.3.0/24", s.network());
        assertTrue(s.nat());
        assertEquals("10.0.3.2,10.0.3.254", s.dhcpRange());
    }

    @Test
    void readsLxcNetKeys() throws Exception {
        Path f = tmp.resolve("lxj-net.conf");
        Files.writeString(f, "# comment\nUSE_LXC_BRIDGE=\"true\"\nLXC_BRIDGE=\"lxjtbr1\"\nLXC_ADDR=\"10.213.9.1\"\n"
                + "LXC_NETMASK=\"255.255.255.128\"\nLXC_DHCP_RANGE=\"10.213.9.2,10.213.9.100\"\nLXC_DHCP_MAX=\"99\"\n"
                + "LXJ_NAT=\"false\"\nOTHER=1\n");
        BridgeSettings s = BridgeSettings.load(f);
        assertEquals("lxjtbr1", s.name());
        assertEquals(25, s.prefixLength());
        assertEquals("10.213.9.0/25", s.network());
        assertFalse(s.nat());
        assertEquals(99, s.dhcpMax());
        ManagedBridge m = new ManagedBridge(null, s, tmp);
        assertEquals("lxj_lxjtbr1", m.table());
        assertTrue(m.manages("lxjtbr1"));
        assertFalse(m.manages("br0"));
    }

    @Test
    void disabledBridgeIsNotMadeOnDemand() {
        BridgeSettings s = BridgeSettings.parse(tmp.resolve("c"), "USE_LXC_BRIDGE=false\n");
        assertFalse(new ManagedBridge(null, s, tmp).manages("lxcbr0"));
    }

    @Test
    void natRulesOnlyNameTheBridgeTable() {
        BridgeSettings s = BridgeSettings.parse(tmp.resolve("c"), "LXC_BRIDGE=lxjt-br\nLXC_ADDR=10.213.4.1\n");
        String rules = new ManagedBridge(null, s, tmp).rules();
        assertTrue(rules.startsWith("table ip lxj_lxjt_br {"), rules);
        assertTrue(rules.contains("ip saddr 10.213.4.0/24 ip daddr != 10.213.4.0/24 counter masquerade"), rules);
        assertTrue(rules.contains("iifname \"lxjt-br\" accept"), rules);
    }

    @Test
    void badValuesNameTheKeyAndLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> BridgeSettings.parse(tmp.resolve("c"), "LXC_BRIDGE=x\nLXC_NETMASK=255.0.255.0\n"));
        assertTrue(e.getMessage().contains("Invalid netmask \"255.0.255.0\""), e.getMessage());
        assertThrows(ConfigException.class, () -> BridgeSettings.parse(tmp.resolve("c"), "LXC_ADDR=10.1.2\n"));
        assertThrows(ConfigException.class, () -> BridgeSettings.parse(tmp.resolve("c"), "LXC_DHCP_RANGE=10.0.3.2\n"));
        assertThrows(ConfigException.class,
                () -> BridgeSettings.parse(tmp.resolve("c"), "LXC_BRIDGE=a-name-far-too-long\n"));
    }

    @Test
    void aBadFileLeavesTheBridgeOff() throws Exception {
        Path f = tmp.resolve("bad.conf");
        Files.writeString(f, "LXC_ADDR=\"nonsense\"\n");
        assertFalse(BridgeCommand.settings(f).enabled());
        assertTrue(BridgeCommand.settings(tmp.resolve("missing.conf")).enabled());
    }

    @Test
    void confFileFollowsTheProperties() {
        assertEquals(Path.of("/x/net.conf"), BridgeCommand.confFile("/x/net.conf", "/y/lxj.conf"));
        assertEquals(Path.of("/y/lxj-net.conf"), BridgeCommand.confFile(null, "/y/lxj.conf"));
        assertEquals(Path.of("/etc/lxj/lxj-net.conf"), BridgeCommand.confFile(null, null));
    }
}
