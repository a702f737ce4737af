package org.lxj.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.lxj.api.config.ConfigUpdate;
import org.lxj.api.config.ContainerConfig;
import org.lxj.api.config.SystemConfig;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The runtime: defines, lists and removes containers. One service, registered by the core bundle.
 * <p>
 * Every method that names a container takes the lxcpath it lives in; callers pass
 * {@link SystemConfig#lxcpath()} when the user gave no {@code -P}. Methods throw the unchecked
 * {@link LxjException} subtypes of this package, never a bare runtime exception for a user's mistake.
 */
@ProviderType
public interface ContainerRuntime {

    /** The system configuration ({@code conf/lxj.conf}), as loaded at activation. */
    SystemConfig systemConfig();

    /** The containers defined in {@code lxcpath}, sorted by name; none for a missing directory. */
    List<Container> list(Path lxcpath);

    /** The container {@code name} in {@code lxcpath}, if it is defined. */
    Optional<Container> find(Path lxcpath, String name);

    /**
     * The container {@code name} in {@code lxcpath}.
     *
     * @throws ContainerNotFoundException when it is not defined
     */
    default Container get(Path lxcpath, String name) {
        return find(lxcpath, name).orElseThrow(() -> new ContainerNotFoundException(name, lxcpath));
    }

    /**
     * Creates a container atomically: either it exists afterwards with its config and rootfs, or nothing
     * of it is left on disk.
     *
     * @throws ContainerExistsException when the name is taken (or being created concurrently)
     * @throws BackendNotFoundException when a requested storage backend is not installed
     * @throws ConfigException          when the {@code -f} file is invalid
     */
    Container create(CreateRequest request);

    /**
     * Removes a container completely: rootfs through its storage backend, then its directory.
     *
     * @throws ContainerNotFoundException when it is not defined
     * @throws ContainerBusyException     when it runs and {@code force} is not set, or has snapshots or clones
     */
    void destroy(Path lxcpath, String name, DestroyOptions options);

    /**
     * Parses a container configuration file with everything it includes.
     *
     * @throws ConfigException naming file, line, key and value of the first invalid entry
     */
    ContainerConfig parseConfig(Path file);

    /**
     * Rewrites the pre-2.1 keys of a container configuration file to their current names
     * ({@code lxc-update-config -c FILE}), keeping the original as {@code <file>.backup}.
     *
     * @throws LxjException                when the file cannot be read or written
     * @throws UnsupportedFeatureException when this runtime cannot update configuration files
     * @since 1.1
     */
    ConfigUpdate updateConfig(Path file);

    /**
     * Starts a defined container ({@code lxc-start}): mounts its rootfs, spawns its monitor and init, and
     * returns once init runs the configured command. The monitor outlives this runtime.
     *
     * @throws ContainerNotFoundException when it is not defined
     * @throws ContainerBusyException     when it is already running
     * @throws LxjException               naming the failed step and errno; nothing prepared stays behind
     * @since 1.2
     */
    void start(Path lxcpath, String name, StartOptions options);

    /**
     * Stops a running container ({@code lxc-stop}).
     *
     * @throws ContainerNotRunningException when it is not running (exit status 2, as LXC)
     * @since 1.2
     */
    void stop(Path lxcpath, String name, StopOptions options);

    /**
     * Runs a command as an application container under a minimal init ({@code lxc-execute}) and waits for
     * it, unless {@link ExecuteOptions#daemonize()}.
     *
     * @return the command's exit status (128 + signal when killed); 0 when daemonized
     * @since 1.2
     */
    int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio);

    /**
     * As {@link #execute(Path, String, ExecuteOptions, Stdio)}, and hands {@code exited} the command's exit status as
     * soon as it is known, before the cleanup after it (cgroups, run directory, rootfs); the call returns once the
     * cleanup is done. The cleanup holds the container's lock from before {@code exited} is called, so a caller that
     * answers its client from {@code exited} lets the client go on early while a following start of the container
     * still waits for the cleanup. {@code exited} is called at most once, and not when the command's status is
     * never known (the call then throws or returns as the plain {@code execute} does).
     *
     * @since 1.8
     */
    default int execute(Path lxcpath, String name, ExecuteOptions options, Stdio stdio,
            java.util.function.IntConsumer exited) {
        int status = execute(lxcpath, name, options, stdio);
        exited.accept(status);
        return status;
    }

    /**
     * Runs a command inside a running container's namespaces ({@code lxc-attach}) and waits for it.
     *
     * @return the command's exit status (128 + signal when killed)
     * @throws ContainerNotRunningException when it is not running
     * @since 1.2
     */
    int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio);

    /**
     * Same as {@link #attach(Path, String, AttachOptions, Stdio)} with the command on a new pty of the container
     * ({@code lxc-attach} when a standard fd of the caller is a terminal). A runtime without pty support runs it
     * without one.
     *
     * @since 1.6
     */
    default int attach(Path lxcpath, String name, AttachOptions options, Stdio stdio, AttachTerminal terminal) {
        return attach(lxcpath, name, options, stdio);
    }

    /**
     * Waits until the container is in one of {@code states} ({@code lxc-wait}).
     *
     * @param timeout how long to wait; negative waits for ever
     * @return whether the state was reached in time
     * @since 1.2
     */
    boolean waitFor(Path lxcpath, String name, java.util.Set<ContainerState> states, java.time.Duration timeout);
    /**
     * Delivers, until the subscription is closed, the events that <em>other</em> runtime processes on this host
     * record for containers of {@code lxcpath} (each one-command {@code ./lxj} run is a process of its own); this
     * runtime's own events reach the {@link org.lxj.api.event.ContainerListener} whiteboard. Together they are what
     * {@code lxc-monitor} prints. The listener is called on a thread of the runtime.
     *
     * @since 1.3
     */
    default org.lxj.api.event.Subscription followJournal(Path lxcpath, org.lxj.api.event.ContainerListener listener) {
        throw new UnsupportedFeatureException("This runtime keeps no event journal");
    }

    /**
     * Runs a command in new namespaces of the host ({@code lxc-unshare}), without a container or a rootfs.
     *
     * @return the command's exit status (128 + signal when killed); 0 once it runs with {@code daemonize}
     * @throws UnsupportedFeatureException for a namespace or option the runtime cannot provide
     * @since 1.3
     */
    default int unshare(UnshareOptions options, Stdio stdio) {
        throw new UnsupportedFeatureException("lxc-unshare is not supported by this runtime");
    }

    /**
     * The resource use of a running container ({@code lxc-info -S}); empty when it is not running or has no
     * cgroups (no cgroup backend is installed).
     *
     * @since 1.4
     */
    default Optional<ContainerStats> stats(Path lxcpath, String name) {
        return Optional.empty();
    }

    /**
     * The addresses and host-side interfaces of a running container ({@code lxc-info} IP and Link lines,
     * {@code lxc-ls -f} IPV4 and IPV6); empty when it is not running.
     *
     * @since 1.5
     */
    default Optional<ContainerNetwork> network(Path lxcpath, String name) {
        return Optional.empty();
    }

    /**
     * Freezes every process of a running container ({@code lxc-freeze}) and returns once the kernel reports them
     * frozen; the state passes through {@link ContainerState#FREEZING} to {@link ContainerState#FROZEN}. Freezing a
     * frozen container changes nothing.
     *
     * @throws ContainerNotRunningException when it is not running
     * @throws UnsupportedFeatureException  when no cgroup backend here can freeze
     * @since 1.5
     */
    default void freeze(Path lxcpath, String name) {
        throw new UnsupportedFeatureException("lxc-freeze is not supported by this runtime");
    }

    /**
     * Thaws a frozen container ({@code lxc-unfreeze}); the state passes through {@link ContainerState#THAWED} to
     * {@link ContainerState#RUNNING}. Unfreezing a container that is not frozen changes nothing.
     *
     * @throws ContainerNotRunningException when it is not running
     * @since 1.5
     */
    default void unfreeze(Path lxcpath, String name) {
        throw new UnsupportedFeatureException("lxc-unfreeze is not supported by this runtime");
    }

    /**
     * The content of one file of a running container's payload cgroup ({@code lxc-cgroup NAME FILE}), as the
     * kernel gives it.
     *
     * @param file a cgroup file name such as {@code memory.limit_in_bytes}
     * @throws ContainerNotRunningException when it is not running
     * @throws UnsupportedFeatureException  when the file's controller is not one of this host's
     * @since 1.5
     */
    default String cgroupGet(Path lxcpath, String name, String file) {
        throw new UnsupportedFeatureException("lxc-cgroup is not supported by this runtime");
    }

    /**
     * Writes one file of a running container's payload cgroup ({@code lxc-cgroup NAME FILE VALUE}).
     *
     * @throws ContainerNotRunningException when it is not running
     * @throws UnsupportedFeatureException  when the file's controller is not one of this host's
     * @throws LxjException                 naming the file, the value and the errno when the kernel refuses
     * @since 1.5
     */
    default void cgroupSet(Path lxcpath, String name, String file, String value) {
        throw new UnsupportedFeatureException("lxc-cgroup is not supported by this runtime");
    }

    /**
     * Takes a snapshot of a stopped container ({@code lxc-snapshot}): {@code snaps/snapN/{config,rootfs,ts}} and
     * {@code comment} when {@code commentFile} is given.
     *
     * @return the new snapshot's name, {@code snapN}
     * @throws ContainerBusyException      when the container runs
     * @throws UnsupportedFeatureException when no installed provider can snapshot its rootfs
     * @since 1.5
     */
    default String snapshot(Path lxcpath, String name, Optional<Path> commentFile) {
        throw new UnsupportedFeatureException("Snapshots are not supported by this runtime");
    }

    /**
     * The snapshots of a container, by name ({@code lxc-snapshot -L}).
     *
     * @since 1.5
     */
    default List<SnapshotInfo> snapshots(Path lxcpath, String name) {
        return List.of();
    }

    /**
     * Restores a snapshot ({@code lxc-snapshot -r}): as a new container {@code newName}, or, when it is empty or
     * the container's own name, over the container itself.
     *
     * @throws ContainerBusyException when the container has dependent clones or runs
     * @since 1.5
     */
    default Container restoreSnapshot(Path lxcpath, String name, String snapshot, Optional<String> newName) {
        throw new UnsupportedFeatureException("Snapshots are not supported by this runtime");
    }

    /**
     * Destroys one snapshot, or every one for {@code ALL} ({@code lxc-snapshot -d}).
     *
     * @since 1.5
     */
    default void destroySnapshot(Path lxcpath, String name, String snapshot) {
        throw new UnsupportedFeatureException("Snapshots are not supported by this runtime");
    }

    /**
     * Copies a stopped container ({@code lxc-copy}): a full copy, or a copy-on-write clone with
     * {@link CopyRequest#snapshot()}.
     *
     * @throws ContainerExistsException when the new name is taken
     * @since 1.5
     */
    default Container copy(CopyRequest request) {
        throw new UnsupportedFeatureException("lxc-copy is not supported by this runtime");
    }

    /**
     * Renames a stopped container ({@code lxc-copy -R}).
     *
     * @since 1.5
     */
    default Container rename(Path lxcpath, String name, String newName) {
        throw new UnsupportedFeatureException("lxc-copy -R is not supported by this runtime");
    }

    /**
     * Connects a viewer to a running container's console ({@code tty} 0), its {@code /dev/ttyN} ({@code tty} N)
     * or the first free tty ({@code tty} -1), with the viewer's window size ({@code 0} rows or columns leave the
     * size as it is), for {@code lxc-console}.
     *
     * @throws ContainerNotRunningException when it is not running
     * @throws ConsoleDeniedException       when no tty is free, the one asked for is taken or does not exist
     * @since 1.6
     */
    default ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns) {
        throw new UnsupportedFeatureException("lxc-console is not supported by this runtime");
    }

    /**
     * As {@link #console(Path, String, int, int, int)}; with {@code replay} a console viewer ({@code tty} 0) first
     * gets what the console's ring buffer holds, then the output that follows, nothing lost or doubled in between
     * ({@code lxc-start -F} shows the console from its first byte). The default ignores {@code replay}.
     *
     * @since 1.7
     */
    default ConsoleSession console(Path lxcpath, String name, int tty, int rows, int columns, boolean replay) {
        return console(lxcpath, name, tty, rows, columns);
    }
}
