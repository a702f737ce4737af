package org.lxj.security.landlock.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.spi.launch.LandlockRuleset.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LandlockRuleset.PathRule;
import org.lxj.spi.launch.LandlockRuleset.PortRule;

class LandlockPolicyTest {

    private final List<String> warnings = new ArrayList<>();

    private Optional<LandlockRuleset> compute(int abi, String... lines) {
        return new LandlockPolicy(new FakeConfig(lines), abi, p -> p.equals(Path.of("/etc/hostname")),
                warnings::add).compute();
    }

    @Test
    void nothingAskedGivesNoRuleset() {
        assertTrue(compute(7, "lxc.uts.name = c1").isEmpty());
        assertTrue(compute(7, "lxj.landlock.best_effort = 0").isEmpty());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void readOnlyRootAndWritableTmp() {
        LandlockRuleset r = compute(7, "lxj.landlock.fs.ro = /", "lxj.landlock.fs.rw = /tmp").orElseThrow();
        long all = (1L << 16) - 1;
        assertEquals(all, r.handledFs());
        assertEquals(0, r.handledNet());
        assertEquals(0, r.scoped());
        assertEquals(List.of(new PathRule(Path.of("/"), ACCESS_FS_READ_FILE | ACCESS_FS_READ_DIR),
                new PathRule(Path.of("/tmp"), all)), r.pathRules());
        assertTrue(r.bestEffort());
    }

    @Test
    void listsAccumulateOverLinesAndRightsOfOnePathMerge() {
        LandlockRuleset r = compute(3, "lxj.landlock.fs.ro = /usr /etc", "lxj.landlock.fs.exec = /usr/bin /usr",
                "lxj.landlock.fs.ro = /srv/").orElseThrow();
        assertEquals(List.of(Path.of("/usr"), Path.of("/etc"), Path.of("/srv"), Path.of("/usr/bin")),
                r.pathRules().stream().map(PathRule::path).toList());
        assertEquals(LandlockAbi.EXEC, r.pathRules().get(0).allowed());
        assertEquals(LandlockAbi.READ, r.pathRules().get(1).allowed());
    }

    @Test
    void aFileKeepsOnlyFileRights() {
        LandlockRuleset r = compute(5, "lxj.landlock.fs.rw = /etc/hostname /var").orElseThrow();
        assertEquals(ACCESS_FS_EXECUTE | ACCESS_FS_WRITE_FILE | ACCESS_FS_READ_FILE | ACCESS_FS_TRUNCATE
                | ACCESS_FS_IOCTL_DEV, r.pathRules().get(0).allowed());
        assertEquals(LandlockAbi.fsRights(5), r.pathRules().get(1).allowed());
    }

    @Test
    void fsRightsFollowTheAbi() {
        assertEquals(0x1fff, LandlockAbi.fsRights(1));
        assertEquals(0x3fff, LandlockAbi.fsRights(2));
        assertEquals(0x7fff, LandlockAbi.fsRights(3));
        assertEquals(0x7fff, LandlockAbi.fsRights(4));
        assertEquals(0xffff, LandlockAbi.fsRights(5));
        assertEquals(0, LandlockAbi.fsRights(0));
        LandlockRuleset r = compute(1, "lxj.landlock.fs.rw = /").orElseThrow();
        assertEquals(0x1fff, r.handledFs());
        assertEquals(0x1fff, r.pathRules().get(0).allowed());
    }

    @Test
    void portsAndScopes() {
        LandlockRuleset r = compute(6, "lxj.landlock.net.bind = 8080", "lxj.landlock.net.connect = 443 8080",
                "lxj.landlock.scope = signal abstract_unix_socket").orElseThrow();
        assertEquals(0, r.handledFs());
        assertEquals(ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP, r.handledNet());
        assertEquals(SCOPE_SIGNAL | SCOPE_ABSTRACT_UNIX_SOCKET, r.scoped());
        assertEquals(List.of(new PortRule(8080, ACCESS_NET_BIND_TCP | ACCESS_NET_CONNECT_TCP),
                new PortRule(443, ACCESS_NET_CONNECT_TCP)), r.portRules());
    }

    @Test
    void noneRestrictsWithoutAllowingAPort() {
        LandlockRuleset r = compute(4, "lxj.landlock.net.connect = none").orElseThrow();
        assertEquals(ACCESS_NET_CONNECT_TCP, r.handledNet());
        assertTrue(r.portRules().isEmpty());
    }

    @Test
    void bestEffortDropsWhatTheAbiLacksWithAWarning() {
        LandlockRuleset r = compute(3, "lxj.landlock.fs.ro = /", "lxj.landlock.net.bind = 80",
                "lxj.landlock.scope = signal").orElseThrow();
        assertEquals(0x7fff, r.handledFs());
        assertEquals(0, r.handledNet());
        assertEquals(0, r.scoped());
        assertTrue(r.portRules().isEmpty());
        assertEquals(2, warnings.size());
        assertTrue(warnings.get(0).startsWith("Config key \"lxj.landlock.net.bind\" is not enforced: TCP rules "
                + "need Landlock ABI 4 and the host has 3"), warnings.get(0));
    }

    @Test
    void bestEffortWithNothingLeftGivesNoRuleset() {
        assertTrue(compute(5, "lxj.landlock.scope = signal").isEmpty());
        assertEquals(1, warnings.size());
        assertTrue(compute(0, "lxj.landlock.fs.ro = /").isEmpty());
        assertEquals("Config key \"lxj.landlock.fs.ro\" is not enforced: the kernel has no Landlock",
                warnings.get(1));
    }

    @Test
    void strictModeFailsNamingTheKey() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> compute(3, "lxj.landlock.best_effort = 0", "lxj.landlock.net.connect = 443"));
        assertEquals("Config key \"lxj.landlock.net.connect\" cannot be enforced: TCP rules need Landlock ABI 4 "
                + "and the host has 3 (lxj.landlock.best_effort is 0)", e.getMessage());
        assertThrows(UnsupportedFeatureException.class,
                () -> compute(0, "lxj.landlock.best_effort = 0", "lxj.landlock.fs.ro = /"));
        LandlockRuleset r = compute(6, "lxj.landlock.best_effort = 0", "lxj.landlock.scope = signal").orElseThrow();
        assertFalse(r.bestEffort());
        assertTrue(warnings.isEmpty());
    }

    @Test
    void badValuesAreConfigErrorsAtTheirLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> compute(7, "lxj.landlock.fs.ro = /", "lxj.landlock.fs.rw = tmp"));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("Invalid lxj.landlock.fs.rw path \"tmp\": expected an absolute path"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> compute(7, "lxj.landlock.net.bind = 65536"));
        assertThrows(ConfigException.class, () -> compute(7, "lxj.landlock.net.bind = http"));
        assertThrows(ConfigException.class, () -> compute(7, "lxj.landlock.scope = ptrace"));
        assertThrows(ConfigException.class, () -> compute(7, "lxj.landlock.best_effort = yes",
                "lxj.landlock.fs.ro = /"));
    }
}
