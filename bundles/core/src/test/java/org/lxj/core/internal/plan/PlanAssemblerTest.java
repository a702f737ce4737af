package org.lxj.core.internal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.ProcWrite;
import org.lxj.spi.launch.Propagation;
import org.lxj.spi.launch.Rlimit;
import org.lxj.spi.launch.Symlink;

/** Plans built from sample configs, compared step by step; no root needed. */
class PlanAssemblerTest {
    static final HostFacts HOST = new HostFacts("6.1.0", "x86_64", Set.of("proc", "sysfs", "tmpfs"), List.of(),
            CgroupLayout.HYBRID, List.of(new CgroupHierarchy(1, Path.of("/sys/fs/cgroup/memory"), List.of("memory")),
                    new CgroupHierarchy(2, Path.of("/sys/fs/cgroup/unified"), List.of())),
            false, Set.of(), 0);

    static final Set<Path> DIRS = Set.of(Path.of("/proc/acpi"), Path.of("/proc/asound"), Path.of("/proc/scsi"),
            Path.of("/sys/firmware"), Path.of("/sys/devices/virtual/powercap"));

    @TempDir
    Path tmp;
    Path rootfs;
    Path configFile;

    @BeforeEach
    void setUp() throws IOException {
        rootfs = Files.createDirectories(tmp.resolve("c1/rootfs"));
        configFile = tmp.resolve("c1/config");
    }

    ContainerContext context(String text) {
        ContainerConfig config = new ConfigParser().parse("lxc.rootfs.path = dir:" + rootfs + "\n" + text, configFile);
        return new ContainerContext("c1", tmp, config, tmp.resolve("run"), rootfs, HOST);
    }

    /** Plans as on a host that has every /proc and /sys path, so expectations do not depend on this kernel. */
    LaunchPlan plan(String text) {
        return PlanAssembler.builder(context(text), LaunchRequest.start(), List.of(), p -> true, DIRS::contains).build();
    }

    static String describe(MountStep m) {
        return m.source() + " " + m.target() + " " + m.fstype() + " "
                + m.flags().stream().map(Enum::name).sorted().collect(Collectors.joining("|")) + " " + m.data()
                + (m.relative() ? " relative" : "") + (m.optional() ? " optional" : "")
                + (m.create() != MountStep.Create.NONE ? " create=" + m.create() : "")
                + m.propagation().map(p -> " " + p.optionName()).orElse("");
    }

