package org.lxj.security.caps.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.security.Capability;

class CapsContributorTest {

    private static final int LAST = 40;
    private static final long FULL = (1L << 41) - 1;
    private static final long MKNOD = 1L << 27;

    private static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID,
            List.of(), true, Set.of(), 0);

    private static ContainerContext context(String... lines) {
        return new ContainerContext("c1", Path.of("/var/lib/lxj"), new FakeConfig(lines), Path.of("/run/lxj/0/c1"),
                Path.of("/var/lib/lxj/c1/rootfs"), HOST);
    }

    private static LaunchPlan.Builder builder(long uid) {
        return LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).process(new ProcessSpec(List.of("/sbin/init"),
                List.of(), uid, uid, List.of(), Path.of("/"), OptionalInt.empty()));
    }

    private static LaunchPlan plan(int lastCap, long uid, String... lines) {
        LaunchPlan.Builder b = builder(uid);
        new CapsContributor(lastCap).contribute(context(lines), b);
        return b.build();
    }

    private static LaunchPlan plan(String... lines) {
        return plan(LAST, 0, lines);
    }

    private static CapabilitySets caps(String... lines) {
        return plan(lines).capabilities().orElseThrow();
    }

    @Test
    void isASecurityContributorForItsKeys() {
        CapsContributor c = new CapsContributor(LAST);
        assertEquals(LaunchContributor.ORDER_SECURITY, c.order());
        assertEquals("caps", c.type());
        assertTrue(c.detect(HOST).available());
        assertTrue(c.supports(new FakeConfig("lxc.cap.drop = mknod")));
        assertTrue(c.supports(new FakeConfig("lxc.cap.keep = none")));
        assertTrue(c.supports(new FakeConfig("lxc.no_new_privs = 0")));
        assertFalse(c.supports(new FakeConfig("lxc.uts.name = c1")));
    }

    @Test
    void withoutKeysCapabilitiesAreLeftAlone() {
        LaunchPlan p = plan("lxc.uts.name = c1");
        assertEquals(Optional.empty(), p.capabilities());
        assertFalse(p.noNewPrivileges());
    }

    @Test
    void aBlankValueIsAClearingLineNotAnEmptyKeepList() {
        assertEquals(Optional.empty(), plan("lxc.cap.keep =").capabilities());
        assertFalse(new CapsContributor(LAST).supports(new FakeConfig("lxc.cap.keep =")));
        assertEquals(CapabilitySets.rootWith(MKNOD), caps("lxc.cap.drop =", "lxc.cap.keep = mknod"));
    }

    @Test
    void dropRemovesFromTheKernelsFullSet() {
        CapabilitySets s = caps("lxc.cap.drop = mknod");
        assertEquals(FULL & ~MKNOD, s.bounding());
        assertEquals(s.bounding(), s.permitted());
        assertEquals(s.bounding(), s.effective());
        assertEquals(0, s.inheritable());
        assertEquals(0, s.ambient());
        assertEquals("000001fff7ffffff", CapabilitySets.hex(s.bounding()));
    }

    @Test
    void dropFollowsThisKernelsLastCapability() {
        assertEquals((1L << 38) - 1 & ~MKNOD, plan(37, 0, "lxc.cap.drop = mknod").capabilities().orElseThrow()
                .bounding());
        long all63 = -1L & ~MKNOD;
        assertEquals(all63, plan(63, 0, "lxc.cap.drop = mknod").capabilities().orElseThrow().bounding());
    }

    @Test
    void dropTakesListsNumbersAndPrefixedNames() {
        CapabilitySets s = caps("lxc.cap.drop = sys_module mac_admin", "lxc.cap.drop = 25 CAP_SYS_RAWIO");
        long dropped = Capability.mask(Set.of(Capability.SYS_MODULE, Capability.MAC_ADMIN, Capability.SYS_TIME,
                Capability.SYS_RAWIO));
        assertEquals(FULL & ~dropped, s.bounding());
    }

    @Test
    void keepKeepsOnlyTheListed() {
        CapabilitySets s = caps("lxc.cap.keep = mknod");
        assertEquals(new CapabilitySets(MKNOD, MKNOD, MKNOD, 0, 0), s);
        assertEquals(MKNOD | 1L << 21 | 1L << 12, caps("lxc.cap.keep = mknod 21", "lxc.cap.keep = net_admin")
                .bounding());
    }

    @Test
    void keepNoneDropsEverythingAndClearsEarlierEntries() {
        assertEquals(CapabilitySets.NONE, caps("lxc.cap.keep = none"));
        assertEquals(CapabilitySets.rootWith(1L << 10), caps("lxc.cap.keep = mknod none net_bind_service"));
        assertEquals(CapabilitySets.NONE, caps("lxc.cap.keep = mknod", "lxc.cap.keep = none"));
    }

    @Test
    void aNonRootInitKeepsOnlyTheBoundingSet() {
        CapabilitySets s = plan(LAST, 1000, "lxc.cap.drop = mknod").capabilities().orElseThrow();
        assertEquals(new CapabilitySets(FULL & ~MKNOD, 0, 0, 0, 0), s);
    }

    @Test
    void withoutAProcessYetInitIsRoot() {
        LaunchPlan.Builder b = LaunchPlan.builder();
        new CapsContributor(LAST).contribute(context("lxc.cap.keep = mknod"), b);
        assertEquals(Optional.of(CapabilitySets.rootWith(MKNOD)), b.capabilitySets());
    }

    @Test
    void keepAndDropAreMutuallyExclusive() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> plan("lxc.cap.drop = sys_admin", "lxc.cap.keep = mknod"));
        assertEquals(Optional.of("lxc.cap.keep"), e.key());
        assertEquals(2, e.line());
        assertEquals("/var/lib/lxj/c1/config:2: Keeping and dropping capabilities are mutually exclusive: use either "
                + "lxc.cap.keep or lxc.cap.drop", e.getMessage());
    }

    @Test
    void noneIsOnlyForKeep() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.cap.drop = mknod none"));
        assertEquals(Optional.of("mknod none"), e.value());
        assertEquals("/var/lib/lxj/c1/config:1: Invalid lxc.cap.drop \"mknod none\": \"none\" is only valid for "
                + "lxc.cap.keep", e.getMessage());
    }

    @Test
    void unknownNamesAndNumbersBeyondTheKernelAreRefused() {
        ConfigException name = assertThrows(ConfigException.class, () -> plan("lxc.cap.drop = sys_admn"));
        assertEquals(Optional.of("lxc.cap.drop"), name.key());
        assertTrue(name.getMessage().startsWith("/var/lib/lxj/c1/config:1: Invalid capability \"sys_admn\" in "
                + "lxc.cap.drop: expected a name such as sys_admin"), name.getMessage());
        ConfigException number = assertThrows(ConfigException.class, () -> plan("lxc.cap.keep = 41"));
        assertEquals("/var/lib/lxj/c1/config:1: Invalid capability 41 in lxc.cap.keep: this kernel's capabilities "
                + "are numbered 0 to 40", number.getMessage());
        assertThrows(ConfigException.class, () -> plan("lxc.cap.keep = 99999999999"));
    }

    @Test
    void numbersUpToTheKernelsLastCapabilityAreAccepted() {
        assertEquals(1L << 45, plan(45, 0, "lxc.cap.keep = 45").capabilities().orElseThrow().bounding());
    }

    @Test
    void namesThisKernelDoesNotHaveAreSkipped() {
        // checkpoint_restore is 40; a kernel whose last capability is 37 (audit_read) has no bits above it
        CapabilitySets drop = plan(37, 0, "lxc.cap.drop = checkpoint_restore").capabilities().orElseThrow();
        assertEquals((1L << 38) - 1, drop.bounding());
        CapabilitySets keep = plan(37, 0, "lxc.cap.keep = bpf mknod").capabilities().orElseThrow();
        assertEquals(MKNOD, keep.bounding());
    }

    @Test
    void noNewPrivsSetsThePlanFlag() {
        assertTrue(plan("lxc.no_new_privs = 1").noNewPrivileges());
        assertFalse(plan("lxc.no_new_privs = 0").noNewPrivileges());
        assertEquals(Optional.empty(), plan("lxc.no_new_privs = 1").capabilities());
        LaunchPlan both = plan("lxc.cap.keep = net_bind_service", "lxc.no_new_privs = 1");
        assertTrue(both.noNewPrivileges());
        assertEquals(CapabilitySets.rootWith(1L << 10), both.capabilities().orElseThrow());
    }

    @Test
    void badNoNewPrivsNamesKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.no_new_privs = yes"));
        assertEquals("/var/lib/lxj/c1/config:1: Invalid lxc.no_new_privs \"yes\": expected 0 or 1", e.getMessage());
    }

    @Test
    void contributingTwiceGivesTheSamePlan() {
        LaunchPlan.Builder b = builder(0);
        CapsContributor c = new CapsContributor(LAST);
        c.contribute(context("lxc.cap.drop = mknod", "lxc.no_new_privs = 1"), b);
        c.contribute(context("lxc.cap.drop = mknod", "lxc.no_new_privs = 1"), b);
        LaunchPlan p = b.build();
        assertEquals(CapabilitySets.rootWith(FULL & ~MKNOD), p.capabilities().orElseThrow());
        assertTrue(p.noNewPrivileges());
    }

    @Test
    void readsTheLastCapabilityFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("cap_last_cap"), "40\n");
        assertEquals(40, LastCapability.read(file));
        Files.writeString(file, "64\n");
        BackendException e = assertThrows(BackendException.class, () -> LastCapability.read(file));
        assertEquals("Invalid last capability \"64\" in \"" + file + "\": expected a number from 0 to 63",
                e.getMessage());
        assertThrows(BackendException.class, () -> LastCapability.read(tmp.resolve("missing")));
    }

    @Test
    void readsThisHostsLastCapability() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(LastCapability.PROC_FILE),
                "/proc/sys/kernel/cap_last_cap is not readable here");
        int last = LastCapability.read(LastCapability.PROC_FILE);
        assertTrue(last >= Capability.AUDIT_READ.number() && last <= 63, "cap_last_cap " + last);
    }
}
