package org.lxj.linux.internal;

import java.nio.file.Path;

/**
 * One line of {@code /proc/self/mountinfo}.
 *
 * @param id           mount id
 * @param parentId     parent mount id
 * @param device       {@code major:minor}
 * @param root         the path inside the filesystem that is mounted
 * @param mountPoint   where it is mounted, unescaped
 * @param fsType       filesystem type ({@code cgroup}, {@code cgroup2}, {@code tmpfs})
 * @param source       mount source, unescaped
 * @param superOptions per-superblock options ({@code rw,cpu,cpuacct})
 */
record MountEntry(int id, int parentId, String device, String root, Path mountPoint, String fsType, String source,
        String superOptions) {
}
