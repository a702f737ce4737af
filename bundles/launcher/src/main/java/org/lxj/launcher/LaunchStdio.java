package org.lxj.launcher;

/**
 * The container command's standard input, output and error: file descriptors of this JVM process that
 * {@code posix_spawn} duplicates onto the launcher's 0, 1 and 2. The container's init (or attached
 * process) gets them; the monitor replaces its own copies with {@code /dev/null} once init has them, so
 * the monitor keeps no pipe of the caller open. The caller keeps ownership of its descriptors and may
 * close them after {@link Launcher#prepare} or {@link Launcher#attach} returns.
 *
 * @param in  the descriptor for stdin, or -1 for {@code /dev/null}
 * @param out the descriptor for stdout, or -1 for {@code /dev/null}
 * @param err the descriptor for stderr, or -1 for {@code /dev/null}
 */
public record LaunchStdio(int in, int out, int err) {
    /** The JVM's own 0, 1 and 2. */
    public static final LaunchStdio INHERIT = new LaunchStdio(0, 1, 2);
    /** {@code /dev/null} for all three. */
    public static final LaunchStdio NULL = new LaunchStdio(-1, -1, -1);

    /** Checks that each descriptor is -1 or non-negative. */
    public LaunchStdio {
        if (in < -1 || out < -1 || err < -1) {
            throw new IllegalArgumentException("Invalid stdio descriptors " + in + "/" + out + "/" + err
                    + ": each must be -1 (/dev/null) or a descriptor");
        }
    }
}
