package org.lxj.spi.cgroup;

import java.util.List;
import java.util.Set;

import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.launch.CgroupPlacement;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A cgroup backend ({@code v1} for legacy and hybrid hosts, {@code v2} for unified ones), a flat table like
 * the storage backends: a probe ({@link #detect}, {@link #controllers}), verbs and capability flags.
 * <p>
 * Lifecycle: {@link #create} before the launch (payload and monitor cgroups), {@link #apply} the settings
 * into the payload cgroup before init runs, {@link #placement} for the launch plan, then while the
 * container runs {@link #attach}, {@link #freeze}, {@link #thaw}, {@link #kill}, {@link #stats},
 * {@link #pids}; {@link #destroy} after it stopped. Every verb names the cgroup file and the errno in its
 * {@link BackendException}, as in {@code Failed to write "512M" to "memory.max" (lxc.cgroup2.memory.max): EINVAL}.
 * Unit tests run a backend against a fake hierarchy in a temporary directory: a backend takes its mount
 * points from {@link org.lxj.spi.host.HostFacts#cgroups()}, never from constants.
 */
@ConsumerType
public interface CgroupBackend extends Backend {

    /** What this backend can do beyond create, apply, attach and destroy. */
    Set<CgroupCapability> capabilities();

    /** Controllers this backend can manage on the host of its last {@link #detect}, sorted by name. */
    List<String> controllers();

    /**
     * Creates the payload and monitor cgroups in every hierarchy this backend manages, enabling the requested
     * controllers down the path (v2 {@code cgroup.subtree_control}). A cgroup that already exists is an
     * error ({@link org.lxj.api.ContainerBusyException} when it still holds processes) so two starts never
     * share one; a failed create removes what it made.
     */
    CgroupHandle create(CgroupRequest request);

    /**
     * Creates the payload cgroups only, as {@link #create} does, for a start that creates the monitor's later with
     * {@link #createMonitor}, off its path: the monitor moves in after init runs. The handle names the monitor's
     * directories all the same, and {@link #destroy} removes whichever of them exist. The default creates both.
     *
     * @since 1.2
     */
    default CgroupHandle createPayload(CgroupRequest request) {
        return create(request);
    }

    /**
     * Creates the monitor cgroups of a handle from {@link #createPayload}, before {@link #attachMonitor}. One that
     * exists empty (left by a crash) is kept; one that holds processes is an error
     * ({@link org.lxj.api.ContainerBusyException}). A failure removes what this call made. The default does nothing
     * (the default {@link #createPayload} made them).
     *
     * @since 1.2
     */
    default void createMonitor(CgroupHandle handle) {
    }

    /**
     * Recreates the handle of cgroups an earlier run created, from the paths stored in {@code state.json}.
     * Creates nothing; a payload that no longer exists is not an error (the handle then refers to nothing and
     * {@link #destroy} is a no-op).
     */
    CgroupHandle reopen(String containerName, String payload, String monitor);

    /**
     * Writes the settings of this backend's version into the payload cgroup, in order, before init runs.
     * Settings of the other version are skipped with a warning. Device rules are applied as this backend
     * does them (v1 files, v2 a device BPF program).
     *
     * @throws BackendException naming the file, the value, the source key and the errno of the first failure
     */
    void apply(CgroupHandle handle, List<CgroupSetting> settings);

    /** How the launcher places init into the payload cgroup (clone3 directory, or cgroup.procs files). */
    CgroupPlacement placement(CgroupHandle handle);

    /** Moves process {@code pid} into the payload cgroup ({@code lxc-attach}, or init where clone3 is missing). */
    void attach(CgroupHandle handle, int pid);

    /**
     * Moves the container's monitor process {@code pid} into the monitor cgroup ({@code lxc.monitor.<name>}), so
     * that it is accounted apart from the payload and from the runtime. The default does nothing.
     *
     * @since 1.1
     */
    default void attachMonitor(CgroupHandle handle, int pid) {
    }

    /**
     * Freezes every process of the payload cgroup and returns once the kernel reports it frozen.
     *
     * @throws org.lxj.api.UnsupportedFeatureException when the backend lacks {@link CgroupCapability#FREEZE}
     */
    void freeze(CgroupHandle handle);

    /** Thaws the payload cgroup and returns once it runs again. */
    void thaw(CgroupHandle handle);

    /** Whether the payload cgroup is frozen now. */
    boolean frozen(CgroupHandle handle);

    /**
     * Sends {@code signal} to every process in the payload cgroup, including ones that appear while it runs
     * (the backend freezes or uses {@code cgroup.kill} where it can).
     */
    void kill(CgroupHandle handle, int signal);

    /** The pids in the payload cgroup and its children, sorted. */
    List<Integer> pids(CgroupHandle handle);

    /** Resource use of the payload cgroup; values of missing controllers are empty. */
    CgroupStats stats(CgroupHandle handle);

    /**
     * The content of one file of the payload cgroup ({@code lxc-cgroup NAME memory.limit_in_bytes}), as the
     * kernel gives it, trailing newline included.
     *
     * @param file a file name such as {@code cpuset.cpus}; its part before the first dot is the controller
     * @throws org.lxj.api.UnsupportedFeatureException when this backend does not manage the file's controller
     * @throws BackendException                        naming the file and the errno when it cannot be read
     * @since 1.1
     */
    default String read(CgroupHandle handle, String file) {
        throw new org.lxj.api.UnsupportedFeatureException("The cgroup backend \"" + type()
                + "\" cannot read cgroup files");
    }

    /**
     * Writes one file of the payload cgroup while the container runs ({@code lxc-cgroup NAME FILE VALUE}).
     *
     * @throws org.lxj.api.UnsupportedFeatureException when this backend does not manage the file's controller
     * @throws BackendException                        naming the file, the value and the errno when the kernel refuses
     * @since 1.1
     */
    default void write(CgroupHandle handle, String file, String value) {
        throw new org.lxj.api.UnsupportedFeatureException("The cgroup backend \"" + type()
                + "\" cannot write cgroup files");
    }

    /**
     * Removes the payload and monitor cgroups, children first. Cgroups that are already gone are not an error.
     *
     * @throws org.lxj.api.ContainerBusyException when processes are still in the payload cgroup
     */
    void destroy(CgroupHandle handle);
}
