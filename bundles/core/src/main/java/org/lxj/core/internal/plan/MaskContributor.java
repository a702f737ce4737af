package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;

/**
 * The default masked and read-only paths of {@code notes/security-and-launch.md} B.2, for the {@code /proc} and
 * {@code /sys} that {@code lxc.mount.auto} mounts. A path this kernel does not have is left out (the container's
 * procfs and sysfs show the host kernel's files), so the launcher never meets a missing one.
 */
final class MaskContributor implements LaunchContributor {
    static final List<String> MASKED_PROC = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
            "/proc/interrupts");
    static final List<String> MASKED_SYS = List.of("/sys/firmware", "/sys/devices/virtual/powercap");
    static final List<String> READ_ONLY_PROC = List.of("/proc/bus", "/proc/fs", "/proc/irq");

    private final Predicate<Path> hostHas;
    private final Predicate<Path> isDirectory;

    /** @param hostHas whether the host kernel has a path (the container's procfs and sysfs will too) */
    MaskContributor(Predicate<Path> hostHas, Predicate<Path> isDirectory) {
        this.hostHas = hostHas;
        this.isDirectory = isDirectory;
    }

    @Override
    public int order() {
        return ORDER_MASK;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        AutoMounts.Tokens auto = AutoMounts.Tokens.of(context.config().values("lxc.mount.auto"));
        if (auto.proc().isPresent()) {
            MASKED_PROC.stream().map(Path::of).filter(hostHas).forEach(p -> mask(p, plan));
            READ_ONLY_PROC.stream().map(Path::of).filter(hostHas).forEach(plan::readOnlyPath);
        }
        if (auto.sys().isPresent()) {
            MASKED_SYS.stream().map(Path::of).filter(hostHas).forEach(p -> mask(p, plan));
        }
    }

    /**
     * A directory gets the launcher's empty read-only tmpfs. A file gets the host's {@code /dev/null} bound over it
     * as a mount step, while the host's {@code /dev} is still reachable (before the pivot): the launcher's own
     * file masking clones a {@code /dev/null} whose mount the pivot has detached, which the kernel refuses with
     * EINVAL. The host's node is not the container's, so the CVE-2025-31133 substitution cannot reach it.
     */
    private void mask(Path p, LaunchPlan.Builder plan) {
        if (isDirectory.test(p)) {
            plan.maskPath(p);
        } else {
            plan.mount(new MountStep("/dev/null", p, "", EnumSet.of(MountFlag.BIND), "", Optional.empty(),
                    MountStep.Create.NONE, false, false));
        }
    }
}
