package org.lxj.spi.lsm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.config.ContainerConfig;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.launch.LsmLabel;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A Linux Security Module backend ({@code apparmor}, {@code selinux}), a flat table: a probe, verbs and no
 * state of its own between calls.
 * <ul>
 * <li>{@link #detect} is available only when the LSM is enabled in the running kernel (it is listed in
 * {@link org.lxj.spi.host.HostFacts#lsms()} and its securityfs is present).</li>
 * <li>{@link #profileFor} reads the container's keys ({@code lxc.apparmor.profile}, {@code lxc.selinux.context})
 * and resolves them: {@code generated} becomes this container's generated profile, {@code unchanged}
 * becomes no profile.</li>
 * <li>{@link #prepare} does the host-side work before the launch (load a generated profile) and
 * {@link #cleanup} undoes it after a failed start; {@link #release} after the stop, from the run directory
 * alone.</li>
 * <li>{@link #labels} gives the plan's attribute writes ({@code exec} label, SELinux keyring label).</li>
 * </ul>
 * Core selects one LSM backend per container: explicit keys first (an AppArmor key selects
 * {@code apparmor}), else by {@code service.ranking} among the available ones. The <b>nop backend</b>
 * ({@code type = "nop"}, ranking {@link Integer#MIN_VALUE}, always available, {@link #profileFor} always
 * empty) is what a host without AppArmor or SELinux gets, so "no LSM" is an explicit, logged choice. A
 * configuration that names a profile while only the nop backend is available fails with
 * {@link org.lxj.api.UnsupportedFeatureException} unless the profile is optional.
 */
@ConsumerType
public interface LsmBackend extends Backend {

    /**
     * Whether {@code config} names this LSM explicitly ({@code lxc.apparmor.*}, {@code lxc.selinux.*}), so core
     * selects this backend for it even when it is not available here; {@link #profileFor} then says why it
     * cannot serve.
     *
     * @since 1.1
     */
    default boolean requested(ContainerConfig config) {
        return false;
    }

    /**
     * The profile for {@code context}, or empty when its processes stay as they are.
     *
     * @throws org.lxj.api.ConfigException naming the key when a value is invalid
     */
    Optional<LsmProfile> profileFor(ContainerContext context);

    /**
     * Prepares the host for {@code profile}: loads a generated profile into the kernel. Does nothing for a
     * profile that is not generated. Idempotent.
     *
     * @throws org.lxj.spi.backend.BackendException naming the profile and the failure (the parser's message)
     */
    void prepare(ContainerContext context, LsmProfile profile);

    /** The attribute writes the launcher performs before the exec for {@code profile}. */
    List<LsmLabel> labels(LsmProfile profile);

    /**
     * The attribute writes for {@code profile} in {@code context}, for LSMs whose labels depend on more keys
     * than the profile's ({@code lxc.selinux.context.keyring}). Defaults to {@link #labels(LsmProfile)}.
     *
     * @since 1.1
     */
    default List<LsmLabel> labels(ContainerContext context, LsmProfile profile) {
        return labels(profile);
    }

    /** The mount option that labels filesystems the launcher mounts ({@code context="..."}), if the LSM uses one. */
    default Optional<String> mountOption(LsmProfile profile) {
        return Optional.empty();
    }

    /** Undoes {@link #prepare}: unloads a generated profile. A profile already gone is not an error. */
    void cleanup(ContainerContext context, LsmProfile profile);

    /**
     * Undoes what {@link #prepare} left on the host for a container that has stopped (normally, killed, or found
     * with its monitor dead by a later runtime), when only its run directory is known: unloads a generated
     * profile recorded there. Core calls it only for a container whose start recorded this backend's
     * {@link #type()} as the one that prepared it. A profile already gone is not an error; failures are logged.
     *
     * @param name   the container's name, for messages
     * @param runDir the container's run directory, still present
     * @since 1.2
     */
    default void release(String name, Path runDir) {
    }
}
