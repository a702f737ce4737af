package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import org.lxj.spi.launch.MountStep;
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

        @Override
        public void release(String name, Path runDir) {
            calls.add("release " + name + " " + runDir.getFileName());
        }

        @Override
        public Optional<String> mountOption(LsmProfile profile) {
            return type.equals("selinux") ? Optional.of("context=\"" + profile.label() + "\"") : Optional.empty();
        }
    }

    @TempDir
    Path tmp;
    Path rootfs;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("c1/rootfs"));
        Files.createDirectories(tmp.resolve("run"));
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
    void theStartRecordsTheBackendAndTheReleaseAfterTheStopUsesIt() {
        FakeLsm other = new FakeLsm("selinux", false);
        FakeLsm lsm = new FakeLsm("apparmor", true);
        Path run = tmp.resolve("run");
        assertTrue(LsmContributor.canRelease(run, List.of()));
        new LsmContributor(List.of(lsm)).prepare(context("lxc.apparmor.profile = generated\n")).orElseThrow();
        assertEquals(Optional.of("apparmor"), LsmContributor.recorded(run));
        // a later runtime without the backend leaves the cleanup for when it is installed
        assertFalse(LsmContributor.canRelease(run, List.of(other)));
        assertTrue(LsmContributor.canRelease(run, List.of(other, lsm)));
        LsmContributor.release("c1", run, List.of(other, lsm));
        assertEquals(List.of("prepare generated", "release c1 run"), lsm.calls);
        assertTrue(other.calls.isEmpty());
        assertFalse(Files.exists(run.resolve(LsmContributor.RECORD)));
        LsmContributor.release("c1", run, List.of(other, lsm));
        assertEquals(2, lsm.calls.size());
    }

    @Test
    void theUndoOfAFailedStartRemovesTheRecord() {
        FakeLsm lsm = new FakeLsm("apparmor", true);
        new LsmContributor(List.of(lsm)).prepare(context("")).orElseThrow().run();
        assertFalse(Files.exists(tmp.resolve("run").resolve(LsmContributor.RECORD)));
        LsmContributor.release("c1", tmp.resolve("run"), List.of(lsm));
        assertEquals(List.of("prepare generated-c1", "cleanup generated-c1"), lsm.calls);
    }

    @Test
    void anSelinuxContextLabelsTheTmpfsDevptsAndMqueueMounts() {
        // the fake selinux backend, available, resolves the profile "generated-c1"
        String option = "context=\"generated-c1\"";
        List<MountStep> mounts = PlanAssembler.builder(context("lxc.mount.auto = proc:mixed\nlxc.mount.entry = /srv srv none bind,create=dir 0 0\n"),
                LaunchRequest.start(), List.of(new LsmContributor(List.of(new FakeLsm("selinux", true)))), p -> true,
                PlanAssemblerTest.DIRS::contains).build().mounts();
        Map<String, String> data = new LinkedHashMap<>();
        mounts.forEach(m -> data.put(m.target() + " " + (m.fstype().isEmpty() ? "bind" : m.fstype()), m.data()));
        assertEquals("size=500000,mode=755," + option, data.get("/dev tmpfs"));
        assertEquals("mode=1777," + option, data.get("/dev/shm tmpfs"));
        assertEquals(option, data.get("/dev/mqueue mqueue"));
        assertEquals("newinstance,ptmxmode=0666,mode=0620,gid=5," + option, data.get("/dev/pts devpts"));
        assertFalse(data.get("/proc proc").contains("context="), data.toString());
        assertFalse(data.get("/srv bind").contains("context="), data.toString());
        // no SELinux profile: nothing is labelled
        List<MountStep> plain = PlanAssembler.builder(context(""), LaunchRequest.start(),
                List.of(new LsmContributor(List.of(new FakeLsm("apparmor", true)))), p -> true,
                PlanAssemblerTest.DIRS::contains).build().mounts();
        assertTrue(plain.stream().noneMatch(m -> m.data().contains("context=")), plain.toString());
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
