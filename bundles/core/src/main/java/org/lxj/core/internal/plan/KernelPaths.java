package org.lxj.core.internal.plan;

import java.io.File;
import java.nio.file.Path;

/**
 * Whether the host kernel has one of the fixed {@code /proc} and {@code /sys} paths the plan masks or mounts over.
 *
 * <p>{@code java.io.File} answers with one {@code stat(2)} and no exception. {@code Files.exists} raises and
 * catches a {@code NoSuchFileException} for every missing path, and a plan asks for about 20 paths, of which a
 * typical kernel lacks several (about 0.3 ms per start with the daemon's C1 code). These paths are the kernel's own
 * files and directories, never symlinks, so following a final symlink, as {@code stat(2)} does, changes no answer.
 */
final class KernelPaths {
    private KernelPaths() {
    }

    static boolean exists(Path p) {
        return new File(p.toString()).exists();
    }

    static boolean isDirectory(Path p) {
        return new File(p.toString()).isDirectory();
    }
}
