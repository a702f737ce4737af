package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ContainerConfig;

/**
 * Every key of the table with values it must accept and values it must reject (modelled on LXC's
 * {@code src/tests/parse_config_file.c}); a rejection must name file, line, key and value.
 */
class KeyValidationTest {
    private static final Path ORIGIN = Path.of("/cases/config");
    private static final Map<String, Case> CASES = new LinkedHashMap<>();

    private record Case(List<String> valid, List<String> invalid) {
    }

    private static void c(String key, List<String> valid, List<String> invalid) {
        CASES.put(key, new Case(valid, invalid));
    }

    static {
        c("lxc.arch", List.of("x86_64", "amd64", "i686", "x86", "arm64", "armhf", "ppc64le", "s390x"),
                List.of("z80", "X86_64", "amd 64"));
        c("lxc.apparmor.profile", List.of("unconfined", "unchanged", "generated", "lxc-container-default-cgns",
                "lxc-container-default-with-nesting"), List.of("two words"));
        c("lxc.apparmor.allow_incomplete", List.of("0", "1"), List.of("2", "yes", "-1"));
        c("lxc.apparmor.allow_nesting", List.of("0", "1"), List.of("true", "10"));
        c("lxc.apparmor.raw", List.of("mount fstype=nfs*,", "deny /proc/** w,"), List.of("bad\u0001char"));
        c("lxc.autodev", List.of("0", "1", "2"), List.of("3", "on"));
        c("lxc.autodev.tmpfs.size", List.of("0", "500000"), List.of("-1", "1M", "99999999999"));
        c("lxc.cap.drop", List.of("sys_module", "sys_module mac_admin mac_override sys_time", "21", "40",
                "CAP_SYS_ADMIN", "Sys_Admin"), List.of("none", "sys_foo", "41", "sys_admin bogus"));
        c("lxc.cap.keep", List.of("none", "sys_admin net_admin", "none sys_admin", "0"), List.of("foo", "99"));
        c("lxc.cgroup2.memory.max", List.of("1G", "max"), List.of("bad\u0002"));
        c("lxc.cgroup2.devices.allow", List.of("a", "c 1:3 rwm", "c *:* m", "b 8:* r", "c 136:* rwm"),
                List.of("x 1:3 rwm", "c 1:3 rwx", "c 1 rwm"));
        c("lxc.cgroup2.devices.deny", List.of("a"), List.of("all"));
        c("lxc.cgroup2.cpuset.cpus", List.of("0-3"), List.of());
        c("lxc.cgroup.devices.allow", List.of("c 1:3 rwm", "c 254:0 rm"), List.of("c 1:3 zz"));
        c("lxc.cgroup.memory.limit_in_bytes", List.of("512M"), List.of());
        c("lxc.cgroup.dir.monitor.pivot", List.of("lxc.pivot"), List.of("/abs", "../up"));
        c("lxc.cgroup.dir.monitor", List.of("lxc.monitor"), List.of("/abs"));
        c("lxc.cgroup.dir.container.inner", List.of("inner"), List.of("a/../../b"));
        c("lxc.cgroup.dir.container", List.of("lxc.payload.c1"), List.of("/x"));
        c("lxc.cgroup.dir", List.of("my/dir"), List.of("/my/dir", "a b"));
        c("lxc.cgroup.relative", List.of("0", "1"), List.of("yes"));
        c("lxc.console.buffer.size", List.of("auto", "0", "131072", "1MB", "64kB"), List.of("big", "1TB", "-1"));
        c("lxc.console.logfile", List.of("/var/log/c1.console"), List.of("relative.log"));
        c("lxc.console.path", List.of("none", "/dev/pts/3"), List.of("ttyS0"));
        c("lxc.console.rotate", List.of("0", "1"), List.of("2"));
        c("lxc.console.size", List.of("auto", "4096", "1M"), List.of("lots"));
        c("lxc.sched.core", List.of("0", "1"), List.of("core"));
        c("lxc.environment", List.of("FOO=bar", "PATH", "EMPTY=", "X=a=b"), List.of("=value", "A B=1"));
        c("lxc.environment.runtime", List.of("A=1"), List.of("=1"));
        c("lxc.environment.hooks", List.of("B=2"), List.of("=2"));
        c("lxc.ephemeral", List.of("0", "1"), List.of("maybe"));
        c("lxc.execute.cmd", List.of("/bin/sh -c 'echo hi'"), List.of("a\u0003b"));
        c("lxc.group", List.of("onboot", "web"), List.of("two groups"));
        for (String hook : KeyTable.HOOK_TYPES) {
            c("lxc.hook." + hook, List.of("/usr/share/lxc/hooks/clonehostname", "/bin/hook arg1 arg2"),
                    List.of("ctl\u0007char"));
        }
        c("lxc.hook.version", List.of("0", "1"), List.of("2", "v1"));
        c("lxc.idmap", List.of("u 0 100000 65536", "g 0 100000 65536", "u 1000 1000 1"),
                List.of("b 0 100000 65536", "u 0 100000", "u 0 100000 0", "u -1 0 1", "u 0 4294967295 2",
                        "x 0 0 1"));
        c("lxc.init.cmd", List.of("/sbin/init", "/bin/sh -l"), List.of("bad\u0000"));
        c("lxc.init.gid", List.of("0", "100"), List.of("-1", "root", "4294967295"));
        c("lxc.init.groups", List.of("10", "10,20,30"), List.of("10,,20", "wheel"));
        c("lxc.init.uid", List.of("0", "1000"), List.of("-5", "nobody"));
        c("lxc.init.cwd", List.of("/root", "/"), List.of("root"));
        c("lxc.keyring.session", List.of("0", "1"), List.of("no"));
        c("lxc.log.file", List.of("/var/log/lxc/c1.log"), List.of("c1.log"));
        c("lxc.log.level", List.of("0", "8", "trace", "INFO", "notice", "WARN", "error", "crit", "alert", "FATAL"),
                List.of("9", "verbose", "-1"));
        c("lxc.log.syslog", List.of("daemon", "local0", "local7", "user"), List.of("local8", "kernel"));
        c("lxc.monitor.unshare", List.of("0", "1"), List.of("x"));
        c("lxc.monitor.signal.pdeath", List.of("0", "9", "SIGKILL", "SIGTERM"), List.of("65", "KILL"));
        c("lxc.mount.auto", List.of("proc", "proc:mixed sys:ro cgroup:mixed", "sys:rw", "cgroup:force",
                "cgroup-full:ro:force", "cgroup-full:mixed", "shmounts:/a:/b", "proc:rw sys:mixed cgroup:rw"),
                List.of("foo", "proc:foo", "sys:mixed:force", "cgroup:bad", "shmounts:"));
        c("lxc.mount.entry", List.of("shm dev/shm tmpfs defaults,create=dir 0 0", "/lib lib none ro,bind 0 0",
                "proc proc proc", "/sys/fs/fuse/connections sys/fs/fuse/connections none bind,optional 0 0"),
                List.of("onlyone", "a b", "a b c d x 0", "a b c create=socket 0 0", "a b c d 0 0 extra"));
        c("lxc.mount.fstab", List.of("/var/lib/lxc/c1/fstab"), List.of("a\u0001"));
        c("lxc.namespace.clone", List.of("pid mnt", "user net uts ipc cgroup time"), List.of("mount", "pid xyz"));
        c("lxc.namespace.keep", List.of("user net"), List.of("network"));
        c("lxc.namespace.share.net", List.of("1234", "other-container", "/var/lib/lxc/other"),
                List.of("two words"));
        c("lxc.namespace.share.pid", List.of("1"), List.of());
        c("lxc.time.offset.boot", List.of("10s", "5h", "3m", "100ms", "7us", "9ns", "-10s"),
                List.of("10", "10 s", "10d", "s"));
        c("lxc.time.offset.monotonic", List.of("100ms"), List.of("ms100"));
        c("lxc.no_new_privs", List.of("0", "1"), List.of("on"));
        c("lxc.prlimit.nofile", List.of("1024", "1024:2048", "unlimited", "unlimited:unlimited", "0:unlimited"),
                List.of("1024:2048:4096", "lots", "-1", ":"));
        c("lxc.prlimit.as", List.of("100"), List.of("x"));
        c("lxc.prlimit.nproc", List.of("unlimited"), List.of("infinite"));
        c("lxc.pty.max", List.of("0", "1024"), List.of("-1", "4x"));
        c("lxc.rootfs.managed", List.of("0", "1"), List.of("false"));
        c("lxc.rootfs.mount", List.of("/usr/lib/x86_64-linux-gnu/lxc/rootfs"), List.of("rel/path"));
        c("lxc.rootfs.options", List.of("ro", "ro,idmap=container", "idmap=/proc/1/ns/user"), List.of("ro rw"));
        c("lxc.rootfs.path", List.of("/var/lib/lxc/c1/rootfs", "dir:/srv/r", "btrfs:/srv/r", "zfs:pool/c1",
                "lvm:/dev/lxc/c1", "loop:/srv/c1.img", "overlay:/lower:/upper", "nbd:file.qcow2:1"),
                List.of("relative", "dir:"));
        c("lxc.seccomp.allow_nesting", List.of("0", "1"), List.of("y"));
        c("lxc.seccomp.notify.cookie", List.of("cookie1"), List.of("a b"));
        c("lxc.seccomp.notify.proxy", List.of("unix:/run/proxy.sock", "unix:@abstract"),
                List.of("/run/proxy.sock", "unix:"));
        c("lxc.seccomp.profile", List.of("/usr/share/lxc/config/common.seccomp"), List.of("x\u0002"));
        c("lxc.selinux.context.keyring", List.of("system_u:system_r:lxc_t:s0"), List.of("a b"));
        c("lxc.selinux.context", List.of("system_u:system_r:lxc_t:s0:c22"), List.of("two words"));
        c("lxj.landlock.fs.ro", List.of("/", "/usr /etc"), List.of("x\u0002"));
        c("lxj.landlock.fs.exec", List.of("/usr/bin"), List.of("x\u0002"));
        c("lxj.landlock.fs.rw", List.of("/tmp /var/tmp"), List.of("x\u0002"));
        c("lxj.landlock.net.bind", List.of("8080", "none"), List.of("x\u0002"));
        c("lxj.landlock.net.connect", List.of("443 80"), List.of("x\u0002"));
        c("lxj.landlock.scope", List.of("signal abstract_unix_socket"), List.of("x\u0002"));
        c("lxj.landlock.best_effort", List.of("0", "1"), List.of("yes"));
        c("lxc.signal.halt", List.of("SIGPWR", "SIGUSR1", "sigterm", "30", "SIGRTMIN+3", "SIGRTMAX-1", "SIGRTMIN",
                "64"), List.of("0", "65", "TERM", "SIGFOO", "SIGRTMIN+31", "SIGRTMIN-1", "SIGRTMIN+x"));
        c("lxc.signal.reboot", List.of("SIGINT", "SIGTERM"), List.of("INT"));
        c("lxc.signal.stop", List.of("SIGKILL", "9"), List.of("-9"));
        c("lxc.start.auto", List.of("0", "1"), List.of("yes"));
        c("lxc.start.delay", List.of("0", "5"), List.of("-1", "soon"));
        c("lxc.start.order", List.of("0", "-5", "100"), List.of("first", "1.5"));
        c("lxc.tty.dir", List.of("lxc"), List.of("/dev/lxc", "a/../.."));
        c("lxc.tty.max", List.of("0", "4", "1024"), List.of("-1", "4x", "1025"));
        c("lxc.uts.name", List.of("anchor1", "a.b.c"), List.of("has space", "x".repeat(65)));
        c("lxc.sysctl.net.ipv4.ip_forward", List.of("1"), List.of("ctl\u0001"));
        c("lxc.sysctl.kernel.msgmax", List.of("65536"), List.of());
        c("lxc.proc.oom_score_adj", List.of("10", "-1000"), List.of("a\u0001"));
        // lxc.net.N.* subkeys
        c("lxc.net.0.type", List.of("none", "empty", "veth", "vlan", "macvlan", "ipvlan", "phys"),
                List.of("bridge", "VETH"));
        c("lxc.net.0.flags", List.of("up"), List.of("down", "UP"));
        c("lxc.net.0.link", List.of("lxcbr0", "eth0.100"), List.of("a-name-longer-than-15", "br 0"));
        c("lxc.net.0.l2proxy", List.of("0", "1"), List.of("2"));
        c("lxc.net.0.name", List.of("eth0"), List.of("eth/0"));
        c("lxc.net.0.macvlan.mode", List.of("private", "vepa", "bridge", "passthru"), List.of("l2"));
        c("lxc.net.0.ipvlan.mode", List.of("l3", "l3s", "l2"), List.of("l4"));
        c("lxc.net.0.ipvlan.isolation", List.of("bridge", "private", "vepa"), List.of("passthru"));
        c("lxc.net.0.hwaddr", List.of("00:16:3e:xx:xx:xx", "00:16:3E:AB:cd:01"),
                List.of("00:16:3e:xx:xx", "zz:16:3e:00:00:00", "0016.3e00.0000"));
        c("lxc.net.0.vlan.id", List.of("0", "100", "4094"), List.of("4095", "-1"));
        c("lxc.net.0.mtu", List.of("1500", "9000", "68"), List.of("67", "65536", "big"));
        c("lxc.net.0.ipv4.address", List.of("10.0.3.5/24", "10.0.3.5/24 10.0.3.255", "192.168.1.1"),
                List.of("10.0.3.256/24", "10.0.3.5/33", "10.0.3/24", "10.0.3.5/24 bcast", "a b c", "host.example"));
        c("lxc.net.0.ipv4.gateway", List.of("auto", "dev", "10.0.3.1"), List.of("10.0.3.1/24", "gw"));
        c("lxc.net.0.ipv6.address", List.of("fd00::5/64", "2001:db8::1", "::1/128"),
                List.of("fd00::5/129", "fd00:::5:::1", "10.0.0.1", "example.org"));
        c("lxc.net.0.ipv6.gateway", List.of("auto", "dev", "fe80::1"), List.of("fe80::1/64", "gateway"));
        c("lxc.net.0.script.up", List.of("/usr/share/lxc/hooks/up"), List.of("x\u0001"));
        c("lxc.net.0.script.down", List.of("/usr/share/lxc/hooks/down"), List.of("y\u0001"));
        c("lxc.net.0.veth.pair", List.of("vethc1"), List.of("veth-pair-name-too-long"));
        c("lxc.net.0.veth.mode", List.of("bridge", "router"), List.of("switch"));
        c("lxc.net.0.veth.ipv4.route", List.of("10.2.0.0/16"), List.of("10.2.0.0", "10.2.0.0/40"));
        c("lxc.net.0.veth.ipv6.route", List.of("fd01::/64"), List.of("fd01::", "fd01::/200"));
        c("lxc.net.0.veth.vlan.id", List.of("none", "0", "10"), List.of("4095", "all"));
        c("lxc.net.0.veth.vlan.tagged.id", List.of("10", "4094"), List.of("0", "4095"));
        c("lxc.net.0.veth.n_rxqueues", List.of("1", "8"), List.of("0", "many"));
        c("lxc.net.0.veth.n_txqueues", List.of("4"), List.of("-4"));
    }

