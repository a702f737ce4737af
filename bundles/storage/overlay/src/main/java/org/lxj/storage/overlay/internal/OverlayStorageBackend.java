package org.lxj.storage.overlay.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.lxj.linux.Errno;
import org.lxj.linux.FileTrees;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.TreeCopy;
import org.lxj.linux.TreeRemoval;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.backend.Detection;
import org.lxj.spi.host.HostFacts;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageCopyRequest;
import org.lxj.spi.storage.StorageRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code overlay} storage backend, LXC's {@code overlay.c}: a rootfs written as
 * {@code overlay:/lower[:/lower2…]:/upper} (LXC also reads the old {@code overlayfs:} prefix). The upper
 * directory takes every change; overlayfs's work directory is {@code work} beside it. A new container gets
 * LXC's layout: the lower is {@code <containerDir>/rootfs} (or the {@code dir} option), the upper
 * {@code <containerDir>/overlay/delta} and the work directory {@code <containerDir>/overlay/work}.
 * <p>
 * Only the prefix names an overlay rootfs: an unprefixed path is never this backend's.
 */
@Component(service = StorageBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + OverlayStorageBackend.TYPE,
                "service.ranking:Integer=" + OverlayStorageBackend.RANKING})
public final class OverlayStorageBackend implements StorageBackend {

    static final String TYPE = "overlay";
    /**
     * Below {@code dir}: LXC's {@code -B best} tries btrfs, zfs, lvm, dir, and {@code dir} always succeeds, so
     * {@code best} never lands here. Ownership is by prefix alone, so the order does not matter there.
     */
    static final int RANKING = -110;
    static final String PREFIX = TYPE + ":";
    /** The prefix of LXC before 2.0, still accepted. */
    static final String OLD_PREFIX = "overlayfs:";
    static final String DIR_OPTION = "dir";
    static final String OVERLAY_DIR = "overlay";
    static final String DELTA_DIR = "delta";
    static final String WORK_DIR = "work";
    static final int DIR_MODE = 0755;

    private static final Logger LOG = LoggerFactory.getLogger(OverlayStorageBackend.class);

    private final Syscalls sys;
    private final FileTrees trees;

    @Activate
    public OverlayStorageBackend(@Reference Syscalls sys) {
        this.sys = sys;
        this.trees = new FileTrees(sys);
    }

    /** A parsed overlay rootfs: lowers top first, as the kernel's {@code lowerdir} lists them. */
    record Layers(List<Path> lowers, Path upper) {
        Path work() {
            return upper.resolveSibling(WORK_DIR);
        }

        String mountData() {
            StringBuilder s = new StringBuilder("lowerdir=");
            for (int i = 0; i < lowers.size(); i++) {
                s.append(i == 0 ? "" : ":").append(lowers.get(i));
            }
            return s.append(",upperdir=").append(upper).append(",workdir=").append(work()).toString();
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        return host.supportsFilesystem(TYPE) ? Detection.available("overlay is in /proc/filesystems")
                : Detection.unavailable("overlay is not in /proc/filesystems");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE);
    }

    @Override
    public boolean owns(String rootfsPath) {
        return rootfsPath.startsWith(PREFIX) || rootfsPath.startsWith(OLD_PREFIX);
    }

    @Override
    public String create(StorageRequest request) {
        Path lower = request.option(DIR_OPTION).map(d -> absolute("dir option", d, d))
                .orElseGet(() -> request.containerDir().resolve("rootfs"));
        Path overlayDir = request.containerDir().resolve(OVERLAY_DIR);
        Path delta = overlayDir.resolve(DELTA_DIR);
        List<Path> created = new ArrayList<>();
        try {
            makeDirectories(lower, created);
            makeDirectories(delta, created);
            makeDirectories(overlayDir.resolve(WORK_DIR), created);
        } catch (SyscallException e) {
            removeCreated(request.containerName(), created);
            throw new BackendException("Failed to create overlay rootfs for \"" + request.containerName() + "\": "
                    + e.getMessage(), e);
        }
        String rootfsPath = PREFIX + lower + ":" + delta;
        LOG.debug("{}: created overlay rootfs \"{}\"", request.containerName(), rootfsPath);
        return rootfsPath;
    }

    /**
     * A full copy as a new overlay rootfs: the mounted source is copied ({@link TreeCopy}) into the new lower
     * {@code <containerDir>/rootfs} (or the {@code dir} option), with an empty upper and work directory beside
     * it, as {@link #create} lays them out. Nothing is shared with the source. A failed copy removes all of it.
     */
    @Override
    public String copy(StorageCopyRequest request) {
        String rootfsPath = create(new StorageRequest(request.containerName(), request.containerDir(),
                request.options()));
        Layers layers = parse(rootfsPath);
        try {
            TreeCopy.Result r = new TreeCopy(sys).copy(request.sourceMounted(), layers.lowers().get(0));
            LOG.debug("{}: copied \"{}\" into overlay lower \"{}\" ({} entries, {} bytes)", request.containerName(),
                    request.sourceMounted(), layers.lowers().get(0), r.entries(), r.bytes());
        } catch (RuntimeException e) {
            try {
                destroy(rootfsPath);
                trees.removeOnOneDevice(layers.lowers().get(0));
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \""
                    + rootfsPath + "\": " + e.getMessage(), e);
        }
        return rootfsPath;
    }

