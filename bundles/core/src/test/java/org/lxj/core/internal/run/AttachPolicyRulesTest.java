package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.LxjException;
import org.lxj.launcher.AttachPolicy;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.SeccompFilterFlag;
import org.lxj.spi.launch.SeccompProgram;

/** Which part of init's confinement an attached command gets, by LXC's rules; no root needed. */
class AttachPolicyRulesTest {
    private static final LandlockRuleset LANDLOCK = new LandlockRuleset(LandlockRuleset.ACCESS_FS_READ_FILE, 0, 0,
            List.of(new LandlockRuleset.PathRule(Path.of("/bin"), LandlockRuleset.ACCESS_FS_READ_FILE)), List.of(), true);
    private static final CapabilitySets ROOT = new CapabilitySets(~0L >>> 23, ~0L >>> 23, ~0L >>> 23, 0, 0);
    private static final CapabilitySets NOBODY = new CapabilitySets(~0L >>> 23, 0, 0, 0, 0);

    private static AttachPolicy init(boolean nnp) {
        return new AttachPolicy(Optional.of(new SeccompProgram(new byte[8], EnumSet.noneOf(SeccompFilterFlag.class))),
                Optional.empty(), List.of(new LsmLabel("apparmor", "exec", "exec lxj-c1", false)), Optional.of(LANDLOCK),
                nnp);
    }

    @Test
    void elevatedPrivilegesAreSplitAtBarsAndUpperCased() {
        assertEquals(Set.of("CAP", "LSM"), CommandRunner.elevated(Set.of("cap|Lsm")));
        assertEquals(Set.of("ALL", "CGROUP"), CommandRunner.elevated(Set.of("ALL", " cgroup ")));
        assertEquals(Set.of(), CommandRunner.elevated(Set.of()));
    }

    @Test
    void theCommandGetsInitsPolicyUnlessLsmIsLifted() {
        assertEquals(init(true), CommandRunner.attachPolicy("c1", init(true), false, Optional.of(ROOT)));
        AttachPolicy lifted = CommandRunner.attachPolicy("c1", init(true), true, Optional.of(ROOT));
        assertTrue(lifted.seccomp().isEmpty() && lifted.lsmLabels().isEmpty() && lifted.landlock().isEmpty());
        assertTrue(lifted.noNewPrivileges(), "no_new_privs is not an LSM: -e LSM keeps it, as LXC does");
    }

    @Test
    void landlockWithoutCapSysAdminBringsNoNewPrivs() {
        assertFalse(CommandRunner.attachPolicy("c1", init(false), false, Optional.of(ROOT)).noNewPrivileges());
        assertFalse(CommandRunner.attachPolicy("c1", init(false), false, Optional.empty()).noNewPrivileges(),
                "-e CAP keeps CAP_SYS_ADMIN");
        assertTrue(CommandRunner.attachPolicy("c1", init(false), false, Optional.of(NOBODY)).noNewPrivileges());
        assertFalse(CommandRunner.attachPolicy("c1", init(false), true, Optional.of(NOBODY)).noNewPrivileges(),
                "without Landlock nothing needs it");
    }

    @Test
    void aMissingPolicyFileFallsBackAndABrokenOneFailsTheAttach(@TempDir Path run) throws IOException {
        assertEquals(AttachPolicy.NONE, CommandRunner.readAttachPolicy("c1", run));
        init(true).write(run);
        assertEquals(init(true), CommandRunner.readAttachPolicy("c1", run));
        Files.write(run.resolve(AttachPolicy.FILE), new byte[] { 9 });
        LxjException e = assertThrows(LxjException.class, () -> CommandRunner.readAttachPolicy("c1", run));
        assertTrue(e.getMessage().startsWith("Failed to attach to \"c1\": Malformed attach policy"), e.getMessage());
    }
}
