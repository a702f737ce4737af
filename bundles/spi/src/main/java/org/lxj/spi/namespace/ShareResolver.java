package org.lxj.spi.namespace;

import org.lxj.spi.launch.Namespace;
import org.lxj.spi.launch.NamespaceJoin;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Turns an {@code lxc.namespace.share.<ns>} value into a join target. Implemented by core, which knows the
 * running containers; a namespace policy only calls it.
 */
@ProviderType
public interface ShareResolver {

    /**
     * The join for {@code value}: a pid ({@code 1234}), a container name in the same lxcpath ({@code web}), or
     * a container given by its lxcpath and name ({@code /var/lib/lxj/web}).
     *
     * @throws org.lxj.api.ContainerNotFoundException when a named container is not defined
     * @throws org.lxj.spi.backend.BackendException   when it is not running or the pid does not exist
     */
    NamespaceJoin resolve(Namespace namespace, String value);
}
