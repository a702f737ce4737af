package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;

/** LSM selection and labels, and the Landlock keys' gate, with fake backends; no root needed. */
class LsmContributorTest {

    /** A backend for {@code lxc.<type>.profile}, available or not. */
    static final class FakeLsm implements LsmBackend {
        final String type;
        final boolean available;
        final List<String> calls = new ArrayList<>();

        FakeLsm(String type, boolean available) {
            this.type = type;
            this.available = available;
        }

        @Override
        public String type() {
            return type;
        }

        @Override
        public Detection detect(HostFacts host) {
            return available ? Detection.available("fake") : Detection.unavailable("fake " + type + " is off");
        }

        @Override
        public boolean requested(ContainerConfig config) {
            return config.value("lxc." + type + ".profile").isPresent();
        }

        @Override
        public Optional<LsmProfile> profileFor(ContainerContext context) {
            Optional<String> v = context.config().value("lxc." + type + ".profile");
            if (!available && v.isPresent()) {
                throw new UnsupportedFeatureException("Config key \"lxc." + type + ".profile\" needs " + type);
            }
            return available ? Optional.of(new LsmProfile(type, v.orElse("generated-" + context.name()),
                    v.isEmpty(), false)) : Optional.empty();
        }

        @Override
        public void prepare(ContainerContext context, LsmProfile profile) {
            calls.add("prepare " + profile.label());
        }

        @Override
        public List<LsmLabel> labels(LsmProfile profile) {
            return List.of(new LsmLabel(type, "exec", "exec " + profile.label(), false));
        }

        @Override
        public void cleanup(ContainerContext context, LsmProfile profile) {
            calls.add("cleanup " + profile.label());
        }
    }

    @TempDir
    Path tmp;
    Path rootfs;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("c1/rootfs"));
    }

    ContainerContext context(String text) {
        ContainerConfig config = new ConfigParser().parse("lxc.rootfs.path = dir:" + rootfs + "\n" + text,
                tmp.resolve("c1/config"));
        return new ContainerContext("c1", tmp, config, tmp.resolve("run"), rootfs, PlanAssemblerTest.HOST);
    }

    List<LsmLabel> labels(String text, LsmBackend... backends) {
        return PlanAssembler.builder(context(text), LaunchRequest.start(), List.of(new LsmContributor(List.of(backends))),
                p -> true, PlanAssemblerTest.DIRS::contains).build().lsmLabels();
    }

    @Test
    void theRequestedBackendWinsOverTheBestAvailable() {
        FakeLsm on = new FakeLsm("selinux", true);
        FakeLsm requested = new FakeLsm("apparmor", true);
        assertEquals(List.of(new LsmLabel("apparmor", "exec", "exec p1", false)),
                labels("lxc.apparmor.profile = p1\n", on, requested));
        assertEquals(List.of(new LsmLabel("selinux", "exec", "exec generated-c1", false)), labels("", on, requested));
    }

    @Test
    void noAvailableBackendMeansNoLabels() {
        assertTrue(labels("", new FakeLsm("apparmor", false)).isEmpty());
        assertTrue(labels("").isEmpty());
    }

    @Test
    void aRequestedUnavailableLsmFailsTheBuild() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> labels("lxc.apparmor.profile = p1\n", new FakeLsm("selinux", true), new FakeLsm("apparmor", false)));
        assertEquals("Config key \"lxc.apparmor.profile\" needs apparmor", e.getMessage());
    }

    @Test
    void anLsmKeyNoInstalledBackendClaimsIsRefused() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> labels("lxc.apparmor.profile = generated\n", new FakeLsm("selinux", true)));
        assertEquals("Config key \"lxc.apparmor.profile\" needs an LSM backend that handles it, and none of the "
                + "installed ones (selinux) does", e.getMessage());
        assertTrue(labels("lxc.apparmor.profile = unconfined\n", new FakeLsm("selinux", false)).isEmpty());
    }

    @Test
    void prepareReturnsTheCleanup() {
        FakeLsm lsm = new FakeLsm("apparmor", true);
        Runnable undo = new LsmContributor(List.of(lsm)).prepare(context("")).orElseThrow();
        assertEquals(List.of("prepare generated-c1"), lsm.calls);
        undo.run();
        assertEquals(List.of("prepare generated-c1", "cleanup generated-c1"), lsm.calls);
        assertTrue(new LsmContributor(List.of(new FakeLsm("apparmor", false))).prepare(context("")).isEmpty());
    }

    @Test
    void theContributorIsAddedOnlyWithBackendsAndThenOpensTheLsmGate() {
        List<LaunchContributor> none = List.of();
        assertSame(none, LsmContributor.with(none, List.of()));
        List<LaunchContributor> with = LsmContributor.with(none, List.of(new FakeLsm("apparmor", false)));
        assertEquals(LaunchContributor.ORDER_LSM, with.get(0).order());
        assertDoesNotThrow(() -> KeyGate.check(KeyGateTest.config("lxc.apparmor.profile = generated\n"), with));
    }

    @Test
    void landlockKeysParseAndNeedALandlockBackend() {
        String text = """
                lxj.landlock.fs.ro = / /usr
                lxj.landlock.fs.rw = /tmp
                lxj.landlock.net.connect = 443
                lxj.landlock.scope = signal
                lxj.landlock.best_effort = 0
                """;
        ContainerConfig config = KeyGateTest.config(text);
        assertEquals(List.of("/ /usr"), config.values("lxj.landlock.fs.ro"));
        assertEquals("Config key \"lxj.landlock.fs.ro\" needs a Landlock backend, and none is installed",
                KeyGateTest.refusal(text));
        assertDoesNotThrow(() -> KeyGate.check(config, List.of(KeyGateTest.at(LaunchContributor.ORDER_LANDLOCK))));
        assertDoesNotThrow(() -> KeyGate.check(KeyGateTest.config("lxj.landlock.best_effort = 1\n"), List.of()));
    }
}
