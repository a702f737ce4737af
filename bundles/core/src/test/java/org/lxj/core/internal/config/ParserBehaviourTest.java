package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** Line syntax, includes, clearing with empty values, capability exclusion and legacy keys. */
class ParserBehaviourTest {
    private static final Path ORIGIN = Path.of("/t/config");

    @TempDir
    Path dir;

    private static ContainerConfig parse(String text) {
        return new ConfigParser().parse(text, ORIGIN);
    }

    @Test
    void lineSyntaxFollowsLxc() {
        ContainerConfig c = parse("  # comment\n\n\tlxc.uts.name\t=\ta\t\r\nforeign = ignored\ngarbage\n"
                + "lxc.tty.max=4   \nlxc.apparmor.profile = 'unconfined'\nlxc.init.cmd = /sbin/init # not a comment\n"
                + "lxc.execute.cmd = \"half\nlxc.log.file = \"/a\"b\"");
        assertEquals(Optional.of("a"), c.utsName());
        assertEquals(Optional.of("4"), c.value("lxc.tty.max"));
        assertEquals(Optional.of("unconfined"), c.value("lxc.apparmor.profile"));
        assertEquals(Optional.of("/sbin/init # not a comment"), c.value("lxc.init.cmd"));
        assertEquals(Optional.of("\"half"), c.value("lxc.execute.cmd"));
        assertEquals(Optional.of("/a\"b"), c.value("lxc.log.file"));
        ConfigEntry first = c.entries().get(0);
        assertEquals(new ConfigEntry("lxc.uts.name", "a", ORIGIN, 3, "lxc.uts.name"), first);
        assertEquals(10, c.entries().get(c.entries().size() - 1).line());
    }

