package org.lxj.launcher;

import java.nio.file.Path;

import org.lxj.spi.launch.LaunchPlan;
import org.osgi.annotation.versioning.ProviderType;

/** Starts containers and attaches to them through the native launcher; no Java runs between clone and exec. */
@ProviderType
public interface Launcher {

    /**
     * Same as {@link #prepare(LaunchPlan, Path, LaunchStdio, LaunchOptions)} with
     * {@link LaunchOptions#of(Path)}.
     *
     * @param plan   the plan core built from the contributors
     * @param runDir the container's run directory ({@code monitor.sock} and {@code exit} go there)
     * @param stdio  the descriptors the container's init gets as 0, 1 and 2
     * @return the prepared container, waiting for {@link PreparedLaunch#start()}
     * @throws LaunchException with the failed step, errno and message
     */
    default PreparedLaunch prepare(LaunchPlan plan, Path runDir, LaunchStdio stdio) throws LaunchException {
        return prepare(plan, runDir, stdio, LaunchOptions.of(runDir));
    }

    /**
     * Spawns the launcher, sends the plan and waits until the container's init has carried out every step
     * up to "wait for START". A step of the plan this launcher cannot carry out fails the call (step
     * {@code plan}) naming it; nothing is dropped silently. On failure nothing stays behind: no process, no
     * mount, and the run directory is removed if this call created it.
     *
     * @param plan    the plan core built from the contributors
     * @param runDir  the container's run directory
     * @param stdio   the descriptors the container's init gets as 0, 1 and 2
     * @param options the name and whether the built-in init runs the process
     * @return the prepared container, waiting for {@link PreparedLaunch#start()}
     * @throws LaunchException with the failed step, errno and message
     */
    PreparedLaunch prepare(LaunchPlan plan, Path runDir, LaunchStdio stdio, LaunchOptions options)
            throws LaunchException;

    /**
     * Told the pids of a container as soon as its init is cloned, while init still carries out its steps.
     *
     * @since 1.9
     */
    @FunctionalInterface
    interface Cloned {
        /**
         * Runs on the thread that called {@link #prepare(LaunchPlan, Path, LaunchStdio, LaunchOptions, Cloned)}.
         *
         * @param monitorPid the monitor's host pid
         * @param initPid    init's host pid
         * @return true when the caller has nothing left to do before START: init then runs its process as soon as
         *         its steps are done, without waiting for {@link PreparedLaunch#start()}, which only waits for the
         *         exec; a launcher may ignore it and wait for {@code start()} as usual
         */
        boolean cloned(int monitorPid, int initPid);
    }

    /**
     * As {@link #prepare(LaunchPlan, Path, LaunchStdio, LaunchOptions)}, calling {@code cloned} once init exists,
     * while init carries out its steps: a caller records the container there instead of after this call, off the
     * start's path. When {@code cloned} throws, the launch is aborted as on any failure (nothing stays behind) and
     * the exception propagates. When init is never cloned, {@code cloned} is not called. The default calls
     * {@code cloned} after the prepare, which gains nothing but keeps the contract.
     *
     * @param cloned called once with the monitor's and init's pids
     * @return the prepared container, waiting for {@link PreparedLaunch#start()}
     * @throws LaunchException with the failed step, errno and message
     * @since 1.9
     */
    default PreparedLaunch prepare(LaunchPlan plan, Path runDir, LaunchStdio stdio, LaunchOptions options,
            Cloned cloned) throws LaunchException {
        PreparedLaunch p = prepare(plan, runDir, stdio, options);
        try {
            cloned.cloned(p.monitorPid(), p.initPid());     // no early start here: start() releases init
        } catch (RuntimeException | Error e) {
            p.abort();
            throw e;
        }
        return p;
    }

    /**
     * Runs a command inside a running container ({@code lxc-attach}): the launcher checks that
     * {@link AttachPlan#initPid()} still is the container's init (by its start time), becomes non-dumpable,
     * joins the requested namespaces (user first) and cgroup, and forks the command so that it is in the
     * container's pid namespace. Returns once the command was executed.
     *
     * @param plan  what to run and where
     * @param stdio the descriptors the command gets as 0, 1 and 2
     * @return the running command
     * @throws LaunchException with the failed step (e.g. {@code attach-join}), errno and message
     */
    AttachedProcess attach(AttachPlan plan, LaunchStdio stdio) throws LaunchException;

    /**
     * Readies in the background what the first start would otherwise do on its path: the binary installed and
     * verified, its sealed image made, a spare launcher spawned where this launcher keeps one. For a runtime that
     * expects starts (the daemon), called once, off any start's path; failures are left for that start to report.
     * The default does nothing.
     *
     * @since 1.8
     */
    default void warmUp() {
    }
}
