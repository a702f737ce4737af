package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;

/**
 * Builds a container's launch plan: core's own contributors (rootfs, mounts, devices, process, masks, and the
 * default namespaces when no namespace bundle is installed) and the installed ones, called in
 * {@link LaunchContributor#order()} with one shared builder. Core's contributor runs first at an equal order.
 */
public final class PlanAssembler {

    private PlanAssembler() {
    }

    /**
     * The plan for {@code context}.
     *
     * @param installed the contributor services, in service order (ranking, then id) for equal orders
     * @throws org.lxj.api.LxjException a typed error of the contributor or plan rule that failed
     */
    public static LaunchPlan assemble(ContainerContext context, LaunchRequest request,
            List<? extends LaunchContributor> installed) {
        return builder(context, request, installed, KernelPaths::exists, KernelPaths::isDirectory).build();
    }

    /**
     * The filled builder, before the cross-step checks of {@link LaunchPlan.Builder#build()}.
     *
     * @param hostHas     whether the host kernel has a {@code /proc} or {@code /sys} path (the container's will too)
     * @param isDirectory whether such a path is a directory
     */
    static LaunchPlan.Builder builder(ContainerContext context, LaunchRequest request,
            List<? extends LaunchContributor> installed, Predicate<Path> hostHas, Predicate<Path> isDirectory) {
        List<LaunchContributor> all = new ArrayList<>();
        if (!Mechanism.NAMESPACE.installedIn(installed)) {
            all.add(new DefaultNamespaces());
        }
        all.add(new NetworkContributor());
        all.add(new RootfsContributor());
        all.add(new MountContributor(hostHas));
        all.add(new DeviceContributor());
        all.add(new ProcessContributor(request));
        all.add(new HookContributor(request));
        all.add(new MaskContributor(hostHas, isDirectory));
        all.addAll(installed);
        all.sort(Comparator.comparingInt(LaunchContributor::order));
        LaunchPlan.Builder plan = LaunchPlan.builder();
        for (LaunchContributor c : all) {
            c.contribute(context, plan);
        }
        return plan;
    }
}
