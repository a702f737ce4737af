package org.lxj.core.internal.plan;

import java.util.List;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;

/**
 * LXC's default namespaces (mount, pid, uts, ipc, net, cgroup) for a runtime without a namespace bundle. The
 * namespace keys themselves need that bundle; {@link KeyGate} refuses them without it.
 */
final class DefaultNamespaces implements LaunchContributor {
    static final List<Namespace> DEFAULT = List.of(Namespace.MOUNT, Namespace.PID, Namespace.UTS, Namespace.IPC,
            Namespace.NET, Namespace.CGROUP);

    @Override
    public int order() {
        return ORDER_NAMESPACE;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        DEFAULT.forEach(plan::cloneNamespace);
    }
}
