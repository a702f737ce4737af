package org.lxj.security.nop.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.plan.LsmContributor;
import org.lxj.security.apparmor.internal.AppArmorBackend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.lsm.LsmBackend;
import org.lxj.spi.lsm.LsmProfile;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

/** The nop backend alone and in LSM selection next to a real backend; no root needed. */
class NopLsmBackendTest {

    /** This machine's LSMs: no AppArmor, no SELinux. */
    private static final HostFacts BARE = new HostFacts("6.18.0", "x86_64", Set.of(),
            List.of("lockdown", "capability", "landlock", "bpf"), CgroupLayout.HYBRID, List.of(), true, Set.of(), 7);

    @TempDir
    Path tmp;
    private final NopLsmBackend nop = new NopLsmBackend();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private Logger contributorLog;

    @BeforeEach
    void captureLog() {
        contributorLog = (Logger) LoggerFactory.getLogger(LsmContributor.class);
        contributorLog.setLevel(Level.INFO);
        log.start();
        contributorLog.addAppender(log);
    }

    @AfterEach
    void releaseLog() {
        contributorLog.detachAppender(log);
        log.stop();
    }

    private ContainerContext context(String... lines) {
        return new ContainerContext("c1", tmp, new Config(lines), tmp.resolve("run"), tmp.resolve("rootfs"), BARE);
    }

    private List<String> infoLines() {
        return log.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }

    @Test
    void isAlwaysAvailableRankedLowestAndConfinesNothing() {
        assertEquals("nop", nop.type());
        Detection d = nop.detect(BARE);
        assertTrue(d.available());
        assertEquals("no LSM confinement (active LSMs: lockdown,capability,landlock,bpf)", d.reason());
        assertFalse(nop.requested(new Config("lxc.apparmor.profile = p1")));
        assertEquals(Optional.empty(), nop.profileFor(context()));
        assertEquals(List.of(), nop.labels(new LsmProfile("nop", "none", false, false)));
        assertEquals(Integer.MIN_VALUE, NopLsmBackend.RANKING);
    }

    @Test
    void isSelectedWhenNoRealLsmIsAvailableAndLoggedOncePerStart() {
        LsmContributor lsm = new LsmContributor(List.of(new AppArmorBackend(), nop));
        ContainerContext ctx = context();
        assertSame(nop, lsm.select(ctx).orElseThrow());
        assertEquals(Optional.empty(), lsm.choose(ctx));
        LaunchPlan.Builder plan = LaunchPlan.builder();
        lsm.contribute(ctx, plan);
        assertEquals(List.of("c1: LSM driver nop (no LSM confinement (active LSMs: lockdown,capability,landlock,bpf)), "
                + "profile none"), infoLines());
        assertEquals(Optional.empty(), lsm.prepare(ctx));
        assertEquals(1, infoLines().size(), "prepare does not log the choice a second time");
    }

    @Test
    void aRealAvailableLsmOutranksNop() {
        LsmBackend real = new AvailableLsm();
        LsmContributor lsm = new LsmContributor(List.of(real, nop));
        assertSame(real, lsm.select(context()).orElseThrow());
        lsm.contribute(context(), LaunchPlan.builder());
        assertEquals(List.of("c1: LSM driver fake (fake LSM on), profile \"fake-c1\""), infoLines());
    }

    @Test
    void anAppArmorProfileWithoutAppArmorStillFailsTheStart() {
        LsmContributor lsm = new LsmContributor(List.of(new AppArmorBackend(), nop));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> lsm.contribute(context("lxc.apparmor.profile = lxc-container-default"), LaunchPlan.builder()));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.apparmor.profile\" = \"lxc-container-default\" needs "
                + "AppArmor, which this host does not provide"), e.getMessage());
        assertEquals(Optional.empty(), lsm.choose(context("lxc.apparmor.profile = unconfined")));
        assertEquals(Optional.empty(), lsm.choose(context("lxc.apparmor.profile = lxc-container-default",
                "lxc.apparmor.allow_incomplete = 1")));
    }

    @Test
    void withOnlyNopInstalledAnLsmKeyIsRefused() {
        LsmContributor lsm = new LsmContributor(List.of(nop));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> lsm.select(context("lxc.apparmor.profile = p1")));
        assertEquals("Config key \"lxc.apparmor.profile\" needs an LSM backend that handles it, and none of the "
                + "installed ones (nop) does", e.getMessage());
        assertSame(nop, lsm.select(context("lxc.apparmor.profile = unconfined")).orElseThrow());
    }

    /** An LSM that is on, with one profile per container. */
    private static final class AvailableLsm implements LsmBackend {
        @Override
        public String type() {
            return "fake";
        }

        @Override
        public Detection detect(HostFacts host) {
            return Detection.available("fake LSM on");
        }

        @Override
        public Optional<LsmProfile> profileFor(ContainerContext context) {
            return Optional.of(new LsmProfile("fake", "fake-" + context.name(), false, false));
        }

        @Override
        public void prepare(ContainerContext context, LsmProfile profile) {
        }

        @Override
        public List<LsmLabel> labels(LsmProfile profile) {
            return List.of();
        }

        @Override
        public void cleanup(ContainerContext context, LsmProfile profile) {
        }
    }

    /** {@code key = value} lines as a configuration. */
    private static final class Config implements ContainerConfig {
        private final List<ConfigEntry> entries;

        Config(String... lines) {
            Path file = Path.of("/var/lib/lxj/c1/config");
            entries = java.util.stream.IntStream.range(0, lines.length).mapToObj(i -> {
                int eq = lines[i].indexOf('=');
                String key = lines[i].substring(0, eq).trim();
                return new ConfigEntry(key, lines[i].substring(eq + 1).trim(), file, i + 1, key);
            }).toList();
        }

        @Override
        public Optional<Path> source() {
            return Optional.of(Path.of("/var/lib/lxj/c1/config"));
        }

        @Override
        public List<ConfigEntry> entries() {
            return entries;
        }

        @Override
        public Optional<String> item(String key) {
            List<String> v = values(key);
            return v.isEmpty() ? Optional.empty() : Optional.of(String.join("\n", v));
        }

        @Override
        public List<String> values(String key) {
            return entries.stream().filter(e -> e.key().equals(key)).map(ConfigEntry::value).toList();
        }
    }
}
