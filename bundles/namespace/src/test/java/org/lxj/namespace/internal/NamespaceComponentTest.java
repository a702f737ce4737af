package org.lxj.namespace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.TimeOffsets;
import org.lxj.spi.namespace.NamespaceSelection;
import org.lxj.spi.namespace.ShareResolver;

class NamespaceComponentTest {

    private static final Set<Namespace> ALL = EnumSet.allOf(Namespace.class);
    private static final Set<Namespace> DEFAULT = EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS,
            Namespace.IPC, Namespace.NET, Namespace.CGROUP);
    private static final String[] MAPS = {"lxc.idmap = u 0 100000 65536", "lxc.idmap = g 0 100000 65536"};

    /** Records what it was asked and answers container "web" with pid 4242. */
    private final List<String> asked = new ArrayList<>();
    private final ShareResolver resolver = (ns, value) -> {
        asked.add(ns.procName() + "=" + value);
        if (value.equals("web") || value.equals("/opt/web")) {
            return NamespaceJoin.byPid(ns, 4242);
        }
        throw new org.lxj.spi.backend.BackendException("Container \"" + value + "\" is not running");
    };

    private static HostFacts host(boolean userNamespaces) {
        return new HostFacts("6.1.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID, List.of(), userNamespaces,
                Set.of(), 0);
    }

    private static ContainerContext context(HostFacts host, String... lines) {
        return new ContainerContext("c1", Path.of("/var/lib/lxj"), new FakeConfig(lines),
                Path.of("/run/lxj/0/c1"), Path.of("/var/lib/lxj/c1/rootfs"), host);
    }

    private NamespaceComponent component(Set<Namespace> kernel) {
        return new NamespaceComponent(KernelNamespaces.of(kernel), resolver);
    }

    private LaunchPlan plan(String... lines) {
        return plan(ALL, lines);
    }

    private LaunchPlan plan(Set<Namespace> kernel, String... lines) {
        LaunchPlan.Builder b = LaunchPlan.builder();
        component(kernel).contribute(context(host(true), lines), b);
        return b.process(ProcessSpec.root(List.of("/sbin/init"), List.of())).build();
    }

    private static String[] with(String[] first, String... more) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void runsFirstAsANamespacePolicy() {
        NamespaceComponent c = component(ALL);
        assertEquals(LaunchContributor.ORDER_NAMESPACE, c.order());
        assertEquals("lxc", c.type());
        assertTrue(c.detect(host(true)).available());
    }

    @Test
    void createsTheDefaultSetWithoutKeys() {
        LaunchPlan p = plan();
        assertEquals(DEFAULT, p.cloneNamespaces());
        assertEquals(0x6E02_0000L, p.cloneFlags());
        assertTrue(p.joins().isEmpty());
        assertTrue(p.idMappings().isEmpty());
        assertEquals(Optional.empty(), p.timeOffsets());
    }

    @Test
    void blankValuesAreClearingLinesNotEmptyLists() {
        assertEquals(DEFAULT, plan("lxc.namespace.clone =", "lxc.namespace.keep =", "lxc.idmap =",
                "lxc.time.offset.boot =").cloneNamespaces());
    }

    @Test
    void leavesOutWhatTheKernelLacks() {
        Set<Namespace> noCgroup = EnumSet.complementOf(EnumSet.of(Namespace.CGROUP));
        assertFalse(plan(noCgroup).cloneNamespaces().contains(Namespace.CGROUP));
    }

    @Test
    void addsAUserNamespaceAndItsMapsWithIdmap() {
        LaunchPlan p = plan(MAPS);
        Set<Namespace> expected = EnumSet.copyOf(DEFAULT);
        expected.add(Namespace.USER);
        assertEquals(expected, p.cloneNamespaces());
        assertEquals(List.of(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536),
                new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536)), p.idMappings());
        assertTrue(p.setgroupsAllowed());
    }

    @Test
    void keepsSeveralIdmapLinesInOrder() {
        LaunchPlan p = plan("lxc.idmap = u 0 100000 1000", "lxc.idmap = u 1000 1000 1",
                "lxc.idmap = u 1001 101001 64535", "lxc.idmap = g 0 100000 65536");
        assertEquals(List.of("0 100000 1000", "1000 1000 1", "1001 101001 64535", "0 100000 65536"),
                p.idMappings().stream().map(IdMapping::mapLine).toList());
    }

    @Test
    void noNetNamespaceWhenEveryNicIsNone() {
        assertFalse(plan("lxc.net.0.type = none").cloneNamespaces().contains(Namespace.NET));
        assertTrue(plan("lxc.net.0.type = empty").cloneNamespaces().contains(Namespace.NET));
        assertTrue(plan("lxc.net.0.type = none", "lxc.net.1.type = veth").cloneNamespaces().contains(Namespace.NET));
    }

    @Test
    void cloneListIsExactlyWhatIsCreated() {
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.NET, Namespace.IPC),
                plan("lxc.namespace.clone = mount net ipc").cloneNamespaces());
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.UTS, Namespace.PID),
                plan("lxc.namespace.clone = mnt", "lxc.namespace.clone = uts pid").cloneNamespaces());
    }

    @Test
    void cloneListWithUserNeedsIdmap() {
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.USER),
                plan(with(MAPS, "lxc.namespace.clone = mnt user")).cloneNamespaces());
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.namespace.clone = mnt user"));
        assertEquals(Optional.of("lxc.namespace.clone"), e.key());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().startsWith("/var/lib/lxj/c1/config:1: Invalid lxc.namespace.clone: a new user "
                + "namespace needs lxc.idmap lines"), e.getMessage());
    }

    @Test
    void idmapWithoutANewUserNamespaceIsNotWritten() {
        LaunchPlan p = plan(with(MAPS, "lxc.namespace.clone = mnt pid"));
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.PID), p.cloneNamespaces());
        assertTrue(p.idMappings().isEmpty());
    }

    @Test
    void keepCreatesTheRestOfTheDefaultSet() {
        LaunchPlan p = plan("lxc.namespace.keep = net ipc");
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.CGROUP),
                p.cloneNamespaces());
        LaunchPlan userKept = plan(with(MAPS, "lxc.namespace.keep = user net"));
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.CGROUP),
                userKept.cloneNamespaces());
        assertTrue(userKept.idMappings().isEmpty());
    }

    @Test
    void keepIsReportedInTheSelection() {
        NamespaceSelection s = component(ALL).select(context(host(true), "lxc.namespace.keep = net"), resolver);
        assertEquals(Set.of(Namespace.NET), s.keep());
        assertFalse(s.create().contains(Namespace.NET));
    }

    @Test
    void cloneAndKeepTogetherAreRefusedAtTheLaterLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> plan("lxc.namespace.clone = mnt pid", "lxc.namespace.keep = net"));
        assertEquals(Optional.of("lxc.namespace.keep"), e.key());
        assertEquals(2, e.line());
        assertEquals("/var/lib/lxj/c1/config:2: Cannot set both lxc.namespace.clone and lxc.namespace.keep: keep "
                + "lists what is not created, clone what is", e.getMessage());
    }

    @Test
    void unknownNamespaceNamesTheKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.namespace.clone = mnt nett"));
        assertEquals(Optional.of("mnt nett"), e.value());
        assertEquals("/var/lib/lxj/c1/config:1: Invalid namespace \"nett\" in lxc.namespace.clone: expected mnt "
                + "(or mount), pid, uts, ipc, net, user, cgroup or time", e.getMessage());
    }

    @Test
    void namespaceTheKernelLacksIsUnsupported() {
        Set<Namespace> noTime = EnumSet.complementOf(EnumSet.of(Namespace.TIME));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> plan(noTime, "lxc.namespace.clone = mnt time"));
        assertEquals("Failed to create a time namespace: this kernel has none (/proc/self/ns/time is missing), "
                + "but lxc.namespace.clone asks for it", e.getMessage());
    }

    @Test
    void userNamespaceOnAHostWithoutThemIsUnsupported() {
        LaunchPlan.Builder b = LaunchPlan.builder();
        assertThrows(UnsupportedFeatureException.class, () -> component(ALL).contribute(context(host(false), MAPS), b));
    }

    @Test
    void sharesByPid() {
        LaunchPlan p = plan("lxc.namespace.share.net = 42");
        assertFalse(p.cloneNamespaces().contains(Namespace.NET));
        assertEquals(List.of(NamespaceJoin.byPid(Namespace.NET, 42)), p.joins());
        assertTrue(asked.isEmpty());
    }

    @Test
    void sharesByContainerNameThroughTheResolver() {
        LaunchPlan p = plan("lxc.namespace.share.ipc = web", "lxc.namespace.share.uts = web");
        assertEquals(List.of("uts=web", "ipc=web"), asked);
        assertEquals(List.of(NamespaceJoin.byPid(Namespace.UTS, 4242), NamespaceJoin.byPid(Namespace.IPC, 4242)),
                p.joins());
        assertFalse(p.cloneNamespaces().contains(Namespace.IPC));
        assertFalse(p.cloneNamespaces().contains(Namespace.UTS));
    }

    @Test
    void sharesAContainerByItsDirectoryThroughTheResolver(@TempDir Path tmp) throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("web"));
        assertThrows(org.lxj.spi.backend.BackendException.class, () -> plan("lxc.namespace.share.pid = " + dir));
        assertEquals(List.of("pid=" + dir), asked);
    }

    @Test
    void sharesANamespaceFileByPath(@TempDir Path tmp) throws IOException {
        Path file = Files.createFile(tmp.resolve("blue"));
        LaunchPlan p = plan("lxc.namespace.share.net = " + file);
        assertEquals(List.of(NamespaceJoin.byPath(Namespace.NET, file)), p.joins());
        assertTrue(asked.isEmpty());
    }

    @Test
    void missingSharePathNamesKeyAndValue(@TempDir Path tmp) {
        Path missing = tmp.resolve("nothing");
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.namespace.share.net = " + missing));
        assertEquals(Optional.of("lxc.namespace.share.net"), e.key());
        assertEquals("/var/lib/lxj/c1/config:1: Invalid lxc.namespace.share.net \"" + missing
                + "\": no such namespace file or container directory", e.getMessage());
    }

    @Test
    void badSharePidIsRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.namespace.share.net = 0"));
        assertEquals("/var/lib/lxj/c1/config:1: Invalid lxc.namespace.share.net \"0\": expected a pid from 1 to "
                + Integer.MAX_VALUE, e.getMessage());
        assertThrows(ConfigException.class, () -> plan("lxc.namespace.share.net = 99999999999"));
        assertThrows(ConfigException.class, () -> plan("lxc.namespace.share.net = a/b"));
    }

    @Test
    void shareWinsOverCloneAndKeep() {
        LaunchPlan p = plan("lxc.namespace.keep = ipc", "lxc.namespace.share.ipc = 7");
        assertEquals(List.of(NamespaceJoin.byPid(Namespace.IPC, 7)), p.joins());
        NamespaceSelection s = component(ALL).select(
                context(host(true), "lxc.namespace.clone = mnt net", "lxc.namespace.share.net = 7"), resolver);
        assertEquals(Set.of(Namespace.MOUNT), s.create());
        assertTrue(s.keep().isEmpty());
    }

    @Test
    void sharedUserNamespaceIsJoinedFirstAndGetsNoMaps() {
        LaunchPlan p = plan(with(MAPS, "lxc.namespace.share.net = 9", "lxc.namespace.share.user = 9"));
        assertEquals(List.of(Namespace.USER, Namespace.NET), p.joins().stream().map(NamespaceJoin::namespace).toList());
        assertFalse(p.cloneNamespaces().contains(Namespace.USER));
        assertTrue(p.idMappings().isEmpty());
    }

    @Test
    void containerNamesNeedAResolver() {
        NamespaceComponent bare = new NamespaceComponent(KernelNamespaces.of(ALL), null);
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> bare.contribute(context(host(true), "lxc.namespace.share.net = web"), LaunchPlan.builder()));
        assertEquals("Failed to share the net namespace of container \"web\" (lxc.namespace.share.net): no share "
                + "resolver is installed", e.getMessage());
        LaunchPlan.Builder b = LaunchPlan.builder();
        bare.contribute(context(host(true), "lxc.namespace.share.net = 5"), b);
        assertEquals(List.of(NamespaceJoin.byPid(Namespace.NET, 5)), b.joins());
    }

    @Test
    void timeOffsetsCreateATimeNamespace() {
        LaunchPlan p = plan("lxc.time.offset.boot = -2h", "lxc.time.offset.monotonic = 1500ms");
        assertTrue(p.cloneNamespaces().contains(Namespace.TIME));
        TimeOffsets t = p.timeOffsets().orElseThrow();
        assertEquals(Duration.ofHours(-2), t.boottime());
        assertEquals(Duration.ofMillis(1500), t.monotonic());
        assertEquals("monotonic 1 500000000\nboottime -7200 0\n", t.timensOffsetsText());
    }

    @Test
    void everyUnitOfTimeOffsets() {
        assertEquals(Duration.ofMinutes(3), plan("lxc.time.offset.boot = 3m").timeOffsets().orElseThrow().boottime());
        assertEquals(Duration.ofSeconds(-7), plan("lxc.time.offset.boot = -7s").timeOffsets().orElseThrow().boottime());
        assertEquals(Duration.ofNanos(5000),
                plan("lxc.time.offset.monotonic = 5us").timeOffsets().orElseThrow().monotonic());
        assertEquals(Duration.ofNanos(-9),
                plan("lxc.time.offset.monotonic = -9ns").timeOffsets().orElseThrow().monotonic());
    }

    @Test
    void zeroOffsetsCreateNoTimeNamespace() {
        LaunchPlan p = plan("lxc.time.offset.boot = 0s");
        assertFalse(p.cloneNamespaces().contains(Namespace.TIME));
        assertEquals(Optional.empty(), p.timeOffsets());
    }

    @Test
    void timeNamespaceWithoutOffsetsWhenCloned() {
        LaunchPlan p = plan("lxc.namespace.clone = mnt time");
        assertTrue(p.cloneNamespaces().contains(Namespace.TIME));
        assertEquals(Optional.empty(), p.timeOffsets());
    }

    @Test
    void offsetsWithAKeptOrSharedTimeNamespaceAreRefused() {
        ConfigException kept = assertThrows(ConfigException.class,
                () -> plan("lxc.namespace.keep = time", "lxc.time.offset.boot = 10s"));
        assertEquals(Optional.of("lxc.time.offset.boot"), kept.key());
        assertEquals("/var/lib/lxj/c1/config:2: Invalid lxc.time.offset.boot \"10s\": lxc.namespace.keep keeps the "
                + "time namespace, so there is no new one to offset", kept.getMessage());
        assertThrows(ConfigException.class,
                () -> plan("lxc.namespace.share.time = 3", "lxc.time.offset.monotonic = 1s"));
    }

    @Test
    void offsetsWithACloneListWithoutTimeAreNotWritten() {
        LaunchPlan p = plan("lxc.namespace.clone = mnt", "lxc.time.offset.boot = 10s");
        assertEquals(Set.of(Namespace.MOUNT), p.cloneNamespaces());
        assertEquals(Optional.empty(), p.timeOffsets());
    }

    @Test
    void badTimeOffsetsNameKeyValueAndExpectation() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.time.offset.boot = 10 s"));
        assertEquals("/var/lib/lxj/c1/config:1: Invalid lxc.time.offset.boot \"10 s\": expected an integer with a "
                + "unit h, m, s, ms, us or ns (e.g. -10s)", e.getMessage());
        ConfigException big = assertThrows(ConfigException.class,
                () -> plan("lxc.time.offset.monotonic = 999999999999999999h"));
        assertEquals(Optional.of("lxc.time.offset.monotonic"), big.key());
        assertTrue(big.getMessage().contains("the offset is out of range"), big.getMessage());
    }

    @Test
    void malformedIdmapsAreRefusedWithTheirLine() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> plan("lxc.idmap = u 0 100000 65536", "lxc.idmap = x 0 1 1"));
        assertEquals(2, e.line());
        assertEquals("/var/lib/lxj/c1/config:2: Invalid lxc.idmap \"x 0 1 1\": expected \"u|g NSID HOSTID RANGE\" "
                + "(e.g. u 0 100000 65536)", e.getMessage());
        assertThrows(ConfigException.class, () -> plan("lxc.idmap = u 0 100000 0", "lxc.idmap = g 0 1 1"));
        assertThrows(ConfigException.class, () -> plan("lxc.idmap = u 0 abc 1", "lxc.idmap = g 0 1 1"));
        assertThrows(ConfigException.class, () -> plan("lxc.idmap = u 4294967290 1 10", "lxc.idmap = g 0 1 1"));
    }

    @Test
    void overlappingIdmapsAreRefused() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.idmap = u 0 100000 65536",
                "lxc.idmap = u 1000 1000 1", "lxc.idmap = g 0 100000 65536"));
        assertEquals(2, e.line());
        assertEquals("/var/lib/lxj/c1/config:2: Invalid lxc.idmap \"u 1000 1000 1\": its container ids overlap "
                + "those of \"u 0 100000 65536\"", e.getMessage());
    }

    @Test
    void idmapsNeedBothKinds() {
        ConfigException e = assertThrows(ConfigException.class, () -> plan("lxc.idmap = u 0 100000 65536"));
        assertTrue(e.getMessage().startsWith("/var/lib/lxj/c1/config:1: Invalid lxc.idmap: no \"g\" line"),
                e.getMessage());
    }

    @Test
    void probesTheKernelsNamespaceFiles(@TempDir Path tmp) throws IOException {
        Files.createFile(tmp.resolve("mnt"));
        Files.createSymbolicLink(tmp.resolve("net"), tmp.resolve("net:[4026531840]"));
        KernelNamespaces k = KernelNamespaces.probe(tmp);
        assertTrue(k.has(Namespace.MOUNT));
        assertTrue(k.has(Namespace.NET));
        assertFalse(k.has(Namespace.PID));
    }
}
