package org.lxj.launcher;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a launch needs beyond the SPI plan.
 *
 * @param name        the container's name, used in messages
 * @param builtinInit run the plan's process as PID 2 under the launcher's minimal init, which reaps,
 *                    forwards signals and exits with the command's status ({@code lxc-execute})
 */
public record LaunchOptions(String name, boolean builtinInit) {
    /** Checks the name. */
    public LaunchOptions {
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
