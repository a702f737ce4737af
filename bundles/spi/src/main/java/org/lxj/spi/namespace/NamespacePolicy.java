package org.lxj.spi.namespace;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides a container's namespaces from its configuration ({@code lxc.namespace.clone},
 * {@code lxc.namespace.keep}, {@code lxc.namespace.share.*}, {@code lxc.idmap}, {@code lxc.net.N.type = none})
 * and the host ({@link org.lxj.spi.host.HostFacts#userNamespaces()}). Core asks the selected policy once
 * per start and applies the result with {@link NamespaceSelection#applyTo} at
 * {@link org.lxj.spi.launch.LaunchContributor#ORDER_NAMESPACE}; attach and exec do not ask it, they join the
 * running container's namespaces.
 * <p>
 * A policy never joins a namespace by itself: share targets go through the {@link ShareResolver} so that a
 * container name means the same thing everywhere.
 */
@ConsumerType
public interface NamespacePolicy extends Backend {

    /**
     * The namespaces for {@code context}.
     *
     * @throws org.lxj.api.ConfigException          naming the key when a value is invalid (an unknown namespace
     *                                              name, a malformed id map)
     * @throws org.lxj.api.UnsupportedFeatureException when the configuration needs a namespace the host lacks
     */
    NamespaceSelection select(ContainerContext context, ShareResolver shares);
}
