package org.lxj.spi.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class CapabilityTest {

    @Test
    void numbersMatchTheKernel() {
        assertEquals(0, Capability.CHOWN.number());
        assertEquals(10, Capability.NET_BIND_SERVICE.number());
        assertEquals(21, Capability.SYS_ADMIN.number());
        assertEquals(27, Capability.MKNOD.number());
        assertEquals(37, Capability.AUDIT_READ.number());
        assertEquals(38, Capability.PERFMON.number());
        assertEquals(39, Capability.BPF.number());
        assertEquals(40, Capability.CHECKPOINT_RESTORE.number());
        assertEquals(41, Capability.values().length);
        assertEquals(Capability.CHECKPOINT_RESTORE, Capability.LAST);
    }

    @Test
    void namesInEveryForm() {
        assertEquals("CAP_SYS_ADMIN", Capability.SYS_ADMIN.kernelName());
        assertEquals("sys_admin", Capability.SYS_ADMIN.configName());
        for (String n : new String[] {"sys_admin", "SYS_ADMIN", "cap_sys_admin", "CAP_SYS_ADMIN", " 21 "}) {
            assertEquals(Optional.of(Capability.SYS_ADMIN), Capability.find(n), n);
        }
        assertEquals(Optional.empty(), Capability.find("41"));
        assertEquals(Optional.empty(), Capability.find("99999999999"));
        assertEquals(Optional.empty(), Capability.find("sys_bogus"));
        assertEquals(Optional.empty(), Capability.find(""));
        assertEquals("Unknown capability \"sys_bogus\"",
                assertThrows(IllegalArgumentException.class, () -> Capability.parse(" sys_bogus")).getMessage());
    }

    @Test
    void parsesLxcLists() {
        assertEquals(EnumSet.of(Capability.SYS_MODULE, Capability.MAC_ADMIN, Capability.SYS_ADMIN),
                Capability.parseList("  sys_module\tmac_admin 21 "));
        assertEquals(Set.of(), Capability.parseList(""));
        assertThrows(IllegalArgumentException.class, () -> Capability.parseList("sys_module nope"));
    }

    @Test
    void masksRoundTrip() {
        Set<Capability> caps = EnumSet.of(Capability.CHOWN, Capability.NET_BIND_SERVICE, Capability.CHECKPOINT_RESTORE);
        long mask = Capability.mask(caps);
        assertEquals(1L | (1L << 10) | (1L << 40), mask);
        assertEquals(caps, Capability.fromMask(mask));
        assertEquals(caps, Capability.fromMask(mask | (1L << 50)));
        assertEquals(0x1ff_ffff_ffffL, Capability.allUpTo(40));
        assertEquals(-1L, Capability.allUpTo(63));
        assertEquals(Capability.fromMask(-1L), EnumSet.allOf(Capability.class));
        assertThrows(IllegalArgumentException.class, () -> Capability.allUpTo(64));
    }
}
