package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.Optional;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Propagation;
import org.lxj.spi.launch.Rootfs;

/**
 * The container's root: the storage backend's mounted directory, entered with the old root made
 * {@code rslave} as LXC does; {@code lxc.rootfs.options} may make it read-only. A container without
 * {@code lxc.rootfs.path} keeps the host's root in its own mount namespace.
 */
final class RootfsContributor implements LaunchContributor {

    @Override
    public int order() {
        return ORDER_ROOTFS;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        if (context.config().rootfsPath().isEmpty() || context.rootfs().equals(Path.of("/"))) {
            return;
        }
        boolean readOnly = false;
        for (String value : context.config().values("lxc.rootfs.options")) {
            for (String opt : value.split(",")) {
                String o = opt.trim();
                switch (o) {
                    case "", "defaults", "rw" -> readOnly = readOnly && !o.equals("rw");
                    case "ro" -> readOnly = true;
                    default -> throw new UnsupportedFeatureException("Config key \"lxc.rootfs.options\" option \""
                            + o + "\" is not supported; supported are ro and rw");
                }
            }
        }
        plan.rootfs(new Rootfs(context.rootfs(), Optional.of(Propagation.RSLAVE), readOnly, false));
    }
}
