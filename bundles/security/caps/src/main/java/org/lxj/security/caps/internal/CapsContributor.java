package org.lxj.security.caps.internal;

import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.launch.CapabilitySets;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.launch.ProcessSpec;
import org.lxj.spi.security.SecurityContributor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code caps} security backend: {@code lxc.cap.drop} / {@code lxc.cap.keep} become the plan's five
 * capability sets ({@link CapabilityPolicy}) and {@code lxc.no_new_privs = 1} sets the plan's
 * {@code no_new_privs} flag. It runs at {@link LaunchContributor#ORDER_SECURITY}, after the process is
 * known, because a non-root init keeps no permitted capabilities. The launcher applies the sets in the
 * kernel's order: bounding drop, uid change, {@code capset}, ambient, then {@code no_new_privs}.
 * <p>
 * Contributing is idempotent (every setter it calls replaces), so core may reach it both as a security
 * contributor and as a plain launch contributor.
 */
@Component(service = {SecurityContributor.class, LaunchContributor.class},
        property = Backend.TYPE_PROPERTY + "=" + CapsContributor.TYPE)
public final class CapsContributor implements SecurityContributor {

    static final String TYPE = "caps";
    static final String NO_NEW_PRIVS = "lxc.no_new_privs";
    private static final Logger LOG = LoggerFactory.getLogger(CapsContributor.class);

    private final int lastCap;
    private final long hostBounding;

    @Activate
    public CapsContributor() {
        this(LastCapability.read(LastCapability.PROC_FILE), HostBounding.read(HostBounding.PROC_FILE));
    }

    CapsContributor(int lastCap) {
        this(lastCap, -1L);
    }

    /** {@code hostBounding}: the runtime's own bounding set, the most any container can be granted. */
    CapsContributor(int lastCap, long hostBounding) {
        this.lastCap = lastCap;
        this.hostBounding = hostBounding;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return Detection.available("capabilities 0 to " + lastCap + " (/proc/sys/kernel/cap_last_cap)");
    }

    @Override
    public boolean supports(ContainerConfig config) {
        return CapabilityPolicy.isSet(config, CapabilityPolicy.DROP)
                || CapabilityPolicy.isSet(config, CapabilityPolicy.KEEP)
                || CapabilityPolicy.isSet(config, NO_NEW_PRIVS);
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ContainerConfig config = context.config();
        long uid = plan.processSpec().map(ProcessSpec::uid).orElse(0L);
        Optional<CapabilitySets> sets = CapabilityPolicy.compute(config, lastCap, uid).map(this::withinHost);
        sets.ifPresent(s -> {
            plan.capabilities(s);
            LOG.debug("{}: capabilities: bounding {}, permitted {}, effective {} (uid {})", context.name(),
                    CapabilitySets.hex(s.bounding()), CapabilitySets.hex(s.permitted()),
                    CapabilitySets.hex(s.effective()), uid);
        });
        Optional<String> nnp = config.value(NO_NEW_PRIVS).filter(v -> !v.isBlank());
        if (nnp.isPresent()) {
            boolean on = noNewPrivs(config, nnp.get());
            plan.noNewPrivileges(on);
            LOG.debug("{}: no_new_privs {}", context.name(), on ? "set" : "not set");
        }
    }

    private CapabilitySets withinHost(CapabilitySets s) {
        return new CapabilitySets(s.bounding() & hostBounding, s.permitted() & hostBounding,
                s.effective() & hostBounding, s.inheritable() & hostBounding, s.ambient() & hostBounding);
    }

    private static boolean noNewPrivs(ContainerConfig config, String value) {
        return switch (value.trim()) {
            case "1" -> true;
            case "0" -> false;
            default -> throw ConfigErrors.invalid(config, NO_NEW_PRIVS, value,
                    "Invalid " + NO_NEW_PRIVS + " \"" + value + "\": expected 0 or 1");
        };
    }
}