    @Test
    void malformedLineIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("lxc.uts.name = a\nlxc.uts.name b\n"));
        assertEquals(2, e.line());
        assertEquals(Optional.of("lxc.uts.name b"), e.value());
        assertEquals(ORIGIN + ":2: Invalid configuration line \"lxc.uts.name b\": expected \"key = value\"",
                e.getMessage());
        assertThrows(ConfigException.class, () -> parse("lxc.uts.name = a\u0000b\n"));
    }

    @Test
    void emptyValuesClear() {
        ContainerConfig c = parse("""
                lxc.cap.drop = sys_admin
                lxc.cap.drop = net_raw
                lxc.mount.entry = proc proc proc
                lxc.hook.start = /a
                lxc.hook.stop = /b
                lxc.hook.version = 1
                lxc.environment = A=1
                lxc.idmap = u 0 1000 10
                lxc.cgroup2.devices.deny = a
                lxc.cgroup2.devices.allow = c 1:3 rwm
                lxc.cgroup2.memory.max = 1G
                lxc.cgroup.dir = x
                lxc.cgroup.devices.allow = c 1:3 rwm
                lxc.prlimit.nofile = 10
                lxc.sysctl.kernel.x = 1
                lxc.net.0.type = veth
                lxc.net.0.link = br0
                lxc.net.1.type = empty
                lxc.uts.name = before
                lxc.cap.drop =
                lxc.mount.entry =
                lxc.hook =
                lxc.environment =
                lxc.idmap =
                lxc.cgroup2.devices.allow =
                lxc.cgroup =
                lxc.prlimit =
                lxc.sysctl =
                lxc.net.0 =
                lxc.uts.name =
                """);
        for (String k : List.of("lxc.cap.drop", "lxc.mount.entry", "lxc.hook.start", "lxc.hook.stop",
                "lxc.environment", "lxc.idmap", "lxc.cgroup2.devices.allow", "lxc.cgroup.devices.allow",
                "lxc.prlimit.nofile", "lxc.sysctl.kernel.x", "lxc.net.0.type", "lxc.net.0.link", "lxc.uts.name")) {
            assertEquals(List.of(), c.values(k), k);
        }
        assertEquals(List.of("1"), c.values("lxc.hook.version"));
        assertEquals(List.of("a"), c.values("lxc.cgroup2.devices.deny"));
        assertEquals(List.of("1G"), c.values("lxc.cgroup2.memory.max"));
        assertEquals(List.of("x"), c.values("lxc.cgroup.dir"));
        assertEquals(Optional.of("empty\n"), c.item("lxc.net"));
        ContainerConfig all = parse("lxc.net.0.type = veth\nlxc.net.3.type = phys\nlxc.net =\nlxc.cgroup2 =\n");
        assertEquals(List.of(), all.entries());
    }

    @Test
    void keepAndDropAreMutuallyExclusiveUnlessCleared() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("lxc.cap.drop = sys_admin\nlxc.cap.keep = net_admin\n"));
        assertEquals(2, e.line());
        assertEquals(Optional.of("lxc.cap.keep"), e.key());
        assertTrue(e.getMessage().contains("Keeping and dropping capabilities are mutually exclusive"));
        assertThrows(ConfigException.class, () -> parse("lxc.cap.keep = none\nlxc.cap.drop = sys_admin\n"));
        ContainerConfig c = parse("lxc.cap.keep = sys_admin\nlxc.cap.keep =\nlxc.cap.drop = net_admin\n");
        assertEquals(List.of("net_admin"), c.values("lxc.cap.drop"));
    }

    @Test
    void rootKeysTakeOnlyEmptyValues() {
        for (String k : List.of("lxc.net", "lxc.net.0", "lxc.hook", "lxc.cgroup2", "lxc.prlimit")) {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(k + " = x\n"), k);
            assertEquals(Optional.of(k), e.key());
        }
    }

    @Test
    void includesFilesAndSortedDirectoriesInPlace() throws IOException {
        Path d = Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(d.resolve("20-b.conf"), "lxc.group = b\n");
        Files.writeString(d.resolve("10-a.conf"), "lxc.group = a\n");
        Files.writeString(d.resolve("README"), "not a config\n");
        Files.writeString(d.resolve(".hidden.conf"), "lxc.group = hidden\n");
        Files.writeString(dir.resolve("common.conf"), "lxc.group = common\nlxc.include = conf.d/\n");
        Path main = dir.resolve("config");
        Files.writeString(main, "lxc.group = first\nlxc.include = " + dir.resolve("common.conf")
                + "\nlxc.include = missing.d/\nlxc.group = last\n");
        ContainerConfig c = new ConfigParser().parse(main);
        assertEquals(List.of("first", "common", "a", "b", "last"), c.values("lxc.group"));
        ConfigEntry a = c.entries().get(2);
        assertEquals(d.resolve("10-a.conf"), a.file());
        assertEquals(1, a.line());
    }

    @Test
    void includeErrorsNameTheIncludingLine() throws IOException {
        Path main = dir.resolve("config");
        Files.writeString(main, "# x\nlxc.include = " + dir.resolve("nope.conf") + "\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigParser().parse(main));
        assertEquals(Optional.of(main), e.file());
        assertEquals(2, e.line());
        assertEquals(Optional.of("lxc.include"), e.key());
        Path bad = dir.resolve("bad.conf");
        Files.writeString(bad, "\n\nlxc.tty.max = many\n");
        Files.writeString(main, "lxc.include = bad.conf\n");
        ConfigException inner = assertThrows(ConfigException.class, () -> new ConfigParser().parse(main));
        assertEquals(Optional.of(bad), inner.file());
        assertEquals(3, inner.line());
    }

    @Test
    void includeCyclesAreDetected() throws IOException {
        Path a = dir.resolve("a.conf");
        Path b = dir.resolve("b.conf");
        Files.writeString(a, "lxc.group = a\nlxc.include = b.conf\n");
        Files.writeString(b, "lxc.group = b\nlxc.include = a.conf\n");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigParser().parse(a));
        assertTrue(e.getMessage().contains("Include cycle"), e.getMessage());
        assertEquals(Optional.of(b), e.file());
        assertEquals(2, e.line());
        Files.writeString(a, "lxc.include = a.conf\n");
        assertThrows(ConfigException.class, () -> new ConfigParser().parse(a));
    }

    @Test
    void missingTopLevelFileIsAConfigException() {
        Path missing = dir.resolve("absent");
        ConfigException e = assertThrows(ConfigException.class, () -> new ConfigParser().parse(missing));
        assertEquals(Optional.of(missing), e.file());
    }

    @Test
    void legacyKeysAreTranslated() throws URISyntaxException {
        ContainerConfig c = new ConfigParser().parse(StockConfigsTest.resource("legacy.conf"));
        assertEquals(Optional.of("old"), c.utsName());
        assertEquals(Optional.of("/var/lib/lxc/old/rootfs"), c.rootfsPath());
        assertEquals(List.of("veth"), c.values("lxc.net.0.type"));
        assertEquals(List.of("lxcbr0"), c.values("lxc.net.0.link"));
        assertEquals(List.of("10.0.3.7/24", "10.0.0.1/8"), c.values("lxc.net.0.ipv4.address"));
        assertEquals(List.of("empty"), c.values("lxc.net.1.type"));
        assertEquals(Optional.of("4"), c.value("lxc.tty.max"));
        assertEquals(Optional.of("1024"), c.value("lxc.pty.max"));
        assertEquals(Optional.of("unconfined"), c.value("lxc.apparmor.profile"));
        assertEquals(Optional.of("SIGPWR"), c.value("lxc.signal.halt"));
        assertEquals(Optional.of("1024"), c.value("lxc.prlimit.nofile"));
        assertEquals(Optional.of("NOTICE"), c.item("lxc.log.level"));
        assertEquals(2, c.values("lxc.idmap").size());
        assertEquals("lxc.utsname", c.entries().get(0).written());
        assertTrue(c.entries().stream().noneMatch(e -> e.key().startsWith("lxc.rootfs.backend")
                || e.key().equals("lxc.pivotdir")));
        ConfigException e = assertThrows(ConfigException.class, () -> parse("lxc.network.link = br0\n"));
        assertTrue(e.getMessage().contains("must follow a lxc.network.type line"), e.getMessage());
        assertEquals(List.of("veth"), parse("lxc.network.2.type = veth\n").values("lxc.net.2.type"));
        assertEquals(List.of(), parse("lxc.network.type = veth\nlxc.network =\n").entries());
    }
}
