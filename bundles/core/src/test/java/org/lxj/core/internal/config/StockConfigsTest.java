package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.lxj.api.config.ContainerConfig;

/** The parser reads every config Debian's lxc package ships and the one LXC's busybox template writes. */
class StockConfigsTest {
    private static final Path STOCK = Path.of("/usr/share/lxc/config");

    @TestFactory
    Stream<DynamicTest> everyStockConfigParses() throws IOException {
        assumeTrue(Files.isDirectory(STOCK), "Debian's lxc package is not installed (" + STOCK + " is absent)");
        List<Path> files;
        try (Stream<Path> s = Files.walk(STOCK)) {
            files = s.filter(p -> p.toString().endsWith(".conf") && Files.isRegularFile(p)).sorted().toList();
        }
        assertFalse(files.isEmpty());
        return files.stream().map(f -> DynamicTest.dynamicTest(STOCK.relativize(f).toString(), () -> {
            ContainerConfig cfg = new ConfigParser().parse(f);
            assertEquals(Optional.of(f), cfg.source());
        }));
    }

    @Test
    void commonConfExpandsItsIncludesAndUsernsClearsIt() {
        Path common = STOCK.resolve("common.conf");
        assumeTrue(Files.isRegularFile(common), "Debian's lxc package is not installed (" + common + " is absent)");
        ContainerConfig cfg = new ConfigParser().parse(common);
        assertEquals(List.of("mac_admin mac_override sys_time sys_module sys_rawio"), cfg.values("lxc.cap.drop"));
        assertEquals(Optional.of("lxc"), cfg.value("lxc.tty.dir"));
        assertEquals(List.of("a"), cfg.values("lxc.cgroup2.devices.deny"));
        assertEquals(12, cfg.values("lxc.cgroup2.devices.allow").size());
        Path userns = STOCK.resolve("ubuntu.userns.conf");
        assumeTrue(Files.isRegularFile(userns), userns + " is absent");
        ContainerConfig u = new ConfigParser().parse(userns);
        assertEquals(List.of(), u.values("lxc.cap.drop"));
        assertEquals(List.of(), u.values("lxc.cgroup2.devices.allow"));
        assertEquals(List.of(), u.values("lxc.tty.dir"));
        assertEquals(Optional.of("sys:rw"), u.value("lxc.mount.auto"));
    }

    @Test
    void busyboxTemplateConfigParses() throws URISyntaxException {
        Path file = resource("busybox.conf");
        ContainerConfig cfg = new ConfigParser().parse(file);
        assertEquals(Optional.of("anchor1"), cfg.utsName());
        assertEquals(Optional.of("dir:/var/lib/lxc/anchor1/rootfs"), cfg.rootfsPath());
        assertEquals(7, cfg.values("lxc.mount.entry").size());
        assertEquals(Optional.of("anchor1"), cfg.item("lxc.uts.name"));
        assertEquals(Optional.of("10"), cfg.item("lxc.signal.halt"));
        assertEquals(Optional.of("15"), cfg.item("lxc.signal.reboot"));
        assertEquals(Optional.of("sys_module\nmac_admin\nmac_override\nsys_time\n"), cfg.item("lxc.cap.drop"));
        assertEquals(Optional.of("proc:mixed sys:ro cgroup:mixed"), cfg.item("lxc.mount.auto"));
        assertEquals(Optional.of("empty\n"), cfg.item("lxc.net"));
        assertEquals(Optional.of("/var/lib/lxc/anchor1/rootfs"), cfg.item("lxc.rootfs.path"));
        assertEquals(26, cfg.entries().get(cfg.entries().size() - 1).line());
        assertEquals(9, cfg.entries().get(0).line());
    }

    static Path resource(String name) throws URISyntaxException {
        return Path.of(StockConfigsTest.class.getResource("/config/" + name).toURI());
    }
}
