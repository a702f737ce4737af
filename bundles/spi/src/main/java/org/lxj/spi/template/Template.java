package org.lxj.spi.template;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A template ({@code lxc-create -t NAME}): fills a new rootfs and adds its keys to the config.
 * {@link #type()} is the name users give to {@code -t}. A template that fails must throw; core then
 * removes the half-made container.
 */
@ConsumerType
public interface Template extends Backend {

    /**
     * Fills the rootfs and appends configuration.
     *
     * @throws BackendException naming what failed
     */
    void install(TemplateRequest request);
}
