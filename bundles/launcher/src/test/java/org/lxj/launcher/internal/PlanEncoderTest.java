package org.lxj.launcher.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.lxj.launcher.Protocol.*;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.launcher.AttachPlan;
import org.lxj.launcher.LaunchException;
import org.lxj.launcher.LaunchOptions;
import org.lxj.spi.launch.ConsoleSpec;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.IdMapping;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.LsmLabel;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.lxj.spi.launch.ProcWrite;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.launch.Rootfs;
import org.lxj.spi.launch.Symlink;
import org.lxj.spi.launch.TimeOffsets;

class PlanEncoderTest {
    private static final ConsoleSpec INHERIT = new ConsoleSpec(ConsoleSpec.Console.INHERIT, 0, "", 0, Optional.empty(),
            0, 0, 0);
    private static final LaunchOptions OPTIONS = new LaunchOptions("c1", false);

    record Attr(int type, int flags, byte[] value) {
        String string() {
            return new String(value, 0, value.length - 1, StandardCharsets.UTF_8);
        }

        int u32() {
            return PlanEncoder.le(4).put(value).flip().getInt();
        }

        long u64() {
            return PlanEncoder.le(8).put(value).flip().getLong();
        }
    }

    static List<Attr> decode(byte[] bytes) {
        ByteBuffer b = PlanEncoder.le(bytes.length).put(bytes).flip();
        List<Attr> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int type = Short.toUnsignedInt(b.getShort());
            int flags = Short.toUnsignedInt(b.getShort());
            byte[] v = new byte[b.getInt()];
            b.get(v);
            out.add(new Attr(type, flags, v));
        }
        return out;
    }

    static List<Attr> all(List<Attr> attrs, int type) {
        return attrs.stream().filter(a -> a.type() == type).toList();
    }

    static LaunchPlan.Builder base(String... argv) {
        return LaunchPlan.builder().cloneNamespace(Namespace.MOUNT).rootfs(Rootfs.of(Path.of("/r"))).console(INHERIT)
                .process(ProcessSpec.root(List.of(argv), List.of("PATH=/bin")));
    }

    @Test
    void versionComesFirstAndStringsAreNulTerminated() throws Exception {
        List<Attr> attrs = decode(PlanEncoder.encode(base("/bin/sh", "-c", "true").build(), Path.of("/run/lxj/c1"), OPTIONS));
        assertEquals(ATTR_VERSION, attrs.get(0).type());
        assertEquals(PROTOCOL_VERSION, attrs.get(0).u32());
        assertEquals(List.of("/bin/sh", "-c", "true"), all(attrs, ATTR_ARG).stream().map(Attr::string).toList());
        assertArrayEquals("/r\0".getBytes(StandardCharsets.UTF_8), all(attrs, ATTR_ROOTFS).get(0).value());
        assertEquals("/run/lxj/c1", all(attrs, ATTR_RUN_DIR).get(0).string());
        assertEquals("c1", all(attrs, ATTR_CONTAINER_ID).get(0).string());
        assertEquals(Namespace.MOUNT.cloneFlag(), all(attrs, ATTR_CLONE_FLAGS).get(0).u64());
        assertEquals(1, all(attrs, ATTR_SESSION_KEYRING).get(0).u32());
    }

    @Test
    void everySpiStepIsEncoded() throws Exception {
        LaunchPlan plan = base("/bin/true")
                .cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 100000, 65536))
                .setgroupsAllowed(false)
                .joinNamespace(NamespaceJoin.byPid(Namespace.NET, 42))
                .mount(MountStep.bind(Path.of("/dev/null"), Path.of("/dev/null"), false, MountStep.Create.FILE))
                .device(DeviceNode.character(Path.of("/dev/zero"), 1, 5, 0666))
                .symlink(new Symlink(Path.of("/dev/fd"), "/proc/self/fd"))
                .procWrite(ProcWrite.sysctl("net.ipv4.ip_forward", "1"))
                .build();
        List<Attr> attrs = decode(PlanEncoder.encode(plan, Path.of("/run/x"), new LaunchOptions("c1", true)));
        assertEquals("0 100000 65536\n", all(attrs, ATTR_UID_MAP).get(0).string());
        assertEquals("0 100000 65536\n", all(attrs, ATTR_GID_MAP).get(0).string());
        assertEquals(1, all(attrs, ATTR_SETGROUPS_DENY).size());
        List<Attr> join = decode(all(attrs, ATTR_JOIN).get(0).value());
        assertEquals(Namespace.NET.cloneFlag(), join.get(0).u64());
        assertEquals(42, join.get(1).u32());
        List<Attr> mount = decode(all(attrs, ATTR_MOUNT).get(0).value());
        assertEquals(List.of(MOUNT_SOURCE, MOUNT_TARGET, MOUNT_FLAGS, MOUNT_CREATE), mount.stream().map(Attr::type).toList());
        List<Attr> dev = decode(all(attrs, ATTR_DEVICE).get(0).value());
        assertEquals("/dev/zero", dev.get(0).string());
        assertEquals('c', dev.get(1).u32());
        assertEquals(5, dev.get(3).u32());
        assertEquals(0666, dev.get(4).u32());
        List<Attr> link = decode(all(attrs, ATTR_SYMLINK).get(0).value());
        assertEquals("/proc/self/fd", link.get(1).string());
        List<Attr> proc = decode(all(attrs, ATTR_PROC_WRITE).get(0).value());
        assertEquals("sys/net/ipv4/ip_forward", proc.get(0).string());
        assertEquals(1, all(attrs, ATTR_BUILTIN_INIT).size());
    }

    @Test
    void aPtyConsoleIsEncodedWithItsTtysLogBufferSizeAndTheContainersRoot() throws Exception {
        ConsoleSpec spec = new ConsoleSpec(ConsoleSpec.Console.PTY, 4, "lxc", 1024, Optional.of(Path.of("/var/log/c1")),
                131072, 40, 132, 65536, true);
        LaunchPlan plan = base("/bin/true").console(spec).cloneNamespace(Namespace.USER)
                .idMapping(new IdMapping(IdMapping.Kind.UID, 0, 100000, 65536))
                .idMapping(new IdMapping(IdMapping.Kind.GID, 0, 200000, 65536)).build();
        List<Attr> console = all(decode(PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS)), ATTR_CONSOLE);
        assertEquals(1, console.size());
        List<Attr> c = decode(console.get(0).value());
        assertEquals(List.of(CONSOLE_MODE, CONSOLE_TTYS, CONSOLE_TTY_DIR, CONSOLE_LOG_FILE, CONSOLE_LOG_SIZE,
                CONSOLE_LOG_ROTATE, CONSOLE_BUFFER_SIZE, CONSOLE_ROWS, CONSOLE_COLS, CONSOLE_UID, CONSOLE_GID),
                c.stream().map(Attr::type).toList());
        assertEquals(CONSOLE_MODE_PTY, c.get(0).u32());
        assertEquals(4, c.get(1).u32());
        assertEquals("lxc", c.get(2).string());
        assertEquals("/var/log/c1", c.get(3).string());
        assertEquals(65536, c.get(4).u64());
        assertEquals(1, c.get(5).u32());
        assertEquals(131072, c.get(6).u32());
        assertEquals(40, c.get(7).u32());
        assertEquals(132, c.get(8).u32());
        assertEquals(100000, c.get(9).u32());
        assertEquals(200000, c.get(10).u32());
    }

    @Test
    void anInheritedConsoleHasNoAttributeAndNoConsoleIsModeNone() throws Exception {
        assertTrue(all(decode(PlanEncoder.encode(base("/bin/true").build(), Path.of("/run/x"), OPTIONS)), ATTR_CONSOLE)
                .isEmpty());
        ConsoleSpec none = new ConsoleSpec(ConsoleSpec.Console.NONE, 2, "", 0, Optional.empty(), 0, 0, 0);
        List<Attr> console = all(decode(PlanEncoder.encode(base("/bin/true").console(none).build(), Path.of("/run/x"),
                OPTIONS)), ATTR_CONSOLE);
        List<Attr> c = decode(console.get(0).value());
        assertEquals(List.of(CONSOLE_MODE, CONSOLE_TTYS), c.stream().map(Attr::type).toList());
        assertEquals(CONSOLE_MODE_NONE, c.get(0).u32());
        ConsoleSpec noneWithLog = new ConsoleSpec(ConsoleSpec.Console.NONE, 0, "", 0, Optional.of(Path.of("/l")), 0, 0,
                0);
        LaunchException e = assertThrows(LaunchException.class, () -> PlanEncoder.encode(
                base("/bin/true").console(noneWithLog).build(), Path.of("/run/x"), OPTIONS));
        assertEquals(STEP_PLAN, e.step());
        assertTrue(e.getMessage().contains("needs a console"), e.getMessage());
    }

    @Test
    void stepsTheLauncherCannotCarryOutAreRefusedByName() {
        LaunchException ttys = assertThrows(LaunchException.class, () -> PlanEncoder.encode(
                base("/bin/true").console(new ConsoleSpec(ConsoleSpec.Console.INHERIT, 2, "", 0, Optional.empty(), 0, 0,
                        0)).build(), Path.of("/run/x"), OPTIONS));
        assertEquals(STEP_UNSUPPORTED, ttys.step());
        assertTrue(ttys.getMessage().contains("inherited console"), ttys.getMessage());
        LaunchException hook = assertThrows(LaunchException.class, () -> PlanEncoder.encode(
                base("/bin/true").hook(new Hook(Hook.Stage.PRE_START, List.of("/bin/true"), List.of())).build(),
                Path.of("/run/x"), OPTIONS));
        assertEquals(STEP_UNSUPPORTED, hook.step());
        assertTrue(hook.getMessage().contains("lxc.hook.pre-start"), hook.getMessage());
        LaunchException proc = assertThrows(LaunchException.class, () -> PlanEncoder.encode(
                base("/bin/true").procWrite(new ProcWrite("sysrq-trigger", "b")).build(), Path.of("/run/x"), OPTIONS));
        assertTrue(proc.getMessage().contains("/proc/sysrq-trigger"), proc.getMessage());
    }

    @Test
    void launcherHooksAreEncodedInOrderWithTheirStageArgvAndEnvironment() throws Exception {
        LaunchPlan plan = base("/bin/true")
                .hook(new Hook(Hook.Stage.MOUNT, List.of("/h/mount", "c1", "lxc", "mount"), List.of("LXC_NAME=c1")))
                .hook(new Hook(Hook.Stage.START, List.of("/h/start"), List.of("LXC_HOOK_VERSION=1")))
                .hook(new Hook(Hook.Stage.STOP, List.of("/h/stop0", "c1", "lxc", "stop"), List.of("LXC_HOOK_VERSION=0")))
                .hook(new Hook(Hook.Stage.STOP, List.of("/h/stop1"), List.of("LXC_HOOK_VERSION=1")))
                .build();
        List<Attr> hooks = all(decode(PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS)), ATTR_HOOK);
        assertEquals(4, hooks.size());
        List<Attr> mount = decode(hooks.get(0).value());
        assertEquals(HOOK_MOUNT, all(mount, HOOK_STAGE).get(0).u32());
        assertEquals(List.of("/h/mount", "c1", "lxc", "mount"), all(mount, HOOK_ARG).stream().map(Attr::string).toList());
        assertEquals(List.of("LXC_NAME=c1"), all(mount, HOOK_ENV).stream().map(Attr::string).toList());
        assertEquals(HOOK_START, all(decode(hooks.get(1).value()), HOOK_STAGE).get(0).u32());
        assertTrue(all(decode(hooks.get(1).value()), HOOK_NS_ENV).isEmpty(), "only stop hooks get namespaces");
        assertTrue(all(decode(hooks.get(2).value()), HOOK_NS_ENV).isEmpty(), "version 0: as arguments");
        assertEquals(1, all(decode(hooks.get(3).value()), HOOK_NS_ENV).get(0).u32());
        assertEquals(HOOK_STOP, all(decode(hooks.get(3).value()), HOOK_STAGE).get(0).u32());
    }

    @Test
    void timeOffsetsAreEncodedAsSecondsAndNanoseconds() throws Exception {
        LaunchPlan plan = base("/bin/true").cloneNamespace(Namespace.TIME)
                .timeOffsets(new TimeOffsets(Duration.ofMillis(-1500), Duration.ofDays(1))).build();
        List<Attr> attrs = decode(PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS));
        assertEquals(Namespace.MOUNT.cloneFlag() | Namespace.TIME.cloneFlag(), all(attrs, ATTR_CLONE_FLAGS).get(0).u64());
        ByteBuffer mono = PlanEncoder.le(16).put(all(attrs, ATTR_TIME_MONOTONIC).get(0).value()).flip();
        assertEquals(-2, mono.getLong());
        assertEquals(500_000_000L, mono.getLong());
        ByteBuffer boot = PlanEncoder.le(16).put(all(attrs, ATTR_TIME_BOOTTIME).get(0).value()).flip();
        assertEquals(86400, boot.getLong());
        assertEquals(0, boot.getLong());
        // a time namespace without offsets: only the clone flag
        List<Attr> plain = decode(PlanEncoder.encode(base("/bin/true").cloneNamespace(Namespace.TIME).build(),
                Path.of("/run/x"), OPTIONS));
        assertTrue(all(plain, ATTR_TIME_MONOTONIC).isEmpty() && all(plain, ATTR_TIME_BOOTTIME).isEmpty());
    }

    @Test
    void parentDeathSignalIsEncodedOnlyWhenNotTheDefault() throws Exception {
        LaunchPlan plan = base("/bin/true").build();
        assertTrue(all(decode(PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS)), ATTR_PDEATH_SIGNAL).isEmpty());
        assertEquals(LaunchOptions.SIGKILL, OPTIONS.pdeathSignal());
        List<Attr> term = decode(PlanEncoder.encode(plan, Path.of("/run/x"), new LaunchOptions("c1", false, 15)));
        assertEquals(15, all(term, ATTR_PDEATH_SIGNAL).get(0).u32());
        List<Attr> none = decode(PlanEncoder.encode(plan, Path.of("/run/x"), new LaunchOptions("c1", false, 0)));
        assertEquals(0, all(none, ATTR_PDEATH_SIGNAL).get(0).u32());
        assertThrows(IllegalArgumentException.class, () -> new LaunchOptions("c1", false, 65));
    }

    @Test
    void lsmLabelsAreEncodedInOrder() throws Exception {
        LaunchPlan plan = base("/bin/true").lsmLabel(new LsmLabel("apparmor", "exec", "exec lxc-default", false))
                .lsmLabel(new LsmLabel("selinux", "keycreate", "system_u:system_r:container_t:s0", true)).build();
        List<Attr> labels = all(decode(PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS)), ATTR_LSM_LABEL);
        assertEquals(2, labels.size());
        List<Attr> aa = decode(labels.get(0).value());
        assertEquals("apparmor", all(aa, LSM_NAME).get(0).string());
        assertEquals("exec", all(aa, LSM_ATTR).get(0).string());
        assertEquals("exec lxc-default", all(aa, LSM_VALUE).get(0).string());
        assertTrue(all(aa, LSM_OPTIONAL).isEmpty());
        List<Attr> se = decode(labels.get(1).value());
        assertEquals("keycreate", all(se, LSM_ATTR).get(0).string());
        assertEquals(1, all(se, LSM_OPTIONAL).get(0).u32());
    }

    @Test
    void landlockRulesetIsEncodedWithItsRules() throws Exception {
        long ro = LandlockRuleset.ACCESS_FS_READ_FILE | LandlockRuleset.ACCESS_FS_READ_DIR
                | LandlockRuleset.ACCESS_FS_EXECUTE;
        long every = (1L << 16) - 1;
        LandlockRuleset rs = new LandlockRuleset(every, LandlockRuleset.ACCESS_NET_BIND_TCP,
                LandlockRuleset.SCOPE_SIGNAL, List.of(new LandlockRuleset.PathRule(Path.of("/"), ro),
                        new LandlockRuleset.PathRule(Path.of("/tmp"), every)),
                List.of(new LandlockRuleset.PortRule(8080, LandlockRuleset.ACCESS_NET_BIND_TCP)), true);
        List<Attr> ll = decode(all(decode(PlanEncoder.encode(base("/bin/true").landlock(rs).build(),
                Path.of("/run/x"), OPTIONS)), ATTR_LANDLOCK).get(0).value());
        assertEquals(every, all(ll, LANDLOCK_HANDLED_FS).get(0).u64());
        assertEquals(LandlockRuleset.ACCESS_NET_BIND_TCP, all(ll, LANDLOCK_HANDLED_NET).get(0).u64());
        assertEquals(LandlockRuleset.SCOPE_SIGNAL, all(ll, LANDLOCK_SCOPED).get(0).u64());
        List<Attr> paths = all(ll, LANDLOCK_PATH_RULE);
        assertEquals(2, paths.size());
        ByteBuffer first = PlanEncoder.le(paths.get(0).value().length).put(paths.get(0).value()).flip();
        assertEquals(ro, first.getLong());
        byte[] path = new byte[first.remaining()];
        first.get(path);
        assertArrayEquals("/\0".getBytes(StandardCharsets.UTF_8), path);
        ByteBuffer port = PlanEncoder.le(16).put(all(ll, LANDLOCK_PORT_RULE).get(0).value()).flip();
        assertEquals(8080, port.getLong());
        assertEquals(LandlockRuleset.ACCESS_NET_BIND_TCP, port.getLong());
        assertEquals(1, all(ll, LANDLOCK_BEST_EFFORT).get(0).u32());
    }

    @Test
    void refusesPlansLargerThanTheLauncherAccepts() {
        String big = "X=" + "y".repeat(4000);
        List<String> env = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            env.add(big);
        }
        LaunchPlan plan = base("/bin/true").process(ProcessSpec.root(List.of("/bin/true"), env)).build();
        LaunchException e = assertThrows(LaunchException.class, () -> PlanEncoder.encode(plan, Path.of("/run/x"), OPTIONS));
        assertEquals(STEP_PLAN, e.step());
    }

    @Test
    void attachPlansCarryTheTargetAndTheProcess() throws Exception {
        AttachPlan plan = AttachPlan.of(1234, 99, List.of("sh"), List.of("PATH=/bin"));
        List<Attr> attrs = decode(PlanEncoder.encode(plan, "c1"));
        assertEquals(ATTR_VERSION, attrs.get(0).type());
        assertEquals(1234, all(attrs, ATTR_ATTACH_PID).get(0).u32());
        assertEquals(99, all(attrs, ATTR_ATTACH_START_TIME).get(0).u64());
        assertEquals(Namespace.cloneFlags(AttachPlan.ALL), all(attrs, ATTR_ATTACH_NAMESPACES).get(0).u64());
        assertEquals("/", all(attrs, ATTR_CWD).get(0).string());
        assertEquals(0, all(attrs, ATTR_ROOTFS).size());
        assertEquals(0, all(attrs, ATTR_ATTACH_CGROUP).size());
    }

    @Test
    void anAttachPtyCarriesItsFdsLogAndSize() throws Exception {
        AttachPlan plain = AttachPlan.of(1234, 99, List.of("sh"), List.of("PATH=/bin"));
        assertEquals(0, all(decode(PlanEncoder.encode(plain, "c1")), ATTR_ATTACH_PTY).size());
        AttachPlan plan = plain.withPty(new org.lxj.launcher.AttachPty(true, false, true,
                Optional.of(Path.of("/tmp/pty.log")), 40, 132));
        List<Attr> pty = all(decode(PlanEncoder.encode(plan, "c1")), ATTR_ATTACH_PTY);
        assertEquals(1, pty.size());
        List<Attr> n = decode(pty.get(0).value());
        assertEquals(List.of(APTY_FDS, APTY_LOG, APTY_ROWS, APTY_COLS), n.stream().map(Attr::type).toList());
        assertEquals(TTY_IN | TTY_ERR, n.get(0).u32());
        assertEquals("/tmp/pty.log", n.get(1).string());
        assertEquals(40, n.get(2).u32());
        assertEquals(132, n.get(3).u32());
        List<Attr> copied = decode(all(decode(PlanEncoder.encode(plain.withPty(org.lxj.launcher.AttachPty.forTerminals(
                false, true, false, Optional.empty())), "c1")), ATTR_ATTACH_PTY).get(0).value());
        assertEquals(List.of(APTY_FDS), copied.stream().map(Attr::type).toList());
        assertEquals(TTY_OUT, copied.get(0).u32());
    }

    @Test
    void aNotifyingFilterCarriesItsProxyAndCookie() throws Exception {
        LaunchPlan plan = base("/bin/sh").seccomp(new org.lxj.spi.launch.SeccompProgram(new byte[16],
                java.util.EnumSet.of(org.lxj.spi.launch.SeccompFilterFlag.NEW_LISTENER)))
                .seccompNotifyProxy(org.lxj.spi.launch.SeccompNotifyProxy.parse("unix:/run/p.sock", "c00kie"))
                .build();
        List<Attr> attrs = decode(PlanEncoder.encode(plan, Path.of("/run/lxj/c1"), OPTIONS));
        assertEquals(8, all(attrs, ATTR_SECCOMP_FLAGS).get(0).u32());
        assertEquals("/run/p.sock", all(attrs, ATTR_SECCOMP_NOTIFY_PROXY).get(0).string());
        assertEquals("c00kie", all(attrs, ATTR_SECCOMP_NOTIFY_COOKIE).get(0).string());
        LaunchPlan noCookie = base("/bin/sh").seccomp(new org.lxj.spi.launch.SeccompProgram(new byte[16],
                java.util.EnumSet.of(org.lxj.spi.launch.SeccompFilterFlag.NEW_LISTENER)))
                .seccompNotifyProxy(org.lxj.spi.launch.SeccompNotifyProxy.parse("unix:@p", "")).build();
        List<Attr> abs = decode(PlanEncoder.encode(noCookie, Path.of("/run/lxj/c1"), OPTIONS));
        assertEquals("@p", all(abs, ATTR_SECCOMP_NOTIFY_PROXY).get(0).string());
        assertEquals(0, all(abs, ATTR_SECCOMP_NOTIFY_COOKIE).size());
    }

    @Test
    void attachPlansCarryOneCgroupPerHierarchyInOrder() throws Exception {
        List<Path> dirs = List.of(Path.of("/sys/fs/cgroup/cpu/lxc.payload.c1"),
                Path.of("/sys/fs/cgroup/freezer/lxc.payload.c1"), Path.of("/sys/fs/cgroup/unified/lxc.payload.c1"));
        AttachPlan plan = new AttachPlan(1234, 99, AttachPlan.ALL, List.of("sh"), List.of("PATH=/bin"), 0, 0,
                List.of(), Path.of("/"), dirs, java.util.Optional.empty(), false, false);
        List<Attr> attrs = decode(PlanEncoder.encode(plan, "c1"));
        assertEquals(dirs.stream().map(Path::toString).toList(),
                all(attrs, ATTR_ATTACH_CGROUP).stream().map(Attr::string).toList());
        assertEquals(dirs.get(0), plan.cgroup().orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> new AttachPlan(1234, 99, AttachPlan.ALL, List.of("sh"),
                List.of(), 0, 0, List.of(), Path.of("/"), List.of(Path.of("relative")), java.util.Optional.empty(),
                false, false));
    }
}
