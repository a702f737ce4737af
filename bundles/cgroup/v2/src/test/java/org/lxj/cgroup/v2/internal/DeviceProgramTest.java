package org.lxj.cgroup.v2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.lxj.spi.cgroup.CgroupSetting;

/** The generated device program, run through a small eBPF interpreter, against LXC's semantics. */
class DeviceProgramTest {
    static final int B = DeviceProgram.DEV_BLOCK;
    static final int C = DeviceProgram.DEV_CHAR;
    static final int R = DeviceRule.READ;
    static final int W = DeviceRule.WRITE;
    static final int M = DeviceRule.MKNOD;

    static DeviceProgram program(String... rules) {
        List<CgroupSetting> settings = new ArrayList<>();
        for (String rule : rules) {
            String[] kv = rule.split("=", 2);
            settings.add(CgroupSetting.of("lxc.cgroup2.devices." + kv[0].trim(), kv[1].trim()));
        }
        return DeviceProgram.of(settings);
    }

    static boolean allowed(DeviceProgram p, int type, int access, int major, int minor) {
        long r0 = BpfInterpreter.run(p.instructions(), type, access, major, minor);
        assertTrue(r0 == 0 || r0 == 1, "verdict " + r0);
        return r0 == 1;
    }

    @Test
    void denyAllThenAllowNamedDevicesIsAnAllowlist() {
        DeviceProgram p = program("deny = a", "allow = c 1:3 rwm", "allow = c 136:* rw", "allow = b 7:* m");
        assertFalse(p.allowByDefault());
        assertTrue(allowed(p, C, R | W, 1, 3));
        assertTrue(allowed(p, C, M, 1, 3));
        assertFalse(allowed(p, C, R, 1, 5), "/dev/zero is not listed");
        assertTrue(allowed(p, C, R | W, 136, 42));
        assertFalse(allowed(p, C, M, 136, 42), "136:* has no m");
        assertTrue(allowed(p, B, M, 7, 0));
        assertFalse(allowed(p, B, R, 7, 0), "7:* has only m");
        assertFalse(allowed(p, B, R, 8, 0));
        assertFalse(allowed(p, C, R, 3, 1), "type and major differ");
    }

    @Test
    void allowAllThenDenyIsADenylist() {
        DeviceProgram p = program("allow = a", "deny = b *:* m", "deny = c 1:3 w");
        assertTrue(p.allowByDefault());
        assertFalse(allowed(p, B, M, 8, 0));
        assertTrue(allowed(p, B, R | W, 8, 0));
        assertFalse(allowed(p, C, W, 1, 3));
        assertTrue(allowed(p, C, R, 1, 3), "only w is denied");
        assertTrue(allowed(p, C, R | W | M, 4, 1));
    }

    @Test
    void aGlobalRuleDropsTheRulesBeforeIt() {
        DeviceProgram p = program("allow = c 1:3 rwm", "deny = a");
        assertEquals(List.of(), p.rules());
        assertFalse(allowed(p, C, R, 1, 3));
        DeviceProgram q = program("deny = a", "allow = c 1:3 rwm", "allow = a");
        assertTrue(allowed(q, B, M, 8, 0));
        assertEquals(List.of(), q.rules());
    }

    @Test
    void theFirstMatchingRuleDecidesAndARepeatedRuleChangesItsVerdict() {
        DeviceProgram first = program("deny = a", "deny = c 1:3 rwm", "allow = c *:* rwm");
        assertFalse(allowed(first, C, R, 1, 3));
        assertTrue(allowed(first, C, R, 1, 5));
        DeviceProgram flipped = program("deny = a", "allow = c 1:3 rwm", "allow = c 1:5 rwm", "deny = c 1:3 rwm");
        assertEquals(2, flipped.rules().size());
        assertFalse(allowed(flipped, C, R, 1, 3));
        assertTrue(allowed(flipped, C, R, 1, 5));
    }

    @Test
    void withoutAGlobalRuleTheListIsAnAllowlistAsInLxc() {
        DeviceProgram p = program("deny = c 1:3 rwm");
        assertFalse(p.allowByDefault());
        assertFalse(allowed(p, C, R, 1, 3));
        assertFalse(allowed(p, C, R, 1, 5));
    }

    @Test
    void aLocalRuleOfTypeAMatchesBlockAndCharDevices() {
        DeviceProgram p = program("deny = a", "allow = a *:* r");
        assertTrue(allowed(p, C, R, 1, 3));
        assertTrue(allowed(p, B, R, 8, 0));
        assertFalse(allowed(p, B, W, 8, 0));
        assertFalse(allowed(p, B, R | W, 8, 0), "rw is not a subset of r");
    }

    @Test
    void eachRuleEmitsOnlyTheTestsItNeeds() {
        int prologue = 6;
        int epilogue = 2;
        assertEquals((prologue + epilogue) * 8, program("deny = a").instructions().length);
        // type, major, minor tests + verdict
        assertEquals((prologue + 3 + 2 + epilogue) * 8, program("deny = a", "allow = c 1:3 rwm").instructions().length);
        // access (3) + type + verdict
        assertEquals((prologue + 4 + 2 + epilogue) * 8, program("deny = a", "allow = b *:* m").instructions().length);
        // no test at all: the rule decides everything after it
        assertEquals((prologue + 2 + epilogue) * 8, program("deny = a", "allow = a *:* rwm").instructions().length);
    }

    @Test
    void malformedRulesAreRefusedNamingKeyAndValue() {
        for (String bad : List.of("x 1:3 rwm", "c 1-3 rwm", "c 1:3 rwx", "c", "c 1:3 rwmr", "c a:3 r", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DeviceRule.parse("lxc.cgroup2.devices.allow", bad, true), bad);
            assertTrue(e.getMessage().startsWith("Invalid device rule \"" + bad + "\" in \"lxc.cgroup2.devices.allow\""),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> DeviceProgram.of(List.of(CgroupSetting.of("lxc.cgroup2.devices.list", "a"))));
        DeviceRule noAccess = DeviceRule.parse("k", "c 1:3", true);
        assertEquals(0, noAccess.access());
    }
}