    @Test
    void everyKeyOfTheTableHasCases() {
        List<String> missing = new ArrayList<>();
        for (String key : KeyTable.exactKeys()) {
            KeySpec spec = KeyTable.resolve(key).orElseThrow().spec();
            if (spec.shape() == KeySpec.Shape.EXACT && !key.equals("lxc.include") && !CASES.containsKey(key)) {
                missing.add(key);
            }
        }
        for (String sub : KeyTable.netSubkeys()) {
            if (!CASES.containsKey("lxc.net.0." + sub)) {
                missing.add("lxc.net.0." + sub);
            }
        }
        for (String prefix : List.of("lxc.cgroup2.", "lxc.cgroup.", "lxc.prlimit.", "lxc.sysctl.", "lxc.proc.",
                "lxc.namespace.share.")) {
            if (CASES.keySet().stream().noneMatch(k -> k.startsWith(prefix) && KeyTable.resolve(k).orElseThrow()
                    .spec().shape() == KeySpec.Shape.PREFIX)) {
                missing.add(prefix + "*");
            }
        }
        assertTrue(missing.isEmpty(), "keys without validation cases: " + missing);
        assertTrue(CASES.size() >= 110, "cases: " + CASES.size());
    }

    @TestFactory
    Stream<DynamicTest> validValuesAreAccepted() {
        return CASES.entrySet().stream().flatMap(e -> e.getValue().valid().stream().map(v -> DynamicTest.dynamicTest(
                e.getKey() + " = " + v, () -> {
                    ContainerConfig cfg = new ConfigParser().parse(text(e.getKey(), v), ORIGIN);
                    assertEquals(v, cfg.value(e.getKey()).orElseThrow());
                })));
    }

