package org.lxj.security.landlock.internal;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.LandlockRuleset;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.security.SecurityContributor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code landlock} security backend: {@code lxj.landlock.*} keys become the plan's Landlock ruleset,
 * masked to the host's ABI ({@link HostFacts#landlockAbi()}). It runs at
 * {@link LaunchContributor#ORDER_LANDLOCK}, after capabilities and {@code no_new_privs} are known; the launcher
 * enforces the ruleset after {@code no_new_privs} and before seccomp, so it also confines the container's init.
 * Path rules name paths inside the container; one that is a file in the rootfs keeps only the rights a file
 * can carry.
 */
@Component(service = {SecurityContributor.class, LaunchContributor.class},
        property = Backend.TYPE_PROPERTY + "=" + LandlockContributor.TYPE)
public final class LandlockContributor implements SecurityContributor {

    static final String TYPE = "landlock";
    private static final Logger LOG = LoggerFactory.getLogger(LandlockContributor.class);

    @Activate
    public LandlockContributor() {
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int order() {
        return ORDER_LANDLOCK;
    }

    @Override
    public Detection detect(HostFacts host) {
        // available even without Landlock: best effort then runs the container unconfined, with a warning
        return host.landlockAbi() > 0 ? Detection.available("Landlock ABI " + host.landlockAbi())
                : Detection.available("the kernel has no Landlock; lxj.landlock.* keys are best effort only");
    }

    @Override
    public boolean supports(ContainerConfig config) {
        return LandlockPolicy.requested(config);
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        Path rootfs = context.rootfs();
        LandlockPolicy policy = new LandlockPolicy(context.config(), context.host().landlockAbi(),
                p -> nonDirectory(rootfs, p), w -> LOG.warn("{}: {}", context.name(), w));
        Optional<LandlockRuleset> ruleset = policy.compute();
        ruleset.ifPresent(r -> {
            plan.landlock(r);
            LOG.debug("{}: Landlock ABI {}: fs {}, net {}, scopes {}, {} path and {} port rules", context.name(),
                    context.host().landlockAbi(), Long.toHexString(r.handledFs()), Long.toHexString(r.handledNet()),
                    Long.toHexString(r.scoped()), r.pathRules().size(), r.portRules().size());
        });
    }

    /** Whether {@code path} inside the container is, in its rootfs, something that exists and is no directory. */
    static boolean nonDirectory(Path rootfs, Path path) {
        Path host = rootfs.resolve(path.toString().substring(1));
        return Files.exists(host, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(host)
                && !Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS);
    }
}
