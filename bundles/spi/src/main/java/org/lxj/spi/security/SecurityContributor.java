package org.lxj.spi.security;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.launch.LaunchContributor;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A security policy that turns its configuration keys into launch plan steps: the {@code caps} backend
 * ({@code lxc.cap.drop}, {@code lxc.cap.keep}, {@code lxc.no_new_privs}, securebits), the {@code landlock}
 * backend ({@code lxj.landlock.*}), and others a vendor adds.
 * <p>
 * Unlike storage, where one backend is chosen, every installed security contributor whose
 * {@link #detect} is available and whose {@link #supports} is true contributes, each for its own keys, in
 * {@link #order()} (default {@link LaunchContributor#ORDER_SECURITY}). A configuration that asks for a
 * policy no installed contributor supports fails with {@link org.lxj.api.UnsupportedFeatureException}; one
 * that asks nothing changes nothing (the container keeps root's full capability set, as in LXC).
 * <p>
 * Capability sets go into the plan as kernel masks ({@link Capability#mask}); the sets must satisfy the
 * kernel's subset rules ({@link org.lxj.spi.launch.CapabilitySets}), and inheritable and ambient stay empty
 * unless the configuration asks for them.
 */
@ConsumerType
public interface SecurityContributor extends Backend, LaunchContributor {

    /** Whether {@code config} uses any key this contributor handles. */
    boolean supports(ContainerConfig config);

    @Override
    default int order() {
        return ORDER_SECURITY;
    }
}
