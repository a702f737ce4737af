package org.lxj.core.internal.plan;

import java.util.EnumSet;
import java.util.Set;

import org.lxj.core.internal.hook.ContainerHooks;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.Hook;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;

/**
 * The hooks the launcher runs: pre-mount, mount, autodev (only with {@code lxc.autodev}, as LXC) and start inside
 * the container's setup, stop in the monitor. The host-side ones (pre-start, start-host, post-stop) are run by the
 * starter and the cleanup, not planned.
 */
final class HookContributor implements LaunchContributor {
    static final Set<Hook.Stage> LAUNCHER_STAGES = EnumSet.of(Hook.Stage.PRE_MOUNT, Hook.Stage.MOUNT,
            Hook.Stage.AUTODEV, Hook.Stage.START, Hook.Stage.STOP);

    private final LaunchRequest request;

    HookContributor(LaunchRequest request) {
        this.request = request;
    }

    @Override
    public int order() {
        return ORDER_PROCESS;
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ContainerHooks hooks = hooks(context, request);
        boolean autodev = MountContributor.autodev(context.config());
        for (Hook h : hooks.hooks()) {
            if (LAUNCHER_STAGES.contains(h.stage()) && (h.stage() != Hook.Stage.AUTODEV || autodev)) {
                plan.hook(h);
            }
        }
    }

    /** The container's hooks as the launch computes them. */
    static ContainerHooks hooks(ContainerContext context, LaunchRequest request) {
        return ContainerHooks.of(context.name(), context.config(),
                context.config().source().orElse(context.containerDir().resolve("config")), context.rootfs(),
                request.hostEnv());
    }
}
