package org.lxj.launcher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a launch needs beyond the SPI plan.
 *
 * @param name        the container's name, used in messages
 * @param builtinInit run the plan's process as PID 2 under the launcher's minimal init, which reaps,
 *                    forwards signals and exits with the command's status ({@code lxc-execute})
 * @param pdeathSignal the signal init receives when its monitor dies ({@code lxc.monitor.signal.pdeath});
 *                    0 for none; LXC's default is {@link #SIGKILL} (since 1.3)
 */
public record LaunchOptions(String name, boolean builtinInit, int pdeathSignal) {
    /** The default parent death signal of init, as LXC's. */
    public static final int SIGKILL = 9;

    /**
     * Options with the default parent death signal ({@link #SIGKILL}).
     *
     * @param name        the container's name
     * @param builtinInit whether the built-in init runs the process
     */
    public LaunchOptions(String name, boolean builtinInit) {
        this(name, builtinInit, SIGKILL);
    }

    /** Checks the name and the signal. */
    public LaunchOptions {
        if (pdeathSignal < 0 || pdeathSignal > 64) {
            throw new IllegalArgumentException("Invalid parent death signal " + pdeathSignal + ": expected 0 to 64");
        }
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Invalid container name \"" + name + "\"");
        }
    }

    /**
     * The defaults for a run directory: the name is the directory's last component, no built-in init.
     *
     * @param runDir the run directory
     * @return the options
     */
    public static LaunchOptions of(Path runDir) {
        Path name = runDir.toAbsolutePath().getFileName();
        return new LaunchOptions(name == null ? "container" : name.toString(), false);
    }
}
