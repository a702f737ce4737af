package org.lxj.security.apparmor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmProfile;

class AppArmorBackendTest {

    private static final HostFacts WITHOUT = host(List.of("lockdown", "capability", "landlock", "bpf"));
    private static final HostFacts WITH = host(List.of("capability", "apparmor"));

    @TempDir
    Path tmp;
    private Path securityfs;
    private final List<String> parserCalls = new ArrayList<>();
    private AppArmorBackend backend;

    private static HostFacts host(List<String> lsms) {
        return new HostFacts("6.18.0", "x86_64", Set.of(), lsms, CgroupLayout.HYBRID, List.of(), true, Set.of(), 7);
    }

    @BeforeEach
    void setUp() throws IOException {
        securityfs = Files.createDirectories(tmp.resolve("securityfs/apparmor"));
        Files.createDirectories(tmp.resolve("run"));
        ProfileParser recording = new ProfileParser(Path.of("/bin/true")) {
            @Override
            void load(Path profile) {
                parserCalls.add("load " + profile.getFileName());
            }

            @Override
            void unload(Path profile) {
                parserCalls.add("unload " + profile.getFileName());
            }
        };
        backend = new AppArmorBackend(securityfs, recording);
    }

    private ContainerContext context(HostFacts host, String... lines) {
        return new ContainerContext("c1", Path.of("/var/lib/lxc"), new FakeConfig(lines), tmp.resolve("run"), tmp,
                host);
    }

    @Test
    void detectionNeedsTheLsmAndItsSecurityfs() throws IOException {
        assertFalse(backend.detect(WITHOUT).available());
        assertEquals("AppArmor is not an active LSM (active: lockdown,capability,landlock,bpf)",
                backend.detect(WITHOUT).reason());
        assertTrue(backend.detect(WITH).available());
        Files.delete(securityfs);
        assertTrue(backend.detect(WITH).reason().contains("is securityfs mounted?"));
    }

