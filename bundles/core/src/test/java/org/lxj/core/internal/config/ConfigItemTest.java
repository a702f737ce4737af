package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ContainerConfig;

/**
 * {@code item(KEY)} against what Debian's LXC 5.0.2 {@code lxc-info -n X -c KEY} printed for the same files
 * (test resources oracle1.conf and oracle2.conf; outputs recorded from a container created with
 * {@code lxc-create -P TMP -n X -t none -f FILE}). Values end with a newline exactly where LXC's do.
 */
class ConfigItemTest {

    @Test
    void oracleOne() throws URISyntaxException {
        ContainerConfig c = new ConfigParser().parse(StockConfigsTest.resource("oracle1.conf"));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("lxc.net", "veth\nempty\n"),
                Map.entry("lxc.net.0.ipv4.address", "10.0.3.5/24\n10.0.4.5/16"),
                Map.entry("lxc.net.0.ipv4.gateway", "auto"),
                Map.entry("lxc.net.0.ipv6.address", "fd00::5/64"),
                Map.entry("lxc.net.0.hwaddr", "00:16:3e:xx:xx:xx"),
                Map.entry("lxc.uts.name", "abc"),
                Map.entry("lxc.cap.drop", "sys_module\nmac_admin\nsys_time\n"),
                Map.entry("lxc.mount.entry", "shm dev/shm tmpfs defaults,create=dir 0 0\n/lib lib none ro,bind 0 0\n"),
                Map.entry("lxc.idmap", "u 0 100000 65536\ng 0 100000 65536"),
                Map.entry("lxc.environment", "FOO=bar\n"),
                Map.entry("lxc.hook.pre-start", "/bin/true\n"),
                Map.entry("lxc.signal.halt", "37"),
                Map.entry("lxc.signal.stop", "9"),
                Map.entry("lxc.signal.reboot", "0"),
                Map.entry("lxc.log.level", "INFO"),
                Map.entry("lxc.prlimit", "lxc.prlimit.nofile = 1024:2048\nlxc.prlimit.nproc = unlimited\n"),
                Map.entry("lxc.prlimit.nofile", "1024:2048"),
                Map.entry("lxc.sysctl", "lxc.sysctl.net.ipv4.ip_forward = 1\n"),
                Map.entry("lxc.sysctl.net.ipv4.ip_forward", "1"),
                Map.entry("lxc.proc", "lxc.proc.oom_score_adj = 10\n"),
                Map.entry("lxc.cgroup2", "lxc.cgroup2.memory.max = 1G\nlxc.cgroup2.devices.allow = c 1:3 rwm\n"),
                Map.entry("lxc.cgroup2.memory.max", "1G\n"),
                Map.entry("lxc.mount.auto", "proc:mixed sys:ro cgroup:mixed"),
                Map.entry("lxc.start.auto", "1"),
                Map.entry("lxc.start.delay", "0"),
                Map.entry("lxc.group", "onboot\nweb\n"),
                Map.entry("lxc.arch", "x86_64"),
                Map.entry("lxc.console.buffer.size", "131072"),
                Map.entry("lxc.apparmor.profile", "unconfined"),
                Map.entry("lxc.time.offset.boot", "10 s\n"),
                Map.entry("lxc.namespace.keep", "user\nnet\n"),
                Map.entry("lxc.namespace.share.net", "1234"),
                Map.entry("lxc.tty.max", "4"),
                Map.entry("lxc.pty.max", "0"),
                Map.entry("lxc.hook.version", "0"),
                Map.entry("lxc.init.uid", "0"),
                Map.entry("lxc.autodev", "1"),
                Map.entry("lxc.ephemeral", "0"),
                Map.entry("lxc.monitor.signal.pdeath", "9"),
                Map.entry("lxc.rootfs.managed", "1"));
        expected.forEach((k, v) -> assertEquals(Optional.of(v), c.item(k), k));
        for (String unset : new String[] {"lxc.net.0.ipv6.gateway", "lxc.net.0.mtu", "lxc.cgroup",
                "lxc.namespace.clone", "lxc.rootfs.path", "lxc.init.cmd", "lxc.log.file", "lxc.console.path",
                "lxc.seccomp.profile", "lxc.init.groups", "lxc.cap.keep"}) {
            assertEquals(Optional.empty(), c.item(unset), unset);
        }
        for (String invalid : new String[] {"lxc.net.0", "lxc.net.2", "lxc.net.2.type", "lxc.hook", "lxc.foo",
                "lxc.include", "lxc.namespace.share", "lxc.start", "lxc.signal"}) {
            ConfigException e = assertThrows(ConfigException.class, () -> c.item(invalid), invalid);
            assertEquals(Optional.of(invalid), e.key());
        }
    }

    @Test
    void oracleTwo() throws URISyntaxException {
        ContainerConfig c = new ConfigParser().parse(StockConfigsTest.resource("oracle2.conf"));
        Map<String, String> expected = Map.ofEntries(
                Map.entry("lxc.net", "macvlan\nveth\n"),
                Map.entry("lxc.net.0.type", "macvlan"),
                Map.entry("lxc.net.0.macvlan.mode", "bridge"),
                Map.entry("lxc.net.0.mtu", "1400"),
                Map.entry("lxc.net.0.ipv6.gateway", "auto"),
                Map.entry("lxc.net.0.l2proxy", "1"),
                Map.entry("lxc.net.1.flags", "up"),
                Map.entry("lxc.net.1.veth.pair", "vpeer"),
                Map.entry("lxc.net.1.veth.mode", "router"),
                Map.entry("lxc.net.1.veth.ipv4.route", "10.2.0.0/16\n"),
                Map.entry("lxc.net.1.veth.vlan.id", "0"),
                Map.entry("lxc.cap.keep", "sys_admin\nnet_admin\n"),
                Map.entry("lxc.mount.auto", "proc:mixed sys:mixed cgroup-full:rw:force"),
                Map.entry("lxc.log.level", "NOTICE"),
                Map.entry("lxc.signal.halt", "30"),
                Map.entry("lxc.signal.reboot", "2"),
                Map.entry("lxc.init.groups", "10,20"),
                Map.entry("lxc.rootfs.path", "/srv/r"),
                Map.entry("lxc.rootfs.options", "ro,idmap=container"),
                Map.entry("lxc.cgroup", "lxc.cgroup.devices.allow = c 1:3 rwm\n"),
                Map.entry("lxc.cgroup.devices.allow", "c 1:3 rwm\n"),
                Map.entry("lxc.arch", "i686"),
                Map.entry("lxc.time.offset.monotonic", "100000000ns\n"),
                Map.entry("lxc.namespace.clone", "mnt\npid\n"),
                Map.entry("lxc.autodev.tmpfs.size", "2000"),
                Map.entry("lxc.console.path", "none"));
        expected.forEach((k, v) -> assertEquals(Optional.of(v), c.item(k), k));
        for (String unset : new String[] {"lxc.net.0.flags", "lxc.net.0.hwaddr", "lxc.net.1.link",
                "lxc.cgroup.devices", "lxc.net.1.veth.ipv6.route", "lxc.net.1.name", "lxc.environment"}) {
            assertEquals(Optional.empty(), c.item(unset), unset);
        }
        for (String invalid : new String[] {"lxc.net.0.vlan.id", "lxc.net.0.ipvlan.mode", "lxc.net.0.veth.pair"}) {
            assertThrows(ConfigException.class, () -> c.item(invalid), invalid);
        }
    }

    @Test
    void emptyConfigPrintsLxcDefaults() {
        ContainerConfig c = new ConfigParser().parse("", Path.of("/e/config"));
        assertEquals(Optional.of("NOTSET"), c.item("lxc.log.level"));
        assertEquals(Optional.of("0 ns\n"), c.item("lxc.time.offset.boot"));
        assertEquals(Optional.empty(), c.item("lxc.net"));
        assertEquals(Optional.empty(), c.item("lxc.idmap"));
        assertEquals(Optional.of("0"), c.item("lxc.signal.halt"));
        assertThrows(ConfigException.class, () -> c.item("lxc.net.0.type"));
    }
}
