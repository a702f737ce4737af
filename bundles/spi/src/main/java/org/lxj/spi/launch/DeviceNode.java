package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A device node the container gets under its {@code /dev} ({@code lxc.autodev}): made with {@code mknod}
 * when the container may, or bind-mounted from the host's node (verified by type, major and minor before the
 * bind) when it may not, as in a user namespace.
 *
 * @param path  the node's path inside the container, e.g. {@code /dev/null}
 * @param type  character, block or fifo
 * @param major the major number (0 for a fifo)
 * @param minor the minor number (0 for a fifo)
 * @param mode  permission bits, e.g. {@code 0666}
 * @param uid   owner inside the container
 * @param gid   group inside the container
 * @param bindFromHost bind the host's node at the same path instead of calling {@code mknod}
 */
public record DeviceNode(Path path, Type type, int major, int minor, int mode, long uid, long gid,
        boolean bindFromHost) {

    /** Node types. */
    public enum Type {
        CHAR('c'), BLOCK('b'), FIFO('p');

        private final char letter;

        Type(char letter) {
            this.letter = letter;
        }

        /** {@code c}, {@code b} or {@code p}, as {@code mknod(1)} and device cgroup rules spell it. */
        public char letter() {
            return letter;
        }
    }

    /** The largest major number the kernel's {@code dev_t} encodes. */
    public static final int MAX_MAJOR = 0xFFF;
    /** The largest minor number the kernel's {@code dev_t} encodes. */
    public static final int MAX_MINOR = 0xF_FFFF;

    public DeviceNode {
        PlanChecks.absolute("device path", path);
        Objects.requireNonNull(type, "type");
        if (major < 0 || major > MAX_MAJOR) {
            throw new PlanValidationException("device major of " + path, Integer.toString(major),
                    "must be between 0 and " + MAX_MAJOR);
        }
        if (minor < 0 || minor > MAX_MINOR) {
            throw new PlanValidationException("device minor of " + path, Integer.toString(minor),
                    "must be between 0 and " + MAX_MINOR);
        }
        if ((mode & ~07777) != 0) {
            throw new PlanValidationException("device mode of " + path, Integer.toOctalString(mode),
                    "must be permission bits only (at most 07777)");
        }
        PlanChecks.id("device uid", uid);
        PlanChecks.id("device gid", gid);
    }

    /** A character device owned by root, created with {@code mknod}. */
    public static DeviceNode character(Path path, int major, int minor, int mode) {
        return new DeviceNode(path, Type.CHAR, major, minor, mode, 0, 0, false);
    }
}
