package org.lxj.spi.launch;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One mount the launcher performs inside the new mount namespace, before the pivot, in plan order: an
 * {@code lxc.mount.entry} line, an {@code lxc.mount.auto} item, the {@code /dev} tmpfs, a bind for a device.
 * <p>
 * The target is a path inside the container. The launcher resolves it inside the rootfs by file descriptor
 * ({@code openat2(RESOLVE_IN_ROOT)}), so a symlink in the rootfs can never carry the mount out of it, and
 * mounts onto that descriptor. When the target is missing it is created according to {@code create};
 * when the mount fails and {@code optional} is set, the step is skipped with a warning.
 *
 * @param source      the source: a host path for a bind, a device, or a name ({@code proc}, {@code tmpfs});
 *                    a path inside the container when {@code relative} is set
 * @param target      where it goes, an absolute path inside the container
 * @param fstype      the filesystem type, empty for a bind mount
 * @param flags       {@code MS_*} flags of the mount call
 * @param data        the filesystem-specific option string ({@code mode=755,size=65536k}), possibly empty
 * @param propagation propagation applied to the new mount afterwards, if any
 * @param create      what to create at the target if it does not exist ({@code create=dir|file})
 * @param optional    a failure is logged and skipped instead of failing the start ({@code optional})
 * @param relative    {@code source} is resolved inside the rootfs, like the target ({@code relative})
 */
public record MountStep(String source, Path target, String fstype, Set<MountFlag> flags, String data,
        Optional<Propagation> propagation, Create create, boolean optional, boolean relative) {

    /** What to create at a missing target. */
    public enum Create {
        /** Nothing: a missing target fails the step. */
        NONE,
        /** A directory, with missing parents (mode 0755). */
        DIR,
        /** An empty regular file, with missing parent directories (file mode 0644, dirs 0755). */
        FILE
    }

    public MountStep {
        PlanChecks.text("mount source", source);
        PlanChecks.absolute("mount target", target);
        PlanChecks.text("mount fstype", fstype);
        PlanChecks.text("mount data", data);
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        Objects.requireNonNull(propagation, "propagation");
        Objects.requireNonNull(create, "create");
        if (source.isEmpty() && !flags.contains(MountFlag.REMOUNT)) {
            throw new PlanValidationException("mount source for " + target, source, "must not be empty");
        }
        if (fstype.isEmpty() && !flags.contains(MountFlag.BIND) && !flags.contains(MountFlag.REMOUNT)
                && !flags.contains(MountFlag.MOVE)) {
            throw new PlanValidationException("mount fstype for " + target, fstype,
                    "must be given unless the mount is a bind, a move or a remount");
        }
        if (relative) {
            PlanChecks.absolute("relative mount source", Path.of(source));
        }
    }

    /** A filesystem mount ({@code proc}, {@code tmpfs}, ...) of {@code fstype} on {@code target}. */
    public static MountStep filesystem(String fstype, Path target, Set<MountFlag> flags, String data) {
        return new MountStep(fstype, target, fstype, flags, data, Optional.empty(), Create.DIR, false, false);
    }

    /** A bind mount of the host path {@code source} on {@code target}, recursive when {@code recursive}. */
    public static MountStep bind(Path source, Path target, boolean recursive, Create create) {
        Set<MountFlag> flags = recursive ? EnumSet.of(MountFlag.BIND, MountFlag.REC) : EnumSet.of(MountFlag.BIND);
        return new MountStep(PlanChecks.absolute("bind source", source).toString(), target, "", flags, "",
                Optional.empty(), create, false, false);
    }

    /** The {@code MS_*} flag mask of this step. */
    public long flagMask() {
        return MountFlag.mask(flags);
    }

    /** Whether this is a bind mount. */
    public boolean isBind() {
        return flags.contains(MountFlag.BIND);
    }
}
