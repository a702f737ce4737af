package org.lxj.linux.internal;

import java.nio.file.Path;
import java.util.List;

/** The exported face of {@link MountInfo}: only the mount points leave this bundle. */
public final class MountPoints {

    private MountPoints() {
    }

    public static List<Path> of(String mountinfo) {
        return MountInfo.parse(mountinfo).stream().map(MountEntry::mountPoint).toList();
    }
}
