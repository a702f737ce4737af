package org.lxj.linux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.lxj.linux.Syscall;
import org.lxj.linux.Uname;
import org.lxj.linux.fake.RecordingSyscalls;

/** A host tree below a temp dir, filled from the {@code host-hybrid} resources (captured on a test machine). */
final class FakeHost {
    static final String RELEASE = "6.18.44-fc-v657";

    final Path root;
    final RecordingSyscalls sys = new RecordingSyscalls();

    FakeHost(Path root) {
        this.root = root;
        sys.answer(Syscall.UNAME, new Uname("Linux", "vm", RELEASE, "#1 SMP PREEMPT_DYNAMIC @0", "x86_64"));
        sys.answer(Syscall.LANDLOCK_CREATE_RULESET, 7);
        sys.answer(Syscall.LSM_LIST_MODULES, List.of(108L, 100L, 110L, 109L));
    }

    /** The hybrid test machine: every file the checks read, and the kernel configuration at /proc/config.gz. */
    static FakeHost hybrid(Path root) {
        FakeHost h = new FakeHost(root);
        for (String ns : List.of("cgroup", "ipc", "mnt", "net", "pid", "pid_for_children", "time",
                "time_for_children", "user", "uts")) {
            h.file("/proc/self/ns/" + ns, "");
        }
        h.file("/proc/self/mountinfo", resource("host-hybrid/mountinfo.txt"));
        h.file("/proc/self/cgroup", "0::/\n");
        h.dir("/proc/self/map_files");
        h.file("/proc/filesystems", resource("host-hybrid/filesystems.txt"));
        h.file("/proc/cgroups", resource("host-hybrid/cgroups.txt"));
        h.file("/proc/kallsyms", resource("host-hybrid/kallsyms.txt"));
        h.file("/proc/net/ip_tables_targets", resource("host-hybrid/ip_tables_targets.txt"));
        h.file("/proc/net/ip_tables_matches", resource("host-hybrid/ip_tables_matches.txt"));
        h.file("/proc/net/ip6_tables_targets", resource("host-hybrid/ip6_tables_targets.txt"));
        h.file("/proc/sys/kernel/seccomp/actions_avail",
                "kill_process kill_thread trap errno user_notif trace log allow\n");
        h.file("/proc/sys/user/max_user_namespaces", "96365\n");
        h.file("/proc/sys/kernel/cap_last_cap", "40\n");
        h.file("/proc/self/status", "Name:\tjava\nCapBnd:\t000001fffeffffff\nNoNewPrivs:\t0\nSeccomp:\t0\n");
        h.file("/sys/devices/system/cpu/possible", "0-1\n");
        h.file("/sys/fs/cgroup/unified/cgroup.controllers", "hugetlb\n");
        for (String c : List.of("cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                "systemd")) {
            h.file("/sys/fs/cgroup/" + c + "/cgroup.clone_children", "0\n");
        }
        h.file("/dev/loop-control", "");
        h.executable("/usr/bin/newuidmap", 04755);
        h.executable("/usr/bin/newgidmap", 04755);
        h.gzip("/proc/config.gz", resource("host-hybrid/config.txt"));
        return h;
    }

    HostCheckerImpl checker() {
        return new HostCheckerImpl(sys, new HostPaths(root), List.of("/usr/local/bin", "/usr/bin", "/bin"));
    }

    HostProbe probe() {
        return new HostProbe(new HostPaths(root), sys);
    }

    Path path(String abs) {
        return root.resolve(abs.substring(1));
    }

    FakeHost file(String abs, String content) {
        try {
            Files.createDirectories(path(abs).getParent());
            Files.writeString(path(abs), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeHost dir(String abs) {
        try {
            Files.createDirectories(path(abs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeHost delete(String abs) {
        try {
            Files.delete(path(abs));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeHost executable(String abs, int mode) {
        file(abs, "#!/bin/sh\n");
        try {
            Files.setAttribute(path(abs), "unix:mode", mode);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    FakeHost gzip(String abs, String content) {
        try {
            Files.createDirectories(path(abs).getParent());
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path(abs)))) {
                out.write(content.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static String resource(String name) {
        try (InputStream in = FakeHost.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + name + " is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
