package org.lxj.template.busybox.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The keys LXC's busybox template appends to a new container's config, in its order and spelling:
 * the signals busybox init understands, a small console setup, the mounts busybox expects, and
 * read-only binds of the host's library directories that exist (so a dynamic busybox finds its libraries).
 */
final class BusyboxConfig {

    /** Library directories bound read-only when the host has them, in LXC's order. */
    static final List<String> LIBRARY_DIRECTORIES = List.of("lib", "usr/lib", "lib64", "usr/lib64");

    private BusyboxConfig() {
    }

    /**
     * The text to append.
     *
     * @param existing     the config as core wrote it
     * @param hostRoot     where the host's {@code /lib}... are looked up ({@code /} outside tests)
     */
    static String text(String existing, String name, Path rootfs, Path hostRoot) {
        StringBuilder b = new StringBuilder();
        if (!existing.isEmpty() && !existing.endsWith("\n")) {
            b.append('\n');
        }
        if (existing.lines().noneMatch(l -> l.startsWith("lxc.rootfs.path"))) {
            b.append("lxc.rootfs.path = ").append(rootfs).append('\n');
        }
        b.append("lxc.signal.halt = SIGUSR1\n")
                .append("lxc.signal.reboot = SIGTERM\n")
                .append("lxc.uts.name = \"").append(name).append("\"\n")
                .append("lxc.autodev = 1\n")
                .append("lxc.tty.max = 5\n")
                .append("lxc.pty.max = 1\n")
                .append("lxc.cap.drop = sys_module mac_admin mac_override sys_time\n")
                .append('\n')
                .append("# When using LXC with apparmor, uncomment the next line to run unconfined:\n")
                .append("#lxc.apparmor.profile = unconfined\n")
                .append('\n')
                .append("lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n")
                .append("lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0\n")
                .append("lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n");
        for (String dir : LIBRARY_DIRECTORIES) {
            if (Files.isDirectory(hostRoot.resolve(dir)) && Files.isDirectory(rootfs.resolve(dir))) {
                b.append("lxc.mount.entry = /").append(dir).append(' ').append(dir).append(" none ro,bind 0 0\n");
            }
        }
        b.append("lxc.mount.entry = /sys/kernel/security sys/kernel/security none ro,bind,optional 0 0\n");
        return b.toString();
    }
}
