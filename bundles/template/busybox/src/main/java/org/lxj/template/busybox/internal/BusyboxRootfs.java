package org.lxj.template.busybox.internal;

import java.nio.file.Path;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rootfs LXC's busybox template makes: its directory skeleton, the busybox binary with one
 * {@code bin/} symlink per applet and {@code /sbin/init} as a hard link, and the few files busybox's
 * init, login and mount read. Paths, contents and modes follow what {@code lxc-create -t busybox}
 * leaves on disk (compared tree by tree); the udhcpc event script does the same job in its own words.
 */
final class BusyboxRootfs {

    /** The directories LXC's template makes, in its order; each ends up 0755, {@code tmp} 1777. */
    static final List<String> DIRECTORIES = List.of("selinux", "dev", "home", "root", "etc", "etc/init.d", "bin",
            "usr/bin", "sbin", "usr/sbin", "proc", "sys", "mnt", "tmp", "var/log", "var/run", "dev/pts", "lib",
            "usr/lib", "lib64", "usr/lib64");

    static final String PASSWD = "root:x:0:0:root:/root:/bin/sh\n";
    static final String GROUP = "root:x:0:root\n";
    /** busybox init runs rcS once, then respawns a getty on tty1 and offers a shell on the console. */
    static final String INITTAB = "::sysinit:/etc/init.d/rcS\n"
            + "tty1::respawn:/bin/getty -L tty1 115200 vt100\n"
            + "console::askfirst:/bin/sh\n";
    /** Runs inside the container only: system log, the (empty) fstab, and DHCP on the container's own network. */
    static final String RCS = "#!/bin/sh\n"
            + "/bin/syslogd\n"
            + "/bin/mount -a\n"
            + "/bin/udhcpc\n";
    /** What udhcpc runs inside the container on lease events: puts the lease on the interface. */
    static final String UDHCPC_SCRIPT = "#!/bin/sh\n"
            + "# udhcpc calls this with the event as $1 and the lease in the environment\n"
            + "# (interface, ip, mask, broadcast, router, domain, dns).\n"
            + "case \"$1\" in\n"
            + "deconfig)\n"
            + "\tip addr flush dev \"$interface\"\n"
            + "\t;;\n"
            + "bound|renew)\n"
            + "\t[ -n \"$router\" ] && ip route del default 2>/dev/null\n"
            + "\tbcast=\n"
            + "\t[ -n \"$broadcast\" ] && bcast=\"broadcast $broadcast\"\n"
            + "\tip addr add \"$ip/$mask\" $bcast dev \"$interface\"\n"
            + "\tfor gw in $router; do\n"
            + "\t\tip route add default via \"$gw\" dev \"$interface\"\n"
            + "\t\tbreak\n"
            + "\tdone\n"
            + "\t[ -n \"$domain\" ] && echo \"search $domain\" > /etc/resolv.conf\n"
            + "\tfor ns in $dns; do\n"
            + "\t\tgrep -q \"^nameserver $ns\\$\" /etc/resolv.conf 2>/dev/null || echo \"nameserver $ns\" >> /etc/resolv.conf\n"
            + "\tdone\n"
            + "\t;;\n"
            + "esac\n"
            + "exit 0\n";

    static final int DIR_MODE = 0755;
    static final int TMP_MODE = 01777;
    static final int FILE_MODE = 0644;
    static final int SCRIPT_MODE = 0744;
    /** LXC's template sets 644 on the udhcpc script's directory; kept so trees compare equal. */
    static final int UDHCPC_DIR_MODE = 0644;
    static final int SET_ID_BITS = 06000;
    static final int BINARY_MODE_MASK = 0755;

    private static final Logger LOG = LoggerFactory.getLogger(BusyboxRootfs.class);

    private final String name;
    private final RootfsWriter rootfs;

    BusyboxRootfs(String name, RootfsWriter rootfs) {
        this.name = name;
        this.rootfs = rootfs;
    }

    void install(BusyboxBinary busybox, List<String> applets, int sourceMode) {
        skeleton();
        if (applets.contains("udhcpc")) {
            udhcpcScript(busybox.udhcpcScript());
        }
        binaries(busybox.path(), applets, sourceMode);
    }

    private void skeleton() {
        for (String dir : DIRECTORIES) {
            rootfs.directory(dir, DIR_MODE);
        }
        rootfs.chmod("tmp", TMP_MODE);
        rootfs.append("etc/passwd", PASSWD, FILE_MODE);
        rootfs.append("etc/group", GROUP, FILE_MODE);
        rootfs.append("etc/init.d/rcS", RCS, SCRIPT_MODE);
        rootfs.chmod("etc/init.d/rcS", SCRIPT_MODE);
        rootfs.append("etc/inittab", INITTAB, FILE_MODE);
        rootfs.chmod("etc/inittab", FILE_MODE);
        LOG.debug("{}: rootfs skeleton made in \"{}\"", name, rootfs.rootfs());
    }

    private void udhcpcScript(String absolute) {
        String script = absolute.substring(1);
        String dir = Path.of(script).getParent().toString();
        rootfs.directory(dir, DIR_MODE);
        rootfs.append(script, UDHCPC_SCRIPT, SCRIPT_MODE);
        rootfs.chmod(script, SCRIPT_MODE);
        // last, so that a non-root runtime can still write the script into the directory
        rootfs.chmod(dir, UDHCPC_DIR_MODE);
        LOG.debug("{}: udhcpc event script installed as \"{}\"", name, absolute);
    }

    private void binaries(Path busybox, List<String> applets, int sourceMode) {
        int mode = sourceMode & BINARY_MODE_MASK;
        rootfs.copy(busybox, "bin/busybox", mode);
        int linked = 0;
        for (String applet : applets) {
            if (rootfs.symlink("busybox", "bin/" + applet)) {
                linked++;
            }
        }
        rootfs.hardLink("bin/busybox", "sbin/init");
        rootfs.append("etc/fstab", "", FILE_MODE);
        if (applets.contains("passwd")) {
            // passwd must be set-uid; LXC sets it through the bin/passwd symlink, i.e. on busybox itself
            rootfs.chmod("bin/busybox", mode | SET_ID_BITS);
        }
        rootfs.append("etc/shadow", "", FILE_MODE);
        LOG.debug("{}: busybox copied from \"{}\", {} applet links made", name, busybox, linked);
    }
}
