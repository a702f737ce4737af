package org.lxj.linux.internal;

import java.util.Locale;
import org.lxj.linux.Syscalls;
import org.lxj.spi.host.HostFacts;
import org.osgi.annotation.bundle.Capability;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the host once and publishes the {@link HostFacts} record as a service. The record is final,
 * so this component registers it rather than being it.
 */
@Component(immediate = true)
@Capability(namespace = "osgi.service", attribute = "objectClass:List<String>=\"org.lxj.spi.host.HostFacts\"",
        uses = HostFacts.class)
public final class HostFactsComponent {
    private static final Logger LOG = LoggerFactory.getLogger(HostFactsComponent.class);

    private final ServiceRegistration<HostFacts> registration;

    @Activate
    public HostFactsComponent(@Reference Syscalls sys, BundleContext context) {
        HostFacts facts = new HostProbe(HostPaths.live(), sys).probe();
        LOG.info("Host: kernel {} {}, cgroups {}, LSMs {}, Landlock ABI {}, user namespaces {}",
                facts.kernelRelease(), facts.architecture(), facts.cgroupLayout().name().toLowerCase(Locale.ROOT),
                String.join(",", facts.lsms()), facts.landlockAbi(), facts.userNamespaces() ? "enabled" : "disabled");
        this.registration = context.registerService(HostFacts.class, facts, null);
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
