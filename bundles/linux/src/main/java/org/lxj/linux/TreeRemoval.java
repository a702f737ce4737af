package org.lxj.linux;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link FileTrees#removeOnOneDevice(Path)} did.
 *
 * @param removed     how many entries (files, links, directories) it removed
 * @param mountpoints entries on another device that it left in place, with the directories above them
 */
public record TreeRemoval(long removed, List<Path> mountpoints) {
    public TreeRemoval {
        mountpoints = List.copyOf(mountpoints);
    }

    /** Whether the whole tree is gone. */
    public boolean complete() {
        return mountpoints.isEmpty();
    }
}
