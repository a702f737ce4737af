package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lxj.itests.ContainerCli.Result;

/**
 * {@code lxc.mount.auto = cgroup:mixed proc:mixed sys:mixed}, checked as LXC's {@code src/tests/sys_mixed.c}
 * checks it: a busybox container with the template's {@code sys:ro} turned into {@code sys:mixed}, then from an
 * attached process {@code /sys} must be read-only and {@code /sys/devices/virtual/net} must not be (LXC asks
 * {@code statvfs}; here the mount table of the attached process answers the same question: the mount a path
 * lies on and its {@code ro} flag). {@code proc:mixed} is checked the same way: {@code /proc/sys} and
 * {@code /proc/sysrq-trigger} read-only, {@code /proc/sys/net} writable in the container's own network namespace.
 * Writes are only made where they are harmless: the same value back into a namespaced file.
 */
class MountAutoIT {
    private static final String C = "m";
    private static final String MOUNT_AUTO = "cgroup:mixed proc:mixed sys:mixed";

    private static ContainerCli cli;
    private static List<String> mountinfo;

    @BeforeAll
    static void startContainer() throws Exception {
        assumeTrue(ContainerCli.usable(), ContainerCli.skipReason());
        cli = ContainerCli.create("lxj-it-mountauto-");
        cli.lxc("lxc-create", C, "-t", "busybox").assertSuccess();
        Path config = cli.lxcpath.resolve(C).resolve("config");
        String text = Files.readString(config);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("lxc.mount.auto")), "the template sets lxc.mount.auto:\n" + text);
        Files.writeString(config, String.join("\n", text.lines()
                .map(l -> l.startsWith("lxc.mount.auto") ? "lxc.mount.auto = " + MOUNT_AUTO : l).toList()) + "\n");
        cli.lxc("lxc-start", C, "-s", "lxc.net.0.type=empty").assertSuccess();
        cli.initPid(C);
        mountinfo = cli.sh(C, "cat /proc/self/mountinfo").lines().toList();
    }

    @AfterAll
    static void destroyContainers() throws Exception {
        if (cli != null) {
            List<String> problems = cli.destroyAll();
            assertEquals(List.of(), problems, "cleanup of " + cli.lxcpath);
        }
    }

    @Test
    void theConfigSaysMixed() throws Exception {
        Result r = cli.lxc("lxc-info", C, "-c", "lxc.mount.auto");
        r.assertSuccess();
        // printed in LXC's canonical order (proc, sys, cgroup), whatever order the file has
        assertEquals("lxc.mount.auto = proc:mixed sys:mixed cgroup:mixed", r.out().trim(), r.toString());
    }

    @Test
    void sysIsReadOnly() throws Exception {
        assertTrue(readOnly("/sys"), "/sys is read-only (sys_mixed.c: is_read_only(\"/sys\") > 0): " + mountOf("/sys"));
        Result touch = cli.lxc("lxc-attach", C, "--", "sh", "-c", "touch /sys/lxj-probe");
        assertNotEquals(0, touch.status(), touch.toString());
        assertTrue(touch.err().contains("Read-only file system"), "EROFS under /sys: " + touch);
    }

    @Test
    void sysDevicesVirtualNetIsWritable() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/sys/devices/virtual/net")),
                "this kernel has no /sys/devices/virtual/net");
        assertTrue(cli.sh(C, "ls /sys/devices/virtual/net").lines().anyMatch("lo"::equals),
                "the container's sysfs shows its own loopback device");
        assertFalse(readOnly("/sys/devices/virtual/net"),
                "/sys/devices/virtual/net is not read-only (sys_mixed.c: is_read_only(...) == 0): "
                        + mountOf("/sys/devices/virtual/net"));
        // the container's own loopback, in its own network namespace: the value it already has goes back in
        Result write = cli.lxc("lxc-attach", C, "--", "sh", "-c",
                "f=/sys/devices/virtual/net/lo/tx_queue_len; v=$(cat $f) && echo $v > $f && cat $f");
        assertEquals(0, write.status(), "a write under /sys/devices/virtual/net: " + write);
    }

    @Test
    void procSysIsReadOnly() throws Exception {
        assertTrue(readOnly("/proc/sys"), "/proc/sys is read-only: " + mountOf("/proc/sys"));
        // the container's own UTS namespace: even a wrong mount would only rewrite its own hostname, to itself
        Result r = cli.lxc("lxc-attach", C, "--", "sh", "-c",
                "v=$(cat /proc/sys/kernel/hostname) && echo $v > /proc/sys/kernel/hostname");
        assertNotEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("Read-only file system"), "EROFS on /proc/sys/kernel: " + r);
    }

    @Test
    void procSysNetIsWritableInTheContainersNetworkNamespace() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/sys/net")), "this kernel has no /proc/sys/net");
        assertNotEquals(ContainerCli.hostNamespace("net"), cli.sh(C, "readlink /proc/self/ns/net").trim(),
                "the container has a network namespace of its own");
        assertFalse(readOnly("/proc/sys/net"), "/proc/sys/net is writable: " + mountOf("/proc/sys/net"));
        Path file = Path.of("/proc/sys/net/ipv4/ip_forward");
        assumeTrue(Files.exists(file), "this kernel has no " + file);
        Result r = cli.lxc("lxc-attach", C, "--", "sh", "-c", "v=$(cat " + file + ") && echo $v > " + file);
        assertEquals(0, r.status(), "a write of the namespace's own value to " + file + ": " + r);
    }

    @Test
    void sysrqTriggerIsReadOnly() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/sysrq-trigger")), "this kernel has no /proc/sysrq-trigger");
        String[] m = mountOf("/proc/sysrq-trigger");
        assertEquals("/proc/sysrq-trigger", m[4], "/proc/sysrq-trigger is a mount of its own: " + Arrays.toString(m));
        assertTrue(readOnly("/proc/sysrq-trigger"), "/proc/sysrq-trigger is read-only: " + Arrays.toString(m));
    }

    @Test
    void procItselfStaysWritable() throws Exception {
        assertFalse(readOnly("/proc"), "proc:mixed leaves /proc itself read-write: " + mountOf("/proc"));
    }

    /** Whether the mount {@code path} lies on is read-only, per mount or for the whole superblock (statvfs's ST_RDONLY). */
    private static boolean readOnly(String path) {
        String[] m = mountOf(path);
        int dash = Arrays.asList(m).indexOf("-");
        boolean mountRo = Arrays.asList(m[5].split(",")).contains("ro");
        boolean superRo = dash > 0 && dash + 3 < m.length && Arrays.asList(m[dash + 3].split(",")).contains("ro");
        return mountRo || superRo;
    }

    /**
     * The mountinfo fields of the mount {@code path} lies on inside the container: the longest mount point above
     * it, the last listed of those (the top of a stack of mounts on one point).
     */
    private static String[] mountOf(String path) {
        String[] best = null;
        for (String line : mountinfo) {
            String[] f = line.split(" ");
            String point = f[4];
            boolean covers = point.equals("/") || path.equals(point) || path.startsWith(point + "/");
            if (covers && (best == null || point.length() >= best[4].length())) {
                best = f;
            }
        }
        assertTrue(best != null, "a mount for " + path + " in\n" + String.join("\n", mountinfo));
        return best;
    }
}
