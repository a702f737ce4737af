package org.lxj.launcher;

import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/** Starts containers through the native launcher: spawn, hand over the plan, wait until init is ready. */
@ProviderType
public interface Launcher {

    /**
     * Spawns the launcher, sends the plan and waits until the container's init has carried out every
     * step up to "wait for START". On failure nothing stays behind: no process, no mount, and the run
     * directory is removed if this call created it.
     *
     * @param plan   the plan
     * @param runDir the container's run directory ({@code monitor.sock} and {@code exit} go there)
     * @return the prepared container, waiting for {@link PreparedLaunch#start()}
     * @throws LaunchException with the failed step, errno and message
     */
    PreparedLaunch prepare(LaunchPlan plan, Path runDir) throws LaunchException;
}
