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

    /** The mount points, in the table's order (a path mounted over twice appears twice). */
    static List<Path> parse(String mountinfo) {
        List<Path> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 4) {
                out.add(Path.of(unescape(f[4])));
            }
        }
        return out;
    }

    private static List<Path> mountPoints() {
        try (InputStream in = Files.newInputStream(MOUNTINFO)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
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

    /** The kernel writes space, tab, newline and backslash in paths as {@code \ooo}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
