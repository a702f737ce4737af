package org.lxj.spi.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class LaunchPlanTest {

    private static LaunchPlan.Builder minimal() {
        return LaunchPlan.builder()
                .cloneNamespace(Namespace.MOUNT)
                .cloneNamespace(Namespace.UTS)
                .process(ProcessSpec.root(List.of("/sbin/init"), List.of("PATH=/bin:/sbin")));
    }

    @Test
    void buildsAPlanWithStepsInOrder() {
        LaunchPlan plan = minimal()
                .rootfs(Rootfs.of(Path.of("/var/lib/lxj/c1/rootfs")))
                .mount(MountStep.filesystem("proc", Path.of("/proc"),
                        EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), ""))
                .mount(MountStep.bind(Path.of("/srv/data"), Path.of("/data"), true, MountStep.Create.DIR))
                .maskPath(Path.of("/proc/kcore"))
                .maskPath(Path.of("/proc/kcore"))
                .hostname("c1")
                .rlimit(new Rlimit(Rlimit.Resource.NOFILE, 1024, 4096))
                .rlimit(new Rlimit(Rlimit.Resource.NOFILE, 2048, 4096))
                .build();
        assertEquals(Namespace.MOUNT.cloneFlag() | Namespace.UTS.cloneFlag(), plan.cloneFlags());
        assertEquals(0x0402_0000L, plan.cloneFlags());
        assertEquals(List.of(Path.of("/proc"), Path.of("/data")),
                plan.mounts().stream().map(MountStep::target).toList());
        assertEquals(2 | 4 | 8, plan.mounts().get(0).flagMask());
        assertEquals(4096 | 16384, plan.mounts().get(1).flagMask());
        assertEquals(List.of(Path.of("/proc/kcore")), plan.maskedPaths());
        assertEquals(List.of(new Rlimit(Rlimit.Resource.NOFILE, 2048, 4096)), plan.rlimits());
        assertEquals(Optional.of("c1"), plan.hostname());
        assertTrue(plan.newSessionKeyring());
        assertEquals(CgroupPlacement.NONE, plan.cgroup());
    }

    @Test
    void planListsAreImmutable() {
        LaunchPlan plan = minimal().mount(MountStep.filesystem("tmpfs", Path.of("/dev"), EnumSet.noneOf(MountFlag.class),
                "mode=755")).build();
        assertThrows(UnsupportedOperationException.class, () -> plan.mounts().clear());
    }

    @Test
    void rejectsAPlanWithoutProcess() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).build());
        assertEquals("Invalid launch plan: has no process to execute", e.getMessage());
    }

    @Test
    void rejectsRelativeMountTarget() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> MountStep.filesystem("proc", Path.of("proc"), EnumSet.noneOf(MountFlag.class), ""));
        assertEquals("Invalid mount target \"proc\": not an absolute path", e.getMessage());
        assertEquals("mount target", e.field());
        assertEquals(Optional.of("proc"), e.value());
    }

    @Test
    void rejectsDotDotInContainerPaths() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> new Symlink(Path.of("/dev/../etc/x"), "y"));
        assertEquals("Invalid symlink path \"/dev/../etc/x\": contains a \"..\" component", e.getMessage());
    }

    @Test
    void rejectsNulBytes() {
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> ProcessSpec.root(List.of("/bin/sh", "-c", "a\0b"), List.of()));
        assertEquals("Invalid argument \"a\\0b\": contains a NUL byte", e.getMessage());
        assertThrows(PlanValidationException.class, () -> new MountStep("a\0", Path.of("/x"), "tmpfs",
                EnumSet.noneOf(MountFlag.class), "", Optional.empty(), MountStep.Create.NONE, false, false));
    }

    @Test
    void rejectsMountWithoutFstypeUnlessBind() {
        assertThrows(PlanValidationException.class, () -> new MountStep("/x", Path.of("/x"), "",
                EnumSet.noneOf(MountFlag.class), "", Optional.empty(), MountStep.Create.NONE, false, false));
        MountStep remount = new MountStep("", Path.of("/x"), "", EnumSet.of(MountFlag.REMOUNT, MountFlag.RDONLY), "",
                Optional.empty(), MountStep.Create.NONE, false, false);
        assertFalse(remount.isBind());
    }

    @Test
    void rejectsBadEnvironmentEntries() {
        assertThrows(PlanValidationException.class, () -> ProcessSpec.root(List.of("/bin/sh"), List.of("NOEQUALS")));
        assertThrows(PlanValidationException.class, () -> ProcessSpec.root(List.of("/bin/sh"), List.of("=x")));
        assertThrows(PlanValidationException.class, () -> ProcessSpec.root(List.of(), List.of()));
    }

    @Test
    void rejectsOutOfRangeIds() {
        assertThrows(PlanValidationException.class, () -> new ProcessSpec(List.of("/bin/sh"), List.of(),
                0xFFFF_FFFFL, 0, List.of(), Path.of("/"), OptionalInt.empty()));
        assertThrows(PlanValidationException.class, () -> new ProcessSpec(List.of("/bin/sh"), List.of(),
                0, -1, List.of(), Path.of("/"), OptionalInt.empty()));
    }

    @Test
    void hostnameNeedsItsOwnUtsNamespace() {
        LaunchPlan.Builder b = LaunchPlan.builder().cloneNamespace(Namespace.MOUNT)
                .process(ProcessSpec.root(List.of("/bin/sh"), List.of())).hostname("web");
        PlanValidationException e = assertThrows(PlanValidationException.class, b::build);
        assertEquals("hostname", e.field());
        assertThrows(PlanValidationException.class, () -> minimal().hostname("x".repeat(65)));
    }

    @Test
    void mountsNeedAMountNamespace() {
        LaunchPlan.Builder b = LaunchPlan.builder().process(ProcessSpec.root(List.of("/bin/sh"), List.of()))
                .mount(MountStep.filesystem("proc", Path.of("/proc"), EnumSet.noneOf(MountFlag.class), ""));
        PlanValidationException e = assertThrows(PlanValidationException.class, b::build);
        assertEquals("Invalid mount: needs a new or joined mount namespace; it would change the host's mounts",
                e.getMessage());
        b.joinNamespace(NamespaceJoin.byPid(Namespace.MOUNT, 42));
        assertEquals(1, b.build().mounts().size());
    }

    @Test
    void cloningAndJoiningTheSameNamespaceReplacesEachOther() {
        LaunchPlan plan = minimal().joinNamespace(NamespaceJoin.byPath(Namespace.UTS, Path.of("/proc/7/ns/uts")))
                .build();
        assertFalse(plan.cloneNamespaces().contains(Namespace.UTS));
        assertEquals(1, plan.joins().size());
        LaunchPlan again = minimal().joinNamespace(NamespaceJoin.byPid(Namespace.NET, 7))
                .cloneNamespace(Namespace.NET).build();
        assertTrue(again.joins().isEmpty());
        assertTrue(again.cloneNamespaces().contains(Namespace.NET));
    }

    @Test
    void joinNeedsExactlyOneTarget() {
        assertThrows(PlanValidationException.class,
                () -> new NamespaceJoin(Namespace.NET, Optional.of(Path.of("/proc/1/ns/net")), 1));
        assertThrows(PlanValidationException.class, () -> new NamespaceJoin(Namespace.NET, Optional.empty(), 0));
        assertThrows(PlanValidationException.class, () -> NamespaceJoin.byPath(Namespace.NET, Path.of("ns/net")));
    }

    @Test
    void userNamespaceNeedsMapsCoveringTheProcess() {
        LaunchPlan.Builder b = minimal().cloneNamespace(Namespace.USER);
        assertEquals("Invalid uid map: a new user namespace needs at least one line",
                assertThrows(PlanValidationException.class, b::build).getMessage());
        b.idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536));
        assertEquals(2, b.build().idMappings().size());
        b.process(new ProcessSpec(List.of("/bin/sh"), List.of(), 70000, 0, List.of(), Path.of("/"),
                OptionalInt.empty()));
        assertEquals("Invalid uid \"70000\": is not mapped in the user namespace",
                assertThrows(PlanValidationException.class, b::build).getMessage());
    }

    @Test
    void idMapsMustNotOverlap() {
        LaunchPlan.Builder b = minimal().cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 1000))
                .idMapping(new IdMapping(IdMapping.Kind.UID, 999, 300000, 10))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 1000));
        assertEquals("Invalid uid map \"999 300000 10\": overlaps \"0 100000 1000\"",
                assertThrows(PlanValidationException.class, b::build).getMessage());
    }

    @Test
    void idMapsWithoutUserNamespaceAreRejected() {
        LaunchPlan.Builder b = minimal().idMapping(new IdMapping(IdMapping.Kind.UID, 0, 1000, 1));
        assertThrows(PlanValidationException.class, b::build);
    }

    @Test
    void idMappingChecksRange() {
        assertThrows(PlanValidationException.class, () -> new IdMapping(IdMapping.Kind.UID, 0, 0, 0));
        assertThrows(PlanValidationException.class,
                () -> new IdMapping(IdMapping.Kind.UID, 0, 0xFFFF_FFF0L, 100));
        IdMapping m = new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536);
        assertEquals(100005, m.toHost(5));
        assertEquals(-1, m.toHost(65536));
        assertEquals("0 100000 65536", m.mapLine());
    }

    @Test
    void capabilitySetsFollowTheKernelsSubsetRules() {
        long netBind = 1L << 10;
        long sysAdmin = 1L << 21;
        CapabilitySets ok = new CapabilitySets(netBind | 1, netBind, netBind, netBind, netBind);
        assertEquals(netBind, ok.ambient());
        PlanValidationException e = assertThrows(PlanValidationException.class,
                () -> new CapabilitySets(netBind, netBind, netBind, 0, netBind));
        assertEquals("ambient capabilities", e.field());
        assertThrows(PlanValidationException.class, () -> new CapabilitySets(netBind, netBind, sysAdmin, 0, 0));
        assertThrows(PlanValidationException.class, () -> new CapabilitySets(netBind, sysAdmin, 0, 0, 0));
        assertEquals("0000000000000400", CapabilitySets.hex(netBind));
    }

    @Test
    void landlockNeedsNoNewPrivsOrSysAdmin() {
        LandlockRuleset rules = new LandlockRuleset(LandlockRuleset.ACCESS_FS_READ_FILE, 0, 0,
                List.of(new LandlockRuleset.PathRule(Path.of("/usr"), LandlockRuleset.ACCESS_FS_READ_FILE)),
                List.of(), false);
        LaunchPlan.Builder b = minimal().landlock(rules).capabilities(CapabilitySets.rootWith(1L << 10));
        assertThrows(PlanValidationException.class, b::build);
        b.noNewPrivileges(true);
        assertTrue(b.build().landlock().isPresent());
        assertTrue(minimal().landlock(rules).capabilities(CapabilitySets.rootWith(1L << 21)).build().landlock()
                .isPresent());
    }

    @Test
    void landlockRulesStayWithinHandledRights() {
        assertThrows(PlanValidationException.class, () -> new LandlockRuleset(LandlockRuleset.ACCESS_FS_READ_FILE,
                0, 0, List.of(new LandlockRuleset.PathRule(Path.of("/tmp"), LandlockRuleset.ACCESS_FS_WRITE_FILE)),
                List.of(), false));
        assertThrows(PlanValidationException.class, () -> new LandlockRuleset(0, LandlockRuleset.ACCESS_NET_BIND_TCP,
                0, List.of(), List.of(new LandlockRuleset.PortRule(80, LandlockRuleset.ACCESS_NET_CONNECT_TCP)),
                false));
        assertThrows(PlanValidationException.class, () -> new LandlockRuleset.PortRule(70000, 1));
        assertThrows(PlanValidationException.class, () -> new LandlockRuleset(0, 0, 0, List.of(), List.of(), true));
    }

    @Test
    void seccompProgramChecksLengthAndCopiesBytes() {
        assertThrows(PlanValidationException.class, () -> new SeccompProgram(new byte[7], EnumSet.noneOf(
                SeccompFilterFlag.class)));
        assertThrows(PlanValidationException.class, () -> new SeccompProgram(new byte[0], EnumSet.noneOf(
                SeccompFilterFlag.class)));
        assertThrows(PlanValidationException.class,
                () -> new SeccompProgram(new byte[8 * 4097], EnumSet.noneOf(SeccompFilterFlag.class)));
        byte[] bytes = new byte[16];
        SeccompProgram p = new SeccompProgram(bytes, EnumSet.of(SeccompFilterFlag.NEW_LISTENER));
        bytes[0] = 1;
        assertEquals(0, p.filter()[0]);
        assertEquals(2, p.instructions());
        assertTrue(p.notifies());
        assertEquals(new SeccompProgram(new byte[16], EnumSet.of(SeccompFilterFlag.NEW_LISTENER)), p);
        assertEquals(8, SeccompFilterFlag.mask(p.flags()));
    }

    @Test
    void rlimitParsesLxcValues() {
        assertEquals(new Rlimit(Rlimit.Resource.NOFILE, 1024, 1024), Rlimit.parse(Rlimit.Resource.NOFILE, "1024"));
        assertEquals(new Rlimit(Rlimit.Resource.NOFILE, 1024, Rlimit.UNLIMITED),
                Rlimit.parse(Rlimit.Resource.NOFILE, "1024:unlimited"));
        assertEquals(new Rlimit(Rlimit.Resource.CORE, Rlimit.UNLIMITED, Rlimit.UNLIMITED),
                Rlimit.parse(Rlimit.Resource.CORE, "unlimited"));
        assertThrows(PlanValidationException.class, () -> Rlimit.parse(Rlimit.Resource.NOFILE, "10:5"));
        assertThrows(PlanValidationException.class, () -> Rlimit.parse(Rlimit.Resource.NOFILE, "unlimited:5"));
        assertThrows(PlanValidationException.class, () -> Rlimit.parse(Rlimit.Resource.NOFILE, "x"));
        assertThrows(PlanValidationException.class, () -> Rlimit.parse(Rlimit.Resource.NOFILE, "1:2:3"));
        assertEquals(Optional.of(Rlimit.Resource.NOFILE), Rlimit.Resource.find("RLIMIT_NOFILE"));
        assertEquals(Optional.of(Rlimit.Resource.MEMLOCK), Rlimit.Resource.find("memlock"));
        assertEquals(7, Rlimit.Resource.NOFILE.number());
    }

    @Test
    void procWritesStayUnderProc() {
        assertEquals("sys/net/ipv4/ip_forward", ProcWrite.sysctl("net.ipv4.ip_forward", "1").file());
        assertEquals("self/oom_score_adj", ProcWrite.self("oom_score_adj", "-100").file());
        assertThrows(PlanValidationException.class, () -> new ProcWrite("/proc/sys/x", "1"));
        assertThrows(PlanValidationException.class, () -> new ProcWrite("sys/../../etc/x", "1"));
        assertThrows(PlanValidationException.class, () -> ProcWrite.sysctl("net/ipv4", "1"));
    }

    @Test
    void hooksNeedAnAbsoluteProgram() {
        assertThrows(PlanValidationException.class, () -> new Hook(Hook.Stage.START, List.of("hook.sh"), List.of()));
        assertThrows(PlanValidationException.class, () -> new Hook(Hook.Stage.START, List.of(), List.of()));
        Hook h = new Hook(Hook.Stage.START_HOST, List.of("/usr/share/lxc/hooks/x"), List.of("LXC_NAME=c1"));
        LaunchPlan plan = minimal().hook(h).build();
        assertEquals(List.of(h), plan.hooks(Hook.Stage.START_HOST));
        assertEquals(List.of(), plan.hooks(Hook.Stage.START));
        assertEquals(Optional.of(Hook.Stage.POST_STOP), Hook.Stage.find("post-stop"));
    }

    @Test
    void devicesCheckNumbersAndMode() {
        DeviceNode n = DeviceNode.character(Path.of("/dev/null"), 1, 3, 0666);
        assertEquals('c', n.type().letter());
        assertThrows(PlanValidationException.class, () -> DeviceNode.character(Path.of("/dev/x"), 4096, 0, 0666));
        assertThrows(PlanValidationException.class, () -> DeviceNode.character(Path.of("/dev/x"), 1, 3, 010666));
        assertThrows(PlanValidationException.class, () -> DeviceNode.character(Path.of("dev/x"), 1, 3, 0666));
    }

    @Test
    void cgroupPlacementNamesProcsFiles() {
        assertThrows(PlanValidationException.class, () -> new CgroupPlacement(Optional.empty(),
                List.of(Path.of("/sys/fs/cgroup/memory/lxc.payload.c1/tasks"))));
        CgroupPlacement p = new CgroupPlacement(Optional.of(Path.of("/sys/fs/cgroup/lxc.payload.c1")), List.of());
        assertEquals(p, minimal().cgroup(p).build().cgroup());
    }

    @Test
    void consoleChecksTtyDir() {
        assertThrows(PlanValidationException.class, () -> new ConsoleSpec(ConsoleSpec.Console.PTY, 1, "a/b", 0,
                Optional.empty(), 0, 0, 0));
        assertThrows(PlanValidationException.class, () -> new ConsoleSpec(ConsoleSpec.Console.PTY, -1, "", 0,
                Optional.empty(), 0, 0, 0));
    }

    @Test
    void namespaceNamesAndPropagation() {
        assertEquals(Optional.of(Namespace.MOUNT), Namespace.find("mnt"));
        assertEquals(Optional.of(Namespace.MOUNT), Namespace.find("MOUNT"));
        assertEquals(Optional.empty(), Namespace.find("bogus"));
        assertEquals(0x80L, Namespace.TIME.cloneFlag());
        assertEquals((1L << 19) | (1L << 14), Propagation.RSLAVE.flags());
        assertEquals(1L << 18, Propagation.PRIVATE.flags());
        assertEquals(1 << 4, Securebit.mask(EnumSet.of(Securebit.KEEP_CAPS)));
    }

    @Test
    void builderShowsEarlierDecisions() {
        LaunchPlan.Builder b = minimal().noNewPrivileges(true).capabilities(CapabilitySets.NONE);
        assertTrue(b.isNoNewPrivileges());
        assertEquals(Optional.of(CapabilitySets.NONE), b.capabilitySets());
        assertTrue(b.cloneNamespaces().contains(Namespace.UTS));
        assertEquals("/sbin/init", b.processSpec().orElseThrow().argv().get(0));
    }
}
