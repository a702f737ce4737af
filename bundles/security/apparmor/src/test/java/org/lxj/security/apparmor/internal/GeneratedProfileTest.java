package org.lxj.security.apparmor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.spi.backend.BackendException;

class GeneratedProfileTest {

    private static final Path LXCPATH = Path.of("/var/lib/lxc");
    private final ProfileParser parser = new ProfileParser(ProfileParser.DEFAULT);

    @TempDir
    Path tmp;

    @Test
    void namesAreStablePerContainerAndLxcpath() {
        String a = GeneratedProfile.name("c1", LXCPATH);
        assertEquals(a, GeneratedProfile.name("c1", Path.of("/var/lib/lxc/")));
        assertNotEquals(a, GeneratedProfile.name("c1", Path.of("/srv/lxc")));
        assertNotEquals(a, GeneratedProfile.name("c2", LXCPATH));
    }

    @Test
    void theProfileKeepsTheHostsKnobsAwayAndAddsNestingAndRawOnlyWhenAsked() {
        String plain = GeneratedProfile.text("lxj-c1_00000000", "c1", LXCPATH, false, List.of());
        assertTrue(plain.contains("profile \"lxj-c1_00000000\" flags=(attach_disconnected,mediate_deleted) {\n"));
        assertTrue(plain.contains("  deny /proc/sysrq-trigger wklx,\n"));
        assertTrue(plain.contains("  deny /proc/sys/kernel/core_pattern wklx,\n"));
        assertTrue(plain.contains("  deny mount fstype=securityfs,\n"));
        assertTrue(plain.contains("  signal (send, receive) peer=\"lxj-c1_00000000\",\n"));
        assertFalse(plain.contains("change_profile"));
        assertFalse(plain.contains("lxc.apparmor.raw"));
        assertTrue(plain.endsWith("}\n"));
        String nested = GeneratedProfile.text("lxj-c1_00000000", "c1", LXCPATH, true, List.of("deny /srv/** w,"));
        assertTrue(nested.contains("  change_profile -> \"lxj-*\",\n"));
        assertTrue(nested.contains("  # lxc.apparmor.raw\n  deny /srv/** w,\n}\n"));
    }

    @Test
    void generatedProfilesPassTheParser() throws IOException {
        assumeTrue(parser.installed(), "apparmor_parser is not installed (package apparmor)");
        for (boolean nesting : new boolean[] {false, true}) {
            Path f = tmp.resolve("p" + nesting);
            Files.writeString(f, GeneratedProfile.text(GeneratedProfile.name("c1", LXCPATH), "c1", LXCPATH, nesting,
                    List.of("deny /srv/** w,", "mount fstype=ext4 -> /mnt/,")));
            parser.check(f);
        }
    }

    @Test
    void aBadRawRuleIsReportedWithTheParsersMessage() throws IOException {
        assumeTrue(parser.installed(), "apparmor_parser is not installed (package apparmor)");
        Path f = tmp.resolve("bad");
        Files.writeString(f, GeneratedProfile.text("lxj-c1_00000000", "c1", LXCPATH, false, List.of("bogus rule,")));
        BackendException e = assertThrows(BackendException.class, () -> parser.check(f));
        assertTrue(e.getMessage().startsWith("Failed to run apparmor_parser -Q -K \"" + f + "\": exit status 1: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("syntax error"), e.getMessage());
    }

    @Test
    void aGeneratedProfileIsEnforcedWhereAppArmorRuns() throws IOException {
        assumeTrue(Files.isDirectory(AppArmorBackend.SECURITYFS),
                "AppArmor is not enabled on this host (no " + AppArmorBackend.SECURITYFS + ")");
        assumeTrue(parser.installed(), "apparmor_parser is not installed (package apparmor)");
        String name = GeneratedProfile.name("lxjt-enforce", tmp);
        Path f = tmp.resolve("enforce");
        Files.writeString(f, GeneratedProfile.text(name, "lxjt-enforce", tmp, false, List.of()));
        parser.load(f);
        try {
            assertTrue(Files.readString(AppArmorBackend.SECURITYFS.resolve("profiles")).contains(name));
        } finally {
            parser.unload(f);
        }
    }
}