    @Test
    void aRequestedProfileFailsTheStartWithoutAppArmor() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> backend.profileFor(context(WITHOUT, "lxc.apparmor.profile = generated")));
        assertEquals("Config key \"lxc.apparmor.profile\" = \"generated\" needs AppArmor, which this host does not "
                + "provide: AppArmor is not an active LSM (active: lockdown,capability,landlock,bpf)", e.getMessage());
        assertThrows(UnsupportedFeatureException.class,
                () -> backend.profileFor(context(WITHOUT, "lxc.apparmor.profile = lxc-container-default-cgns")));
        assertThrows(UnsupportedFeatureException.class,
                () -> backend.profileFor(context(WITHOUT, "lxc.apparmor.allow_nesting = 1")));
    }

    @Test
    void unconfinedUnchangedOptionalOrUnsetRunWithoutAppArmor() {
        assertTrue(backend.profileFor(context(WITHOUT, "lxc.apparmor.profile = unconfined")).isEmpty());
        assertTrue(backend.profileFor(context(WITHOUT, "lxc.apparmor.profile = unchanged")).isEmpty());
        assertTrue(backend.profileFor(context(WITHOUT, "lxc.apparmor.profile = generated",
                "lxc.apparmor.allow_incomplete = 1")).isEmpty());
        assertTrue(backend.profileFor(context(WITHOUT, "lxc.uts.name = c1")).isEmpty());
        assertFalse(backend.requested(new FakeConfig("lxc.uts.name = c1")));
        assertTrue(backend.requested(new FakeConfig("lxc.apparmor.raw = deny /srv/** w,")));
    }

    @Test
    void profilesWithAppArmor() {
        LsmProfile generated = backend.profileFor(context(WITH, "lxc.uts.name = c1")).orElseThrow();
        assertEquals(new LsmProfile("apparmor", GeneratedProfile.name("c1", Path.of("/var/lib/lxc")), true, false),
                generated);
        assertTrue(generated.label().matches("lxj-c1_[0-9a-f]{8}"), generated.label());
        assertEquals(Optional.of(new LsmProfile("apparmor", "lxc-container-default-cgns", false, true)),
                backend.profileFor(context(WITH, "lxc.apparmor.profile = lxc-container-default-cgns",
                        "lxc.apparmor.allow_incomplete = 1")));
        assertEquals(Optional.of(new LsmProfile("apparmor", "unconfined", false, false)),
                backend.profileFor(context(WITH, "lxc.apparmor.profile = unconfined")));
        assertTrue(backend.profileFor(context(WITH, "lxc.apparmor.profile = unchanged")).isEmpty());
        assertEquals(List.of(new LsmLabel("apparmor", "exec", "exec lxc-container-default-cgns", true)),
                backend.labels(new LsmProfile("apparmor", "lxc-container-default-cgns", false, true)));
    }

    @Test
    void badValuesAreConfigErrors() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> backend.profileFor(context(WITH, "lxc.uts.name = c1", "lxc.apparmor.allow_nesting = 2")));
        assertEquals(2, e.line());
        assertThrows(ConfigException.class,
                () -> backend.profileFor(context(WITH, "lxc.apparmor.profile = a\"b")));
    }

    @Test
    void prepareWritesAndLoadsAGeneratedProfileAndCleanupUnloadsIt() {
        ContainerContext ctx = context(WITH, "lxc.apparmor.profile = generated", "lxc.apparmor.allow_nesting = 1",
                "lxc.apparmor.raw = deny /srv/** w,");
        LsmProfile p = backend.profileFor(ctx).orElseThrow();
        backend.prepare(ctx, p);
        Path file = tmp.resolve("run/apparmor.profile");
        assertTrue(Files.exists(file));
        assertEquals(List.of("load apparmor.profile"), parserCalls);
        backend.cleanup(ctx, p);
        backend.cleanup(ctx, p);
        assertFalse(Files.exists(file));
        assertEquals(List.of("load apparmor.profile", "unload apparmor.profile"), parserCalls);
        backend.prepare(ctx, new LsmProfile("apparmor", "lxc-container-default", false, false));
        assertEquals(2, parserCalls.size());
    }
    @Test
    void releaseAfterTheStopUnloadsTheGeneratedProfileOnce() {
        ContainerContext ctx = context(WITH, "lxc.apparmor.profile = generated");
        backend.prepare(ctx, backend.profileFor(ctx).orElseThrow());
        Path file = tmp.resolve("run/apparmor.profile");
        assertTrue(Files.exists(file));
        // a later runtime knows only the name and the run directory
        new AppArmorBackend(securityfs, recordingParser()).release("c1", tmp.resolve("run"));
        assertFalse(Files.exists(file));
        assertEquals(List.of("load apparmor.profile", "unload apparmor.profile"), parserCalls);
        backend.release("c1", tmp.resolve("run"));
        assertEquals(2, parserCalls.size());
    }

    @Test
    void releaseOfAContainerWithoutAGeneratedProfileDoesNothing() {
        ContainerContext ctx = context(WITH, "lxc.apparmor.profile = lxc-container-default");
        backend.prepare(ctx, backend.profileFor(ctx).orElseThrow());
        backend.release("c1", tmp.resolve("run"));
        assertEquals(List.of(), parserCalls);
    }

    @Test
    void withoutTheParserReleaseWritesTheProfileNameToSecurityfsRemove() throws IOException {
        ContainerContext ctx = context(WITH, "lxc.apparmor.profile = generated");
        LsmProfile p = backend.profileFor(ctx).orElseThrow();
        backend.prepare(ctx, p);
        AppArmorBackend noParser = new AppArmorBackend(securityfs, new ProfileParser(tmp.resolve("no-parser")));
        noParser.release("c1", tmp.resolve("run"));
        assertEquals(p.label(), Files.readString(securityfs.resolve(".remove")));
        assertFalse(Files.exists(tmp.resolve("run/apparmor.profile")));
    }

    private ProfileParser recordingParser() {
        return new ProfileParser(Path.of("/bin/true")) {
            @Override
            void unload(Path profile) {
                parserCalls.add("unload " + profile.getFileName());
            }
        };
    }
}
