package org.lxj.core.internal.plan;

import java.util.List;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.Namespace;

/**
 * The network types core handles itself: {@code empty} (a new network namespace with only a loopback device, the
 * default) and {@code none} (the host's network namespace, as LXC shares it). Other types need a network bundle
 * and are refused by {@link KeyGate}.
 */
final class NetworkContributor implements LaunchContributor {

    @Override
    public int order() {
        return ORDER_NAMESPACE + 50;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        // as LXC: the host's network only when NICs are configured and every one is of type none
        List<String> types = context.config().entries().stream()
                .filter(e -> e.key().matches("lxc\\.net\\.\\d+\\.type")).map(e -> e.value().trim()).toList();
        boolean shareHost = !types.isEmpty() && types.stream().allMatch("none"::equals);
        if (shareHost && plan.cloneNamespaces().contains(Namespace.NET)) {
            plan.keepNamespace(Namespace.NET);
        }
    }
}
