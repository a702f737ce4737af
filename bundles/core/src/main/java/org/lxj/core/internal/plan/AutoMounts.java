package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;

/**
 * {@code lxc.mount.auto}: {@code proc}, {@code sys} and {@code cgroup} in their LXC variants, as mount steps.
 * Read-only parts are a bind of the path onto itself and a read-only remount, so the writable parts
 * ({@code /proc/sys/net}, {@code /sys/devices/virtual/net}) can be separate mounts on top.
 */
final class AutoMounts {
    private static final Set<MountFlag> SAFE = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC);

    /** The effective tokens: the last of each kind wins, bare names mean their LXC default. */
    record Tokens(Optional<String> proc, Optional<String> sys, Optional<String> cgroup) {
        static Tokens of(List<String> values) {
            String proc = null;
            String sys = null;
            String cgroup = null;
            for (String value : values) {
                for (String t : value.trim().split("\\s+")) {
                    if (t.isEmpty()) {
                        continue;
                    }
                    if (t.startsWith("proc")) {
                        proc = t.equals("proc") ? "mixed" : t.substring("proc:".length());
                    } else if (t.startsWith("sys")) {
                        sys = t.equals("sys") ? "mixed" : t.substring("sys:".length());
                    } else if (t.startsWith("cgroup")) {
                        cgroup = t;
                    } else {
                        throw new UnsupportedFeatureException("Config key \"lxc.mount.auto\" value \"" + t
                                + "\" is not supported");
                    }
                }
            }
            return new Tokens(Optional.ofNullable(proc), Optional.ofNullable(sys), Optional.ofNullable(cgroup));
        }
    }

    private final List<MountStep> steps = new ArrayList<>();
    private final Predicate<Path> hostHas;

    /** @param hostHas whether the host kernel has a {@code /proc} or {@code /sys} path (the container's will too) */
    AutoMounts(Predicate<Path> hostHas) {
        this.hostHas = hostHas;
    }

    List<MountStep> steps() {
        return steps;
    }

    void proc(String mode, boolean ownNet) {
        steps.add(MountStep.filesystem("proc", Path.of("/proc"), SAFE, ""));
        if (mode.equals("rw")) {
            return;
        }
        readOnlyBind("/proc/sys");
        if (ownNet && hostHas.test(Path.of("/proc/sys/net"))) {
            writableBind("/proc/sys/net");
        }
        if (hostHas.test(Path.of("/proc/sysrq-trigger"))) {
            readOnlyBind("/proc/sysrq-trigger");
        }
    }

    void sys(String mode, boolean ownNet) {
        switch (mode) {
            case "rw" -> steps.add(MountStep.filesystem("sysfs", Path.of("/sys"), SAFE, ""));
            case "ro" -> steps.add(MountStep.filesystem("sysfs", Path.of("/sys"), with(SAFE, MountFlag.RDONLY), ""));
            default -> {
                steps.add(MountStep.filesystem("sysfs", Path.of("/sys"), SAFE, ""));
                readOnlyBind("/sys");
                if (ownNet && hostHas.test(Path.of("/sys/devices/virtual/net"))) {
                    // a fresh sysfs shows this network namespace's devices; its net subtree goes on top
                    steps.add(new MountStep("sysfs", Path.of("/sys/devices/virtual/net"), "sysfs", SAFE, "",
                            Optional.empty(), MountStep.Create.NONE, false, false));
                    steps.add(new MountStep("/sys/devices/virtual/net/devices/virtual/net",
                            Path.of("/sys/devices/virtual/net"), "", EnumSet.of(MountFlag.BIND), "", Optional.empty(),
                            MountStep.Create.NONE, false, true));
                }
            }
        }
    }

    /**
     * {@code cgroup[-full][:mixed|:ro|:rw][:force]}. In a new cgroup namespace LXC leaves cgroup mounts to the
     * container's init unless {@code :force} is given; otherwise each host hierarchy is mounted afresh under a
     * tmpfs at {@code /sys/fs/cgroup}. Inside the container's cgroup namespace such a mount shows the container's
     * own subtree only (its root is the payload cgroup), so {@code cgroup} and {@code cgroup-full} are the same
     * there: {@code :ro} mounts the hierarchies read-only, {@code :mixed} (the default) leaves the container's own
     * cgroups writable under a read-only tmpfs, {@code :rw} leaves the tmpfs writable too. Without a cgroup
     * namespace a fresh mount would show the host's whole tree, so only {@code :rw} makes it writable.
     */
    void cgroup(String token, boolean ownCgroupNamespace, Optional<HostFacts> host) {
        boolean force = token.endsWith(":force");
        if (ownCgroupNamespace && !force) {
            return;
        }
        List<CgroupHierarchy> hierarchies = host.map(HostFacts::cgroups).orElse(List.of());
        if (hierarchies.isEmpty()) {
            throw new UnsupportedFeatureException("Config key \"lxc.mount.auto\" value \"" + token
                    + "\" needs the host's cgroup hierarchies, and none are known");
        }
        boolean rw = token.contains(":rw");
        boolean writableCgroups = rw || ownCgroupNamespace && !token.contains(":ro");
        Path root = Path.of("/sys/fs/cgroup");
        steps.add(MountStep.filesystem("tmpfs", root, SAFE, "mode=755"));
        for (CgroupHierarchy h : hierarchies) {
            Path name = h.mountPoint().getFileName();
            if (name == null || h.mountPoint().equals(root)) {
                steps.add(cgroupMount(h, root, writableCgroups));
                continue;
            }
            steps.add(cgroupMount(h, root.resolve(name.toString()), writableCgroups));
        }
        if (!rw) {
            steps.add(remount(root, true));
        }
    }

    private static MountStep cgroupMount(CgroupHierarchy h, Path target, boolean rw) {
        Set<MountFlag> flags = rw ? SAFE : with(SAFE, MountFlag.RDONLY);
        if (h.version() == 2) {
            return MountStep.filesystem("cgroup2", target, flags, "");
        }
        return new MountStep("cgroup", target, "cgroup", flags, String.join(",", h.controllers()), Optional.empty(),
                MountStep.Create.DIR, false, false);
    }

    private void readOnlyBind(String path) {
        steps.add(new MountStep(path, Path.of(path), "", EnumSet.of(MountFlag.BIND), "", Optional.empty(),
                MountStep.Create.NONE, false, true));
        steps.add(remount(Path.of(path), true));
    }

    private void writableBind(String path) {
        steps.add(new MountStep(path, Path.of(path), "", EnumSet.of(MountFlag.BIND), "", Optional.empty(),
                MountStep.Create.NONE, false, true));
        steps.add(remount(Path.of(path), false));
    }

    private static MountStep remount(Path target, boolean readOnly) {
        Set<MountFlag> flags = with(SAFE, MountFlag.BIND);
        flags.add(MountFlag.REMOUNT);
        if (readOnly) {
            flags.add(MountFlag.RDONLY);
        }
        // the launcher wants a source on every step; a remount ignores it
        return new MountStep(target.toString(), target, "", flags, "", Optional.empty(), MountStep.Create.NONE, false,
                false);
    }

    private static Set<MountFlag> with(Set<MountFlag> base, MountFlag extra) {
        Set<MountFlag> s = EnumSet.copyOf(base);
        s.add(extra);
        return s;
    }
}
