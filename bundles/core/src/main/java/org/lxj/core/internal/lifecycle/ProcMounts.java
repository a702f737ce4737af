package org.lxj.core.internal.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.lxj.api.LxjException;
import org.lxj.linux.Errno;
import org.lxj.linux.MountFlags;
import org.lxj.linux.MountTable;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;

/** {@link HostMounts} from this process's {@code /proc/self/mountinfo}, detaching through {@code umount2}. */
public final class ProcMounts implements HostMounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private final Syscalls sys;

    public ProcMounts(Syscalls sys) {
        this.sys = sys;
    }

    @Override
    public boolean isMountPoint(Path path) {
        Path p = canonical(path);
        return mountPoints().stream().anyMatch(p::equals);
    }

    @Override
    public List<Path> detachBelow(Path dir) {
        Path d = canonical(dir);
        List<Path> below = new ArrayList<>(mountPoints().stream().filter(m -> m.startsWith(d)).toList());
        below.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        for (Path m : below) {
            try {
                sys.umount2(m.toString(), MountFlags.MNT_DETACH);
            } catch (SyscallException e) {
                if (!e.is(Errno.EINVAL) && !e.is(Errno.ENOENT)) {
                    throw new LxjException("Failed to detach the mount on \"" + m + "\": " + e.getMessage(), e);
                }
            }
        }
        return List.copyOf(below);
    }

    private static List<Path> mountPoints() {
        try (InputStream in = Files.newInputStream(MOUNTINFO)) {
            return MountTable.mountPoints(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new LxjException("Failed to read \"" + MOUNTINFO + "\": " + e, e);
        }
    }

    private static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }
}
