package org.lxj.core.internal.plan;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.DeviceNode;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.Symlink;

/**
 * {@code lxc.autodev}: the standard device nodes on the {@code /dev} tmpfs (bind-mounted from the host's in a
 * user namespace, where {@code mknod} is not allowed), {@code /dev/ptmx} pointing into the private devpts
 * instance, and the {@code /dev/fd} and stdio links. Without autodev only {@code /dev/ptmx} is fixed up: a
 * node the rootfs already has is covered by a bind of {@code /dev/pts/ptmx}.
 */
final class DeviceContributor implements LaunchContributor {
    /** name, major, minor of the nodes every container gets (runtime-spec "default devices"). */
    static final List<Object[]> NODES = List.of(new Object[] {"null", 1, 3}, new Object[] {"zero", 1, 5},
            new Object[] {"full", 1, 7}, new Object[] {"random", 1, 8}, new Object[] {"urandom", 1, 9},
            new Object[] {"tty", 5, 0});

    @Override
    public int order() {
        return ORDER_DEVICE;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        if (plan.rootfsSpec().isEmpty()) {
            return;
        }
        if (!MountContributor.autodev(context.config())) {
            Path ptmx = context.rootfs().resolve("dev/ptmx");
            if (Files.exists(ptmx, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(ptmx)) {
                plan.mount(new MountStep("/dev/pts/ptmx", Path.of("/dev/ptmx"), "", EnumSet.of(MountFlag.BIND), "",
                        Optional.empty(), MountStep.Create.FILE, false, true));
            } else if (!Files.isSymbolicLink(ptmx)) {
                plan.symlink(new Symlink(Path.of("/dev/ptmx"), "pts/ptmx"));
            }
            return;
        }
        boolean bind = plan.cloneNamespaces().contains(Namespace.USER);
        for (Object[] n : NODES) {
            plan.device(new DeviceNode(Path.of("/dev", (String) n[0]), DeviceNode.Type.CHAR, (int) n[1], (int) n[2],
                    0666, 0, 0, bind));
        }
        plan.symlink(new Symlink(Path.of("/dev/ptmx"), "pts/ptmx"));
        plan.symlink(new Symlink(Path.of("/dev/fd"), "/proc/self/fd"));
        plan.symlink(new Symlink(Path.of("/dev/stdin"), "/proc/self/fd/0"));
        plan.symlink(new Symlink(Path.of("/dev/stdout"), "/proc/self/fd/1"));
        plan.symlink(new Symlink(Path.of("/dev/stderr"), "/proc/self/fd/2"));
    }
}
