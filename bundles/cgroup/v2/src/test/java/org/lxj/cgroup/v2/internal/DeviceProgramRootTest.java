package org.lxj.cgroup.v2.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.cgroup.CgroupHandle;
import org.lxj.spi.cgroup.CgroupRequest;
import org.lxj.spi.cgroup.CgroupSetting;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.CgroupLayout;
import org.lxj.spi.host.HostFacts;

/**
 * The device program in the real kernel (root): attached to a cgroup below the host's cgroup2 mount (which takes
 * device programs even without controllers), a process that moves itself in may or may not open {@code /dev/null}
 * as the rules say; after the detach it may again. Removes its cgroups even on failure.
 */
class DeviceProgramRootTest {
    static final Path UNIFIED = Path.of("/sys/fs/cgroup/unified");

    Syscalls sys;
    Path mount;
    String name;
    Path dir;

    @BeforeEach
    void rootAndCgroup2() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to load and attach BPF programs");
        mount = Files.isRegularFile(UNIFIED.resolve("cgroup.procs")) ? UNIFIED
                : Files.isRegularFile(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? Path.of("/sys/fs/cgroup") : null;
        assumeTrue(mount != null, "needs a cgroup2 mount at /sys/fs/cgroup/unified or /sys/fs/cgroup");
        assumeTrue(Files.isRegularFile(Path.of("/bin/busybox")), "needs /bin/busybox");
        sys = new JnaSyscalls();
        name = "lxjt-dev-" + UUID.randomUUID().toString().substring(0, 8);
        dir = mount.resolve(name);
    }

    @AfterEach
    void removeCgroups() throws IOException {
        if (mount == null || name == null) {
            return;
        }
        for (Path d : List.of(mount.resolve("lxc.payload." + name), mount.resolve("lxc.monitor." + name), dir)) {
            if (Files.isDirectory(d)) {
                Files.delete(d);
            }
        }
    }

    /** Runs {@code cat /dev/null} in a process that first joins {@code cgroup}; its status and error output. */
    static String openDevNullIn(Path cgroup) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c",
                "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec /bin/busybox cat /dev/null")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "cat did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        return p.exitValue() + (out.isEmpty() ? "" : " " + out);
    }

    @Test
    void anAttachedProgramAllowsOrDeniesOpensAndItsDetachLiftsIt() throws Exception {
        Files.createDirectory(dir);
        assertEquals("0", openDevNullIn(dir), "no program yet");
        DeviceProgram denyNull = DeviceProgram.of(List.of(CgroupSetting.of("lxc.cgroup2.devices.allow", "a"),
                CgroupSetting.of("lxc.cgroup2.devices.deny", "c 1:3 rwm")));
        int prog = sys.bpfProgLoad(DeviceProgram.PROG_TYPE_CGROUP_DEVICE, denyNull.instructions(), "GPL",
                DeviceProgram.ATTACH_CGROUP_DEVICE);
        int cg = sys.open(dir.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            sys.bpfProgAttach(prog, cg, DeviceProgram.ATTACH_CGROUP_DEVICE, DeviceProgram.F_ALLOW_MULTI);
            String denied = openDevNullIn(dir);
            assertTrue(denied.startsWith("1 ") && denied.contains("Operation not permitted"), denied);
            sys.bpfProgDetach(prog, cg, DeviceProgram.ATTACH_CGROUP_DEVICE);
            assertEquals("0", openDevNullIn(dir), "after the detach");
        } finally {
            sys.close(cg);
            sys.close(prog);
        }
    }

    @Test
    void theBackendAttachesTheProgramOfTheConfigToThePayload() throws Exception {
        HostFacts host = new HostFacts("6.18.0", "x86_64", Set.of(), List.of(), CgroupLayout.HYBRID,
                List.of(new CgroupHierarchy(2, mount, List.of())), false, Set.of(), 0);
        V2CgroupBackend backend = new V2CgroupBackend(sys, host);
        CgroupHandle h = backend.create(new CgroupRequest(name, "lxc.payload.%n", Optional.empty(), Optional.empty(),
                false, Set.of()));
        try {
            backend.apply(h, List.of(CgroupSetting.of("lxc.cgroup2.devices.deny", "a"),
                    CgroupSetting.of("lxc.cgroup2.devices.allow", "c 1:3 rwm")));
            Path payload = h.payloadDirectories().get(0);
            assertEquals("0", openDevNullIn(payload), "/dev/null is on the allowlist");
            // the allowlist has not /dev/zero (1:5)
            Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", "echo $$ > " + payload.resolve("cgroup.procs")
                    + " && exec /bin/busybox head -c 1 /dev/zero").redirectErrorStream(true).start();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), out);
            assertTrue(out.contains("Operation not permitted"), out);
        } finally {
            backend.destroy(h);
        }
        assertTrue(h.payloadDirectories().stream().noneMatch(Files::exists), "payload left");
    }
}
