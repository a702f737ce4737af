package org.lxj.core.internal.layout;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;

import org.lxj.api.LxjException;

/**
 * Where a container's files live, as LXC lays them out:
 * {@code <lxcpath>/<name>/{config,rootfs,snaps,lxc_snapshots,lxc_rdepends,partial}}.
 *
 * @param lxcpath the lxcpath, absolute
 * @param name    a valid container name
 */
public record LxcLayout(Path lxcpath, String name) {

    public static final String CONFIG = "config";
    public static final String ROOTFS = "rootfs";
    public static final String SNAPS = "snaps";
    public static final String LXC_SNAPSHOTS = "lxc_snapshots";
    public static final String LXC_RDEPENDS = "lxc_rdepends";
    public static final String PARTIAL = "partial";

    public LxcLayout {
        Objects.requireNonNull(lxcpath, "lxcpath");
        validateName(name);
        lxcpath = lxcpath.toAbsolutePath().normalize();
    }

    /**
     * Checks a container name as LXC does: not empty, not {@code .} or {@code ..}, no {@code /}. Newlines and
     * NUL are refused too, because {@code lxc_snapshots} and {@code lxc_rdepends} store one name per line.
     *
     * @throws LxjException naming the name and the rule it breaks
     */
    public static String validateName(String name) {
        if (name == null || name.isEmpty()) {
            throw new LxjException("Invalid container name \"\": a name must not be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new LxjException("Invalid container name \"" + name + "\": a name must not be \".\" or \"..\"");
        }
        if (name.indexOf('/') >= 0) {
            throw new LxjException("Invalid container name \"" + name + "\": a name must not contain \"/\"");
        }
        if (name.indexOf('\n') >= 0 || name.indexOf('\0') >= 0) {
            throw new LxjException("Invalid container name \"" + name.replace("\n", "\\n").replace("\0", "\\0")
                    + "\": a name must not contain a newline or NUL");
        }
        return name;
    }

    public Path dir() {
        return lxcpath.resolve(name);
    }

    public Path config() {
        return dir().resolve(CONFIG);
    }

    public Path rootfs() {
        return dir().resolve(ROOTFS);
    }

    public Path snaps() {
        return dir().resolve(SNAPS);
    }

    public Path lxcSnapshots() {
        return dir().resolve(LXC_SNAPSHOTS);
    }

    public Path lxcRdepends() {
        return dir().resolve(LXC_RDEPENDS);
    }

    public Path partial() {
        return dir().resolve(PARTIAL);
    }

    /** A defined container: a {@code config} file and no {@code partial} marker (being created or removed). */
    public boolean isDefined() {
        return Files.isRegularFile(config()) && !hasPartial();
    }

    /** Whether the {@code partial} marker exists (a creation or removal is running, or was interrupted). */
    public boolean hasPartial() {
        return Files.exists(partial(), LinkOption.NOFOLLOW_LINKS);
    }
}
