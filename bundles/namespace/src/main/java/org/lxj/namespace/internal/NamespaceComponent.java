package org.lxj.namespace.internal;

import java.nio.file.Path;

import org.lxj.api.UnsupportedFeatureException;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LaunchContributor;
import org.lxj.spi.launch.LaunchPlan;
import org.lxj.spi.namespace.NamespacePolicy;
import org.lxj.spi.namespace.NamespaceSelection;
import org.lxj.spi.namespace.ShareResolver;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The namespace policy LXC has: {@code lxc.namespace.clone}, {@code .keep}, {@code .share.<ns>},
 * {@code lxc.idmap} and {@code lxc.time.offset.*} become the plan's clone set, joins, id maps and time offsets
 * (see {@link NamespaceDecision} for the rules). As a {@link LaunchContributor} it contributes the whole
 * decision, time offsets included, at {@link LaunchContributor#ORDER_NAMESPACE}; {@link #select} answers the
 * same decision without the offsets, which {@link NamespaceSelection} does not carry.
 * <p>
 * Container names in share keys are resolved by core's {@link ShareResolver}; without one, only pids and
 * paths can be shared.
 */
@Component(service = {NamespacePolicy.class, LaunchContributor.class},
        property = Backend.TYPE_PROPERTY + "=" + NamespaceComponent.TYPE)
public final class NamespaceComponent implements NamespacePolicy, LaunchContributor {

    static final String TYPE = "lxc";
    private static final Logger LOG = LoggerFactory.getLogger(NamespaceComponent.class);

    private final KernelNamespaces kernel;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ShareResolver shareResolver;

    @Activate
    public NamespaceComponent() {
        this(KernelNamespaces.probe(Path.of("/proc/self/ns")), null);
    }

    NamespaceComponent(KernelNamespaces kernel, ShareResolver shareResolver) {
        this.kernel = kernel;
        this.shareResolver = shareResolver;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int order() {
        return ORDER_NAMESPACE;
    }

    @Override
    public NamespaceSelection select(ContainerContext context, ShareResolver shares) {
        return decide(context, shares).selection();
    }

    @Override
    public void contribute(ContainerContext context, LaunchPlan.Builder plan) {
        ShareResolver resolver = shareResolver;
        decide(context, resolver != null ? resolver : NamespaceComponent::noResolver).applyTo(plan);
    }

    private NamespaceDecision decide(ContainerContext context, ShareResolver shares) {
        NamespaceDecision d = NamespaceDecision.decide(new ConfigValues(context.config()), context.host(), kernel,
                shares);
        NamespaceSelection s = d.selection();
        LOG.debug("{}: namespaces: create {}, join {}, keep {}, {} id map lines, time offsets {}", context.name(),
                s.create(), s.join(), s.keep(), s.idMaps().size(), d.offsets().map(Object::toString).orElse("none"));
        return d;
    }

    private static org.lxj.spi.launch.NamespaceJoin noResolver(org.lxj.spi.launch.Namespace ns, String value) {
        throw new UnsupportedFeatureException("Failed to share the " + ns.procName() + " namespace of container \""
                + value + "\" (" + ShareTargets.PREFIX + ns.procName() + "): no share resolver is installed");
    }
}