    /**
     * Makes a new upper layer over {@code lowers} in {@code dir/overlay/delta} (and its {@code work}), filled with
     * a copy of {@code fromUpper} when given (an overlay's changes, whiteouts included). Returns the new
     * {@code lxc.rootfs.path}. A failure removes what was made.
     */
    String layerOver(List<Path> lowers, Path fromUpper, Path dir, String what) {
        Path overlayDir = dir.resolve(OVERLAY_DIR);
        Path delta = overlayDir.resolve(DELTA_DIR);
        StringBuilder path = new StringBuilder(PREFIX);
        for (Path l : lowers) {
            path.append(l).append(':');
        }
        String rootfsPath = path.append(delta).toString();
        List<Path> created = new ArrayList<>();
        try {
            makeDirectories(overlayDir.resolve(WORK_DIR), created);
            if (fromUpper == null) {
                makeDirectories(delta, created);
            } else {
                new TreeCopy(sys).copy(fromUpper, delta);
            }
        } catch (RuntimeException e) {
            try {
                destroy(rootfsPath);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new BackendException("Failed to make overlay " + what + " \"" + rootfsPath + "\": " + e.getMessage(),
                    e);
        }
        return rootfsPath;
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Layers layers = parse(rootfsPath);
        try {
            makeDirectories(layers.work(), new ArrayList<>());
            sys.mount(TYPE, target.toString(), TYPE, 0L, layers.mountData());
        } catch (SyscallException e) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
        return new MountedRootfs(target, true);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        try {
            sys.umount2(target.toString(), 0);
        } catch (SyscallException e) {
            if (e.is(Errno.EINVAL) || e.is(Errno.ENOENT)) {
                return; // not mounted (any more): nothing to undo
            }
            throw new BackendException("Failed to unmount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
    }

    @Override
    public void destroy(String rootfsPath) {
        Layers layers = parse(rootfsPath);
        remove(rootfsPath, layers.upper());
        remove(rootfsPath, layers.work());
        Path parent = layers.upper().getParent();
        if (parent != null && parent.getFileName() != null
                && OVERLAY_DIR.equals(parent.getFileName().toString())) {
            try {
                sys.rmdir(parent.toString());
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOENT) && !e.is(Errno.ENOTEMPTY)) {
                    throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": " + e.getMessage(),
                            e);
                }
            }
        }
        LOG.debug("Destroyed overlay rootfs \"{}\" (lower directories kept)", rootfsPath);
    }

    private void remove(String rootfsPath, Path dir) {
        TreeRemoval removal;
        try {
            removal = trees.removeOnOneDevice(dir);
        } catch (SyscallException e) {
            throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
        if (!removal.complete()) {
            throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": "
                    + removal.mountpoints().size() + " entries on other filesystems are still mounted below \""
                    + dir + "\": " + removal.mountpoints());
        }
    }

    /** Splits {@code overlay:/l1[:/l2…]:/upper}; every part must be an absolute, normalized path. */
    static Layers parse(String rootfsPath) {
        String rest;
        if (rootfsPath.startsWith(PREFIX)) {
            rest = rootfsPath.substring(PREFIX.length());
        } else if (rootfsPath.startsWith(OLD_PREFIX)) {
            rest = rootfsPath.substring(OLD_PREFIX.length());
        } else {
            throw new BackendException("Invalid overlay rootfs \"" + rootfsPath + "\": no \"overlay:\" prefix");
        }
        String[] parts = rest.split(":", -1);
        if (parts.length < 2) {
            throw new BackendException("Invalid overlay rootfs \"" + rootfsPath
                    + "\": expected \"overlay:/lower[:/lower...]:/upper\"");
        }
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < parts.length - 1; i++) {
            lowers.add(absolute("overlay rootfs", parts[i], rootfsPath));
        }
        Path upper = absolute("overlay rootfs", parts[parts.length - 1], rootfsPath);
        if (upper.getParent() == null) {
            throw new BackendException("Invalid overlay rootfs \"" + rootfsPath + "\": the upper directory is \"/\"");
        }
        return new Layers(List.copyOf(lowers), upper);
    }

    private static Path absolute(String what, String path, String shown) {
        if (path.isEmpty()) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": empty path");
        }
        if (path.indexOf(',') >= 0) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": \"" + path
                    + "\" contains a comma, which overlayfs options cannot carry");
        }
        Path p;
        try {
            p = Path.of(path);
        } catch (InvalidPathException e) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": " + e.getReason());
        }
        if (!p.isAbsolute()) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": \"" + path + "\" is not absolute");
        }
        if (!p.normalize().equals(p)) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": \"" + path
                    + "\" contains \".\" or \"..\" components");
        }
        return p;
    }

    /** {@code mkdir -p} with mode 0755, recording each directory it made in {@code created}. */
    private void makeDirectories(Path dest, List<Path> created) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dest; p != null; p = p.getParent()) {
            try {
                if (!sys.stat(p.toString()).isDirectory()) {
                    throw new SyscallException(org.lxj.linux.Syscall.MKDIR, Errno.ENOTDIR, p.toString());
                }
                break;
            } catch (SyscallException e) {
                if (!e.is(Errno.ENOENT)) {
                    throw e;
                }
                missing.add(0, p);
            }
        }
        for (Path p : missing) {
            sys.mkdir(p.toString(), DIR_MODE);
            created.add(p);
            sys.chmod(p.toString(), DIR_MODE);
        }
    }

    private void removeCreated(String container, List<Path> created) {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                sys.rmdir(created.get(i).toString());
            } catch (SyscallException e) {
                LOG.warn("{}: could not remove \"{}\" after a failed create: {}", container, created.get(i),
                        e.getMessage());
            }
        }
    }
}
