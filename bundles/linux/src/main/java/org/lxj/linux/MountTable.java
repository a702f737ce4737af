package org.lxj.linux;

import java.nio.file.Path;
import java.util.List;

import org.lxj.linux.internal.MountPoints;

/** The mount table of a process as the kernel writes it in {@code /proc/<pid>/mountinfo} (proc(5)). */
public final class MountTable {

    private MountTable() {
    }

    /**
     * The mount points of a mountinfo text, in the table's order (a path mounted over twice appears twice), with the
     * kernel's octal escapes of space, tab, newline and backslash undone.
     *
     * @throws IllegalArgumentException when a line is not a mountinfo line
     */
    public static List<Path> mountPoints(String mountinfo) {
        return MountPoints.of(mountinfo);
    }
}