    @Test
    void busyboxStyleConfigGivesLxcsMountsDevicesAndProcess() {
        LaunchPlan p = plan("""
                lxc.net.0.type = empty
                lxc.uts.name = anchor1
                lxc.autodev = 1
                lxc.pty.max = 1
                lxc.mount.auto = proc:mixed sys:ro
                lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0
                lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0
                lxc.mount.entry = /lib lib none ro,bind 0 0
                """);
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC, Namespace.NET,
                Namespace.CGROUP), EnumSet.copyOf(p.cloneNamespaces()));
        assertEquals(rootfs, p.rootfs().orElseThrow().path());
        assertEquals(Propagation.RSLAVE, p.rootfs().orElseThrow().propagation().orElseThrow());
        assertFalse(p.rootfs().orElseThrow().readOnly());
        assertEquals(List.of(
                "proc /proc proc NODEV|NOEXEC|NOSUID  create=DIR",
                "/proc/sys /proc/sys  BIND  relative",
                "/proc/sys /proc/sys  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "/proc/sys/net /proc/sys/net  BIND  relative",
                "/proc/sys/net /proc/sys/net  BIND|NODEV|NOEXEC|NOSUID|REMOUNT ",
                "/proc/sysrq-trigger /proc/sysrq-trigger  BIND  relative",
                "/proc/sysrq-trigger /proc/sysrq-trigger  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "sysfs /sys sysfs NODEV|NOEXEC|NOSUID|RDONLY  create=DIR",
                "tmpfs /dev tmpfs NOSUID|STRICTATIME size=500000,mode=755 create=DIR",
                "devpts /dev/pts devpts NOEXEC|NOSUID newinstance,ptmxmode=0666,mode=0620,gid=5,max=1 create=DIR",
                "shm /dev/shm tmpfs   create=DIR",
                "mqueue /dev/mqueue mqueue   optional create=DIR",
                "/lib /lib  BIND ",
                "/lib /lib  BIND|RDONLY|REMOUNT "),
                p.mounts().stream().map(PlanAssemblerTest::describe).filter(d -> !d.startsWith("/dev/null "))
                        .toList());
        assertEquals(List.of("/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
                "/proc/timer_stats", "/proc/sched_debug", "/proc/interrupts"),
                p.mounts().stream().filter(m -> m.source().equals("/dev/null")).map(m -> m.target().toString()).toList(),
                "file masks: the host's /dev/null bound before the pivot");
        assertEquals(List.of("/dev/null 1:3", "/dev/zero 1:5", "/dev/full 1:7", "/dev/random 1:8",
                "/dev/urandom 1:9", "/dev/tty 5:0"),
                p.devices().stream().map(d -> d.path() + " " + d.major() + ":" + d.minor()).toList());
        assertTrue(p.devices().stream().allMatch(d -> d.mode() == 0666 && d.type() == DeviceNode.Type.CHAR
                && !d.bindFromHost()));
        assertEquals(List.of(new Symlink(Path.of("/dev/ptmx"), "pts/ptmx"),
                new Symlink(Path.of("/dev/fd"), "/proc/self/fd"), new Symlink(Path.of("/dev/stdin"), "/proc/self/fd/0"),
                new Symlink(Path.of("/dev/stdout"), "/proc/self/fd/1"),
                new Symlink(Path.of("/dev/stderr"), "/proc/self/fd/2")), p.symlinks());
        assertEquals("anchor1", p.hostname().orElseThrow());
        assertEquals(List.of("/sbin/init"), p.process().argv());
        assertEquals(List.of("container=lxc", ProcessContributor.DEFAULT_PATH), p.process().env());
        assertEquals(Path.of("/"), p.process().cwd());
        assertEquals(ConsoleSpec.Console.PTY, p.console().console());
        assertEquals(List.of(Path.of("/proc/acpi"), Path.of("/proc/asound"), Path.of("/proc/scsi"),
                Path.of("/sys/firmware"), Path.of("/sys/devices/virtual/powercap")), p.maskedPaths());
        assertEquals(MaskContributor.READ_ONLY_PROC.stream().map(Path::of).toList(), p.readOnlyPaths());
    }

    @Test
    void pathsThisKernelLacksAreNotPlanned() {
        LaunchPlan p = PlanAssembler.builder(context("lxc.mount.auto = proc:mixed sys:mixed\nlxc.autodev = 0\n"),
                LaunchRequest.start(), List.of(), path -> !path.toString().contains("sysrq")
                        && !path.equals(Path.of("/proc/kcore")) && !path.startsWith("/sys/devices/virtual"),
                DIRS::contains).build();
        assertTrue(p.mounts().stream().noneMatch(m -> m.target().toString().contains("sysrq")
                || m.target().startsWith("/sys/devices/virtual")));
        assertTrue(p.mounts().stream().noneMatch(m -> m.target().equals(Path.of("/proc/kcore"))));
        assertTrue(p.mounts().stream().anyMatch(m -> m.target().equals(Path.of("/proc/keys"))));
        assertFalse(p.maskedPaths().contains(Path.of("/sys/devices/virtual/powercap")));
    }

    @Test
    void processKeysAndLimits() {
        LaunchPlan p = plan("""
                lxc.rootfs.options = ro
                lxc.init.cmd = /bin/sh -c "echo hi; sleep 1"
                lxc.init.uid = 1000
                lxc.init.gid = 100
                lxc.init.groups = 10,20
                lxc.init.cwd = /tmp
                lxc.environment = FOO=bar
                lxc.environment = HOME
                lxc.environment = UNSET_ANYWHERE
                lxc.prlimit.nofile = 1024:2048
                lxc.prlimit.core = unlimited
                lxc.sysctl.net.ipv4.ip_forward = 1
                lxc.sysctl.kernel.shmmni = 2048
                lxc.proc.oom_score_adj = 10
                lxc.signal.halt = SIGUSR1
                lxc.no_new_privs = 1
                lxc.autodev = 0
                """);
        assertTrue(p.rootfs().orElseThrow().readOnly());
        assertEquals(List.of("/bin/sh", "-c", "echo hi; sleep 1"), p.process().argv());
        assertEquals(1000, p.process().uid());
        assertEquals(100, p.process().gid());
        assertEquals(List.of(10L, 20L), p.process().groups());
        assertEquals(Path.of("/tmp"), p.process().cwd());
        assertEquals(List.of("container=lxc", "FOO=bar", ProcessContributor.DEFAULT_PATH), p.process().env());
        assertEquals(List.of(new Rlimit(Rlimit.Resource.CORE, Rlimit.UNLIMITED, Rlimit.UNLIMITED),
                new Rlimit(Rlimit.Resource.NOFILE, 1024, 2048)), p.rlimits());
        assertEquals(List.of(new ProcWrite("sys/net/ipv4/ip_forward", "1"), new ProcWrite("sys/kernel/shmmni", "2048"),
                new ProcWrite("self/oom_score_adj", "10")), p.procWrites());
        assertTrue(p.noNewPrivileges());
        assertTrue(p.devices().isEmpty(), "no autodev, no device nodes");
        assertEquals(List.of("devpts /dev/pts devpts NOEXEC|NOSUID newinstance,ptmxmode=0666,mode=0620,gid=5 create=DIR"),
                p.mounts().stream().map(PlanAssemblerTest::describe).toList());
        assertEquals(List.of(new Symlink(Path.of("/dev/ptmx"), "pts/ptmx")), p.symlinks());
    }

    @Test
    void passThroughEnvironmentComesFromTheRequest() {
        LaunchRequest r = new LaunchRequest(LaunchRequest.Mode.START, List.of(), OptionalLong.empty(),
                OptionalLong.empty(), Map.of("HOME", "/root"));
        LaunchPlan p = PlanAssembler.assemble(context("lxc.environment = HOME\nlxc.environment = PATH=/bin\n"), r,
                List.of());
        assertEquals(List.of("container=lxc", "HOME=/root", "PATH=/bin"), p.process().env());
    }

    @Test
    void executeRunsTheCommandWithItsIdsAndInheritedStdio() {
        LaunchRequest r = new LaunchRequest(LaunchRequest.Mode.EXECUTE, List.of("sh", "-c", "echo $$"),
                OptionalLong.of(5), OptionalLong.of(6), Map.of());
        LaunchPlan p = PlanAssembler.assemble(context("lxc.init.uid = 1\nlxc.execute.cmd = /bin/true\n"), r, List.of());
        assertEquals(List.of("sh", "-c", "echo $$"), p.process().argv());
        assertEquals(5, p.process().uid());
        assertEquals(6, p.process().gid());
        assertEquals(ConsoleSpec.Console.INHERIT, p.console().console());
        LaunchRequest configured = new LaunchRequest(LaunchRequest.Mode.EXECUTE, List.of(), OptionalLong.empty(),
                OptionalLong.empty(), Map.of());
        assertEquals(List.of("/bin/true"), PlanAssembler.assemble(context("lxc.execute.cmd = /bin/true\n"),
                configured, List.of()).process().argv());
    }

    @Test
    void netNoneSharesTheHostsNetworkAndRefusesNetSysctls() {
        LaunchPlan p = plan("lxc.net.0.type = none\n");
        assertFalse(p.cloneNamespaces().contains(Namespace.NET));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> plan("lxc.net.0.type = none\nlxc.sysctl.net.ipv4.ip_forward = 1\n"));
        assertEquals("Config key \"lxc.sysctl.net.ipv4.ip_forward\" needs the container's own net namespace; setting "
                + "it would change the host", e.getMessage());
    }

    @Test
    void nonNamespacedSysctlIsRefusedWithItsKey() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> plan("lxc.sysctl.vm.swappiness = 10\n"));
        assertEquals("Config key \"lxc.sysctl.vm.swappiness\" names a sysctl that is not namespaced; setting it would "
                + "change the host", e.getMessage());
    }

    @Test
    void cgroupMountsFollowLxcWithAndWithoutForce() {
        assertTrue(plan("lxc.mount.auto = cgroup:mixed\nlxc.autodev = 0\n").mounts().stream()
                .noneMatch(m -> m.target().startsWith("/sys/fs/cgroup")), "cgroupns: left to the container's init");
        List<String> forced = plan("lxc.mount.auto = cgroup:ro:force\nlxc.autodev = 0\n").mounts().stream()
                .filter(m -> m.target().startsWith("/sys/fs/cgroup")).map(PlanAssemblerTest::describe).toList();
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "cgroup /sys/fs/cgroup/memory cgroup NODEV|NOEXEC|NOSUID|RDONLY memory create=DIR",
                "cgroup2 /sys/fs/cgroup/unified cgroup2 NODEV|NOEXEC|NOSUID|RDONLY  create=DIR",
                "/sys/fs/cgroup /sys/fs/cgroup  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT "), forced);
        // in the container's cgroup namespace the mounts show its own subtree: mixed leaves them writable
        List<String> mixed = plan("lxc.mount.auto = cgroup-full:mixed:force\nlxc.autodev = 0\n").mounts().stream()
                .filter(m -> m.target().startsWith("/sys/fs/cgroup")).map(PlanAssemblerTest::describe).toList();
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "cgroup /sys/fs/cgroup/memory cgroup NODEV|NOEXEC|NOSUID memory create=DIR",
                "cgroup2 /sys/fs/cgroup/unified cgroup2 NODEV|NOEXEC|NOSUID  create=DIR",
                "/sys/fs/cgroup /sys/fs/cgroup  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT "), mixed);
    }

    /** Init placed in lxc.payload.c1 of both hierarchies of {@link #HOST}. */
    static final CgroupPlacement PLACED = new CgroupPlacement(
            Optional.of(Path.of("/sys/fs/cgroup/unified/lxc.payload.c1")),
            List.of(Path.of("/sys/fs/cgroup/memory/lxc.payload.c1/cgroup.procs")));

    /** The cgroup mounts of {@code text} planned with init placed as {@link #PLACED} and no cgroup namespace. */
    List<String> cgroupMountsWithoutCgroupNamespace(String text) {
        LaunchContributor hostCgroupNamespace = new LaunchContributor() {
            @Override
            public int order() {
                return ORDER_NAMESPACE;
            }

            @Override
            public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
                DefaultNamespaces.DEFAULT.forEach(plan::cloneNamespace);
                plan.keepNamespace(Namespace.CGROUP);
            }
        };
        return PlanAssembler.builder(context(text + "lxc.autodev = 0\n"), LaunchRequest.start(),
                List.of(hostCgroupNamespace, new CgroupContributor(PLACED)), p -> true, DIRS::contains).build()
                .mounts().stream().filter(m -> m.target().startsWith("/sys/fs/cgroup"))
                .map(PlanAssemblerTest::describe).toList();
    }

    @Test
    void aBareCgroupIsRwWithCapSysAdminKeptAndMixedWithout() {
        // forced into the container's namespace: rw leaves the tmpfs writable, mixed remounts it read-only
        List<String> rw = plan("lxc.mount.auto = cgroup:force\nlxc.autodev = 0\n").mounts().stream()
                .filter(m -> m.target().startsWith("/sys/fs/cgroup")).map(PlanAssemblerTest::describe).toList();
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "cgroup /sys/fs/cgroup/memory cgroup NODEV|NOEXEC|NOSUID memory create=DIR",
                "cgroup2 /sys/fs/cgroup/unified cgroup2 NODEV|NOEXEC|NOSUID  create=DIR"), rw);
        assertTrue(AutoMounts.keepsSysAdmin(List.of(), List.of("mac_admin sys_time")));
        assertFalse(AutoMounts.keepsSysAdmin(List.of(), List.of("sys_module", "sys_admin")));
        assertTrue(AutoMounts.keepsSysAdmin(List.of("chown CAP_SYS_ADMIN"), List.of()));
        assertFalse(AutoMounts.keepsSysAdmin(List.of("none"), List.of()));
        assertFalse(AutoMounts.keepsSysAdmin(List.of("net_admin"), List.of()));
        // without CAP_SYS_ADMIN a bare cgroup is mixed: the same as cgroup:mixed
        AutoMounts auto = new AutoMounts(p -> true);
        auto.cgroup("cgroup", false, Optional.of(HOST), PLACED, false);
        assertEquals(cgroupMountsWithoutCgroupNamespace("lxc.mount.auto = cgroup:mixed\n"),
                auto.steps().stream().map(PlanAssemblerTest::describe).toList());
    }

    @Test
    void withoutACgroupNamespaceOnlyTheContainersOwnCgroupsAreBound() {
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "/sys/fs/cgroup/memory/lxc.payload.c1 /sys/fs/cgroup/memory/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup/unified/lxc.payload.c1 /sys/fs/cgroup/unified/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup /sys/fs/cgroup  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT "),
                cgroupMountsWithoutCgroupNamespace("lxc.mount.auto = cgroup:mixed\n"));
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "/sys/fs/cgroup/memory/lxc.payload.c1 /sys/fs/cgroup/memory/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup/memory/lxc.payload.c1 /sys/fs/cgroup/memory/lxc.payload.c1  "
                        + "BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "/sys/fs/cgroup/unified/lxc.payload.c1 /sys/fs/cgroup/unified/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup/unified/lxc.payload.c1 /sys/fs/cgroup/unified/lxc.payload.c1  "
                        + "BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "/sys/fs/cgroup /sys/fs/cgroup  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT "),
                cgroupMountsWithoutCgroupNamespace("lxc.mount.auto = cgroup:ro\n"));
        // a bare cgroup keeping CAP_SYS_ADMIN is rw: the tmpfs stays writable
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "/sys/fs/cgroup/memory/lxc.payload.c1 /sys/fs/cgroup/memory/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup/unified/lxc.payload.c1 /sys/fs/cgroup/unified/lxc.payload.c1  BIND  create=DIR"),
                cgroupMountsWithoutCgroupNamespace("lxc.mount.auto = cgroup\n"));
        // cgroup-full: the host's tree read-only, the container's own cgroup writable on top
        assertEquals(List.of("tmpfs /sys/fs/cgroup tmpfs NODEV|NOEXEC|NOSUID mode=755 create=DIR",
                "/sys/fs/cgroup/memory /sys/fs/cgroup/memory  BIND  create=DIR",
                "/sys/fs/cgroup/memory /sys/fs/cgroup/memory  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "/sys/fs/cgroup/memory/lxc.payload.c1 /sys/fs/cgroup/memory/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup/unified /sys/fs/cgroup/unified  BIND  create=DIR",
                "/sys/fs/cgroup/unified /sys/fs/cgroup/unified  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "/sys/fs/cgroup/unified/lxc.payload.c1 /sys/fs/cgroup/unified/lxc.payload.c1  BIND  create=DIR",
                "/sys/fs/cgroup /sys/fs/cgroup  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT "),
                cgroupMountsWithoutCgroupNamespace("lxc.mount.auto = cgroup-full:mixed\n"));
    }

    @Test
    void sysMixedKeepsTheNetSubtreeWritable() {
        List<String> sys = plan("lxc.mount.auto = sys:mixed\nlxc.autodev = 0\n").mounts().stream()
                .filter(m -> m.target().startsWith("/sys")).map(PlanAssemblerTest::describe).toList();
        assertEquals(List.of("sysfs /sys sysfs NODEV|NOEXEC|NOSUID  create=DIR", "/sys /sys  BIND  relative",
                "/sys /sys  BIND|NODEV|NOEXEC|NOSUID|RDONLY|REMOUNT ",
                "sysfs /sys/devices/virtual/net sysfs NODEV|NOEXEC|NOSUID ",
                "/sys/devices/virtual/net/devices/virtual/net /sys/devices/virtual/net  BIND  relative"), sys);
    }

    @Test
    void fstabFileEntriesAndPropagation() throws IOException {
        Path fstab = tmp.resolve("fstab");
        Files.writeString(fstab, "# comment\n\n/srv/data  mnt/data none rbind,create=dir,rslave 0 0\n"
                + "proc " + rootfs + "/mnt/proc proc nosuid,optional 0 0\n");
        List<String> m = plan("lxc.autodev = 0\nlxc.mount.fstab = " + fstab + "\n"
                + "lxc.mount.entry = /etc/hosts etc/hosts none bind,create=file,ro,nodev 0 0\n"
                + "lxc.mount.entry = /data mnt/x none bind,relative 0 0\n").mounts().stream()
                .map(PlanAssemblerTest::describe).toList();
        assertEquals(List.of(
                "devpts /dev/pts devpts NOEXEC|NOSUID newinstance,ptmxmode=0666,mode=0620,gid=5 create=DIR",
                "/srv/data /mnt/data  BIND|REC  create=DIR rslave",
                "proc /mnt/proc proc NOSUID  optional",
                "/etc/hosts /etc/hosts  BIND|NODEV  create=FILE",
                "/etc/hosts /etc/hosts  BIND|NODEV|RDONLY|REMOUNT ",
                "/data /mnt/x  BIND  relative"), m);
    }

    @Test
    void badMountEntryNamesFileLineAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> plan("lxc.mount.entry = relative/src mnt none bind 0 0\n"));
        assertEquals(configFile, e.file().orElseThrow());
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("must be an absolute path"), e.getMessage());
    }

    @Test
    void userNamespaceBindsDevicesFromTheHost() {
        LaunchContributor userns = new LaunchContributor() {
            @Override
            public int order() {
                return ORDER_NAMESPACE;
            }

            @Override
            public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
                for (Namespace ns : List.of(Namespace.MOUNT, Namespace.PID, Namespace.USER)) {
                    plan.cloneNamespace(ns);
                }
                plan.idMapping(new org.lxj.spi.launch.IdMapping(org.lxj.spi.launch.IdMapping.Kind.UID, 0, 100000, 65536));
                plan.idMapping(new org.lxj.spi.launch.IdMapping(org.lxj.spi.launch.IdMapping.Kind.GID, 0, 100000, 65536));
            }
        };
        LaunchPlan p = PlanAssembler.assemble(context(""), LaunchRequest.start(), List.of(userns));
        assertEquals(EnumSet.of(Namespace.MOUNT, Namespace.PID, Namespace.USER), EnumSet.copyOf(p.cloneNamespaces()),
                "an installed namespace contributor replaces the defaults");
        assertTrue(p.devices().stream().allMatch(DeviceNode::bindFromHost));
    }

    @Test
    void unknownRootfsOptionIsRefused() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> plan("lxc.rootfs.options = idmap=container\n"));
        assertTrue(e.getMessage().startsWith("Config key \"lxc.rootfs.options\" option \"idmap=container\""));
    }

    @Test
    void mountFlagsOfReadOnlyBindKeepSafetyFlags() {
        List<MountStep> steps = FstabEntry.steps("/a b none bind,ro,nosuid,noexec 0 0", null);
        assertEquals(2, steps.size());
        assertEquals(EnumSet.of(MountFlag.BIND, MountFlag.REMOUNT, MountFlag.RDONLY, MountFlag.NOSUID,
                MountFlag.NOEXEC), EnumSet.copyOf(steps.get(1).flags()));
        assertEquals("a b", FstabEntry.unescape("a\\040b"));
    }
}
