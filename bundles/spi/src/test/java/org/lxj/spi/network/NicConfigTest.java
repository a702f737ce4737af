package org.lxj.spi.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.spi.TestConfig;

class NicConfigTest {

    @Test
    void groupsKeysByIndex() {
        TestConfig config = new TestConfig("lxc.net.1.type = empty", "lxc.net.0.type = veth",
                "lxc.net.0.link = lxcbr0", "lxc.net.0.flags = up", "lxc.net.0.ipv4.address = 10.0.3.5/24",
                "lxc.net.0.ipv4.address = 10.0.4.5/24", "lxc.uts.name = c1");
        List<NicConfig> nics = NicConfig.fromConfig(config);
        assertEquals(2, nics.size());
        NicConfig veth = nics.get(0);
        assertEquals(0, veth.index());
        assertEquals("veth", veth.type());
        assertEquals(Optional.of("lxcbr0"), veth.link());
        assertTrue(veth.up());
        assertEquals(List.of("10.0.3.5/24", "10.0.4.5/24"), veth.values("ipv4.address"));
        assertFalse(veth.properties().containsKey("type"));
        assertEquals("empty", nics.get(1).type());
        assertFalse(nics.get(1).up());
        assertEquals(Optional.empty(), nics.get(1).name());
    }

    @Test
    void interfaceWithoutTypeIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> NicConfig.fromConfig(new TestConfig(
                "lxc.uts.name = c1", "lxc.net.0.link = br0")));
        assertEquals(2, e.line());
    }

    @Test
    void badIndexIsAnError() {
        assertThrows(ConfigException.class, () -> NicConfig.fromConfig(new TestConfig("lxc.net.x.type = veth")));
        assertThrows(ConfigException.class, () -> NicConfig.fromConfig(new TestConfig("lxc.net.0 = veth")));
    }

    @Test
    void totals() {
        assertEquals(30, new NicStats(10, 20).totalBytes());
    }
}
