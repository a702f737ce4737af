package org.lxj.spi.launch;

import org.lxj.spi.backend.ContainerContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Something that adds steps to a container's launch plan: the namespace policy, the cgroup placement, the
 * mount and device setup, the capability and LSM policies, the seccomp and Landlock backends.
 * <p>
 * Core calls every selected contributor once per start (and per attach or exec), in ascending
 * {@link #order()}, ties broken by {@code service.ranking} and then by service id, with one shared builder.
 * A contributor:
 * <ul>
 * <li>reads only the {@link ContainerContext} and what earlier contributors put in the builder;</li>
 * <li>does not change the host (anything host-side belongs in its backend's prepare verb, called before);</li>
 * <li>is deterministic: the same context and builder state give the same steps;</li>
 * <li>fails with a typed error: {@link org.lxj.api.ConfigException} for a bad value with its file and line,
 * {@link org.lxj.api.UnsupportedFeatureException} for a key it cannot honour on this host,
 * {@link org.lxj.spi.backend.BackendException} for anything else. It never leaves a half-made step
 * behind, because the builder only takes complete records.</li>
 * </ul>
 * The order constants leave gaps so third-party contributors can slot in between.
 */
@ConsumerType
public interface LaunchContributor {

    /** Namespaces, id maps and joins. */
    int ORDER_NAMESPACE = 100;
    /** The cgroup placement of init. */
    int ORDER_CGROUP = 200;
    /** The rootfs and its options. */
    int ORDER_ROOTFS = 300;
    /** {@code lxc.mount.auto}, {@code lxc.mount.entry}, {@code lxc.mount.fstab}. */
    int ORDER_MOUNT = 400;
    /** {@code /dev}: autodev nodes, ptys, consoles, symlinks. */
    int ORDER_DEVICE = 500;
    /** Hostname, sysctls, rlimits, hooks, the process and its terminals. */
    int ORDER_PROCESS = 600;
    /** Masked and read-only paths. */
    int ORDER_MASK = 700;
    /** Capabilities, securebits and no_new_privs. */
    int ORDER_SECURITY = 800;
    /** LSM labels. */
    int ORDER_LSM = 850;
    /** Landlock, which may depend on no_new_privs. */
    int ORDER_LANDLOCK = 900;
    /** Seccomp, last: its compiler reads the final capability sets. */
    int ORDER_SECCOMP = 950;

    /** Where in the sequence this contributor runs; one of the {@code ORDER_*} constants or between them. */
    int order();

    /**
     * Adds this contributor's steps for {@code context} to {@code plan}.
     *
     * @throws org.lxj.api.LxjException a typed subtype naming the key, value or object that is at fault
     */
    void contribute(ContainerContext context, LaunchPlan.Builder plan);
}
