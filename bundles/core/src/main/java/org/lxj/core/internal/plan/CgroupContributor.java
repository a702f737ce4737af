package org.lxj.core.internal.plan;

import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.CgroupPlacement;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;

/**
 * Puts init's cgroup placement, computed by the installed cgroup backends when they made the container's cgroups,
 * into the plan. Its presence also tells {@link KeyGate} that cgroup keys are served.
 */
public final class CgroupContributor implements LaunchContributor {
    private final CgroupPlacement placement;

    public CgroupContributor(CgroupPlacement placement) {
        this.placement = placement;
    }

    @Override
    public int order() {
        return ORDER_CGROUP;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        plan.cgroup(placement);
    }
}
