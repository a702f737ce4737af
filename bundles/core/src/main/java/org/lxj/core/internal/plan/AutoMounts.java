package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.host.CgroupHierarchy;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;

/**
 * {@code lxc.mount.auto}: {@code proc}, {@code sys} and {@code cgroup} in their LXC variants, as mount steps.
 * Read-only parts are a bind of the path onto itself and a read-only remount, so the writable parts
 * ({@code /proc/sys/net}, {@code /sys/devices/virtual/net}) can be separate mounts on top.
 */
final class AutoMounts {
    private static final Pattern WORDS = Pattern.compile("\\s+");
    private static final Set<MountFlag> SAFE = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC);

    /** The effective tokens: the last of each kind wins, bare names mean their LXC default. */
    record Tokens(Optional<String> proc, Optional<String> sys, Optional<String> cgroup) {
        static Tokens of(List<String> values) {
            String proc = null;
            String sys = null;
            String cgroup = null;
            for (String value : values) {
                for (String t : WORDS.split(value.trim())) {
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
     * container's init unless {@code :force} is given; otherwise a tmpfs goes to {@code /sys/fs/cgroup} with a
     * directory per hierarchy. Without a specifier the mode is {@code :rw} when the container keeps
     * {@code CAP_SYS_ADMIN} (it could remount them read-write anyway) and {@code :mixed} otherwise, as LXC decides.
     * <p>
     * Inside the container's cgroup namespace each hierarchy is mounted afresh and shows the container's own
     * subtree only (its root is the payload cgroup), so {@code cgroup} and {@code cgroup-full} are the same there:
     * {@code :ro} mounts them read-only, {@code :mixed} leaves them writable under a read-only tmpfs, {@code :rw}
     * leaves the tmpfs writable too. Without a cgroup namespace a fresh mount would show the host's whole tree, so,
     * as LXC does, {@code cgroup} binds only the container's own cgroup of each hierarchy (its payload directory,
     * from {@code placement}) at its path below {@code /sys/fs/cgroup/<hierarchy>}, the directories leading to it
     * plain directories of the tmpfs, and {@code cgroup-full} binds the host's hierarchy read-only (writable for
     * {@code :rw}) with the container's own cgroup writable on top for {@code :mixed}. A hierarchy in which the
     * container has no cgroup gets nothing ({@code cgroup}) or the host tree ({@code cgroup-full}). With no placement at all (no cgroup backend installed) the hierarchies are mounted
     * afresh, read-only unless {@code :rw}.
     */
    void cgroup(String token, boolean ownCgroupNamespace, Optional<HostFacts> host, CgroupPlacement placement,
            boolean sysAdminKept) {
        boolean force = token.endsWith(":force");
        if (ownCgroupNamespace && !force) {
            return;
        }
        List<CgroupHierarchy> hierarchies = host.map(HostFacts::cgroups).orElse(List.of());
        if (hierarchies.isEmpty()) {
            throw new UnsupportedFeatureException("Config key \"lxc.mount.auto\" value \"" + token
                    + "\" needs the host's cgroup hierarchies, and none are known");
        }
        String mode = token.contains(":ro") ? "ro" : token.contains(":rw") ? "rw" : token.contains(":mixed")
                ? "mixed" : sysAdminKept ? "rw" : "mixed";
        boolean full = token.startsWith("cgroup-full");
        List<Path> payloads = payloadDirectories(placement);
        Path root = Path.of("/sys/fs/cgroup");
        steps.add(MountStep.filesystem("tmpfs", root, SAFE, "mode=755"));
        for (CgroupHierarchy h : hierarchies) {
            Path name = h.mountPoint().getFileName();
            Path target = name == null || h.mountPoint().equals(root) ? root : root.resolve(name.toString());
            if (ownCgroupNamespace || payloads.isEmpty()) {
                steps.add(cgroupMount(h, target, mode.equals("rw") || ownCgroupNamespace && mode.equals("mixed")));
                continue;
            }
            Optional<Path> own = payloads.stream().filter(p -> p.startsWith(h.mountPoint()) && hierarchies.stream()
                    .filter(o -> p.startsWith(o.mountPoint())).allMatch(o -> h.mountPoint().startsWith(
                            o.mountPoint()))).findFirst();
            Optional<Path> ownTarget = own.map(p -> target.resolve(h.mountPoint().relativize(p).toString()));
            if (full) {
                hostBind(h.mountPoint(), target, !mode.equals("rw"));
                if (mode.equals("mixed") && own.isPresent()) {
                    hostBind(own.get(), ownTarget.get(), false);
                }
            } else if (own.isPresent()) {
                hostBind(own.get(), ownTarget.get(), mode.equals("ro"));
            }
        }
        if (!mode.equals("rw")) {
            steps.add(remount(root, true));
        }
    }

    /** A bind of host directory {@code source} to {@code target} (made in the tmpfs when missing), then read-only. */
    private void hostBind(Path source, Path target, boolean readOnly) {
        steps.add(new MountStep(source.toString(), target, "", EnumSet.of(MountFlag.BIND), "", Optional.empty(),
                MountStep.Create.DIR, false, false));
        if (readOnly) {
            steps.add(remount(target, true));
        }
    }

    /** The payload directory of each hierarchy init is placed in. */
    private static List<Path> payloadDirectories(CgroupPlacement placement) {
        List<Path> out = new ArrayList<>();
        placement.cloneInto().ifPresent(out::add);
        placement.procsFiles().forEach(f -> out.add(f.getParent()));
        return out;
    }

    /**
     * Whether the container keeps {@code CAP_SYS_ADMIN}, as LXC reads it for a bare {@code cgroup}: named in
     * {@code lxc.cap.keep} when that is set, else not named in {@code lxc.cap.drop}.
     */
    static boolean keepsSysAdmin(List<String> keep, List<String> drop) {
        List<String> kept = words(keep);
        if (!kept.isEmpty()) {
            return kept.contains("sys_admin");
        }
        return !words(drop).contains("sys_admin");
    }

    private static List<String> words(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String w : WORDS.split(v.trim())) {
                if (!w.isEmpty()) {
                    String lower = w.toLowerCase(java.util.Locale.ROOT);
                    out.add(lower.startsWith("cap_") ? lower.substring(4) : lower);
                }
            }
        }
        return out;
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
