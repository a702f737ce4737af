package org.lxj.core.internal.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.PlanValidationException;

/**
 * The container's mounts in LXC's order: {@code lxc.mount.auto}, the autodev {@code /dev} tmpfs with its devpts
 * instance, {@code /dev/shm} and {@code /dev/mqueue}, then {@code lxc.mount.fstab} and {@code lxc.mount.entry}.
 * Device nodes and symlinks on the new {@code /dev} come from {@link DeviceContributor}, after every mount.
 */
final class MountContributor implements LaunchContributor {
    /** LXC's default size of the autodev tmpfs, in bytes. */
    static final long AUTODEV_SIZE = 500_000;

    private final Predicate<Path> hostHas;

    /** @param hostHas whether the host kernel has a {@code /proc} or {@code /sys} path */
    MountContributor(Predicate<Path> hostHas) {
        this.hostHas = hostHas;
    }

    MountContributor() {
        this(KernelPaths::exists);
    }

    @Override
    public int order() {
        return ORDER_MOUNT;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ContainerConfig config = context.config();
        boolean ownNet = plan.cloneNamespaces().contains(Namespace.NET);
        AutoMounts auto = new AutoMounts(hostHas);
        AutoMounts.Tokens tokens = AutoMounts.Tokens.of(config.values("lxc.mount.auto"));
        tokens.proc().ifPresent(mode -> auto.proc(mode, ownNet));
        tokens.sys().ifPresent(mode -> auto.sys(mode, ownNet));
        tokens.cgroup().ifPresent(t -> auto.cgroup(t, plan.cloneNamespaces().contains(Namespace.CGROUP),
                Optional.of(context.host()), plan.cgroupPlacement(),
                AutoMounts.keepsSysAdmin(config.values("lxc.cap.keep"), config.values("lxc.cap.drop"))));
        auto.steps().forEach(plan::mount);
        boolean hasRootfs = plan.rootfsSpec().isPresent();
        if (hasRootfs && autodev(config)) {
            devMounts(config, plan);
        }
        if (hasRootfs) {
            devpts(config, plan);
        }
        Path rootfsHost = plan.rootfsSpec().map(r -> r.path()).orElse(null);
        for (ConfigEntry e : config.entries()) {
            if (e.key().equals("lxc.mount.fstab")) {
                fstab(e, rootfsHost, plan);
            }
        }
        for (ConfigEntry e : config.entries()) {
            if (e.key().equals("lxc.mount.entry") && !e.value().isBlank()) {
                entry(e, e.value(), e.file(), e.line(), rootfsHost, plan);
            }
        }
    }

    static boolean autodev(ContainerConfig config) {
        return !config.value("lxc.autodev").map(String::trim).orElse("1").equals("0");
    }

    private static void devMounts(ContainerConfig config, LaunchPlan.Builder plan) {
        long size = config.value("lxc.autodev.tmpfs.size").map(String::trim).filter(s -> !s.isEmpty())
                .map(Long::parseLong).orElse(AUTODEV_SIZE);
        plan.mount(MountStep.filesystem("tmpfs", Path.of("/dev"), EnumSet.of(MountFlag.NOSUID, MountFlag.STRICTATIME),
                "size=" + size + ",mode=755"));
        if (!targets(config, "dev/shm")) {
            plan.mount(MountStep.filesystem("tmpfs", Path.of("/dev/shm"),
                    EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV), "mode=1777"));
        }
        if (!targets(config, "dev/mqueue")) {
            plan.mount(new MountStep("mqueue", Path.of("/dev/mqueue"), "mqueue",
                    EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV, MountFlag.NOEXEC), "", Optional.empty(),
                    MountStep.Create.DIR, true, false));
        }
    }

    /** A private devpts instance on {@code /dev/pts}; {@code lxc.pty.max} bounds it. */
    private static void devpts(ContainerConfig config, LaunchPlan.Builder plan) {
        String max = config.value("lxc.pty.max").map(String::trim).filter(s -> !s.isEmpty() && !s.equals("0"))
                .map(s -> ",max=" + s).orElse("");
        plan.mount(MountStep.filesystem("devpts", Path.of("/dev/pts"), EnumSet.of(MountFlag.NOSUID, MountFlag.NOEXEC),
                "newinstance,ptmxmode=0666,mode=0620,gid=5" + max));
    }

    /** Whether an {@code lxc.mount.entry} mounts onto {@code path} (relative, as LXC writes targets). */
    private static boolean targets(ContainerConfig config, String path) {
        return config.values("lxc.mount.entry").stream().map(v -> FstabEntry.FIELDS.split(v.trim()))
                .anyMatch(f -> f.length > 1 && Path.of("/").resolve(f[1]).normalize().equals(Path.of("/", path)));
    }

    private static void fstab(ConfigEntry e, Path rootfsHost, LaunchPlan.Builder plan) {
        if (e.value().isBlank()) {
            return;
        }
        Path file = Path.of(e.value().trim());
        if (!file.isAbsolute() && e.file() != null) {
            file = e.file().toAbsolutePath().resolveSibling(file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new ConfigException(e.file(), e.line(), e.key(), e.value(), "Failed to read \"" + file + "\": "
                    + ex.getMessage());
        }
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            entry(e, line, file, i + 1, rootfsHost, plan);
        }
    }

    private static void entry(ConfigEntry e, String line, Path file, int lineNo, Path rootfsHost,
            LaunchPlan.Builder plan) {
        try {
            FstabEntry.steps(line, rootfsHost).forEach(plan::mount);
        } catch (IllegalArgumentException | PlanValidationException ex) {
            throw new ConfigException(file, lineNo, e.key(), line, ex.getMessage());
        }
    }
}