    @TestFactory
    Stream<DynamicTest> invalidValuesAreRejectedWithContext() {
        return CASES.entrySet().stream().flatMap(e -> e.getValue().invalid().stream().map(v -> DynamicTest
                .dynamicTest(e.getKey() + " = " + v.replaceAll("\\p{Cntrl}", "^"), () -> {
                    ConfigException ex = assertThrows(ConfigException.class,
                            () -> new ConfigParser().parse(text(e.getKey(), v), ORIGIN));
                    assertEquals(ORIGIN, ex.file().orElseThrow());
                    assertEquals(3, ex.line());
                    assertEquals(e.getKey(), ex.key().orElseThrow());
                    assertEquals(LineSyntax.strip(v), ex.value().orElseThrow());
                    assertTrue(ex.getMessage().startsWith(ORIGIN + ":3: "), ex.getMessage());
                    assertFalse(ex.getMessage().endsWith("."), ex.getMessage());
                })));
    }

    @Test
    void unknownKeysAreUnsupported() {
        for (String key : List.of("lxc.foo", "lxc.net.0.foo", "lxc.net.x.type", "lxc.hook.bogus", "lxc.cap",
                "lxc.namespace.share", "lxj.landlock.fs", "lxc.prlimit.", "lxc.cgroup2.")) {
            ConfigException ex = assertThrows(ConfigException.class,
                    () -> new ConfigParser().parse("# c\n\n" + key + " = 1\n", ORIGIN), key);
            assertEquals("Unsupported config key \"" + key + "\": expected a key of lxc.container.conf(5)",
                    ex.getMessage().substring((ORIGIN + ":3: ").length()));
            assertEquals(key, ex.key().orElseThrow());
            assertEquals("1", ex.value().orElseThrow());
        }
    }

    @Test
    void prlimitNamesAreChecked() {
        ConfigException ex = assertThrows(ConfigException.class,
                () -> new ConfigParser().parse("lxc.prlimit.bogus = 1\n", ORIGIN));
        assertTrue(ex.getMessage().contains("Unknown resource limit \"bogus\""), ex.getMessage());
    }

    private static String text(String key, String value) {
        return "# cases\nlxc.net.0.type = veth\n" + key + " = " + value + "\n";
    }
}
