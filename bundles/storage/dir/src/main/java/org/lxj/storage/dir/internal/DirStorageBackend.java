package org.lxj.storage.dir.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.lxj.linux.Errno;
import org.lxj.linux.FileTrees;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.TreeCopy;
import org.lxj.linux.TreeRemoval;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
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
 * The {@code dir} storage backend, LXC's {@code dir.c}: a rootfs is a plain directory, written as
 * {@code dir:/var/lib/lxj/c1/rootfs} (or an unprefixed directory path). Mounting is the directory itself;
 * destroying removes the tree on its own filesystem without following symlinks.
 * <p>
 * It ranks below the backends that can claim an unprefixed directory (btrfs 30 for a subvolume, lvm 20), which
 * must be asked first, and above overlay and loop, which only LXC's order for {@code -B best} (btrfs, zfs, lvm,
 * dir) puts it before: {@code dir} always succeeds, so {@code best} ends with it.
 */
@Component(service = StorageBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + DirStorageBackend.TYPE,
                "service.ranking:Integer=" + DirStorageBackend.RANKING})
public final class DirStorageBackend implements StorageBackend {

    static final String TYPE = "dir";
    static final int RANKING = -100;
    static final String PREFIX = TYPE + ":";
    /** The {@code dir} option of {@code lxc-create -B dir --dir PATH}. */
    static final String DIR_OPTION = "dir";
    /** The mode of every directory {@code create} makes, as LXC's {@code mkdir_p(path, 0755)}. */
    static final int DIR_MODE = 0755;

    private static final Logger LOG = LoggerFactory.getLogger(DirStorageBackend.class);

    private final Syscalls sys;
    private final FileTrees trees;

    @Activate
    public DirStorageBackend(@Reference Syscalls sys) {
        this.sys = sys;
        this.trees = new FileTrees(sys);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of(StorageCapability.CLONE);
    }

    @Override
    public boolean owns(String rootfsPath) {
        if (rootfsPath.startsWith(PREFIX)) {
            return true;
        }
        if (!rootfsPath.startsWith("/")) {
            return false;
        }
        try {
            return sys.stat(rootfsPath).isDirectory();
        } catch (SyscallException e) {
            return false;
        }
    }

    @Override
    public String create(StorageRequest request) {
        Path dest = request.option(DIR_OPTION).map(d -> absolute("dir option", d, d))
                .orElseGet(() -> request.containerDir().resolve("rootfs"));
        List<Path> created = makeDirectories(request.containerName(), dest);
        LOG.debug("{}: created rootfs directory \"{}\" ({} new directories)", request.containerName(), dest,
                created.size());
        return PREFIX + dest;
    }

    /**
     * Copies the mounted source into a new directory ({@code --dir} or {@code <containerDir>/rootfs}) with
     * {@link TreeCopy}: owners, modes, xattrs and ACLs, hard links, holes, device nodes and times kept. The
     * target must not exist yet; a failed copy removes what it made.
     */
    @Override
    public String copy(StorageCopyRequest request) {
        Path dest = request.option(DIR_OPTION).map(d -> absolute("dir option", d, d))
                .orElseGet(() -> request.containerDir().resolve("rootfs"));
        if (statOrEmpty(dest.toString()).isPresent()) {
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \"" + dest
                    + "\": it already exists");
        }
        List<Path> parents = makeDirectories(request.containerName(), dest.getParent());
        try {
            TreeCopy.Result r = new TreeCopy(sys).copy(request.sourceMounted(), dest);
            LOG.debug("{}: copied \"{}\" to \"{}\" ({} entries, {} bytes)", request.containerName(),
                    request.sourceMounted(), dest, r.entries(), r.bytes());
        } catch (RuntimeException e) {
            removeQuietly(request.containerName(), dest);
            removeCreated(request.containerName(), parents);
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \"" + dest
                    + "\": " + e.getMessage(), e);
        }
        return PREFIX + dest;
    }

    private void removeQuietly(String container, Path dir) {
        try {
            trees.removeOnOneDevice(dir);
        } catch (RuntimeException e) {
            LOG.warn("{}: could not remove \"{}\" after a failed copy: {}", container, dir, e.getMessage());
        }
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Path dir = directoryOf(rootfsPath);
        Stat st;
        try {
            st = sys.stat(dir.toString());
        } catch (SyscallException e) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
        if (!st.isDirectory()) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": \"" + dir
                    + "\" is not a directory");
        }
        return new MountedRootfs(dir, false);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        // mount() mounted nothing: the rootfs is the directory itself
    }

    /** The rootfs is the directory itself: no mount point. */
    @Override
    public boolean mountsAtTarget(String rootfsPath) {
        return false;
    }

    @Override
    public void destroy(String rootfsPath) {
        Path dir = directoryOf(rootfsPath);
        if (dir.getParent() == null) {
            throw new BackendException("Refusing to destroy rootfs \"" + rootfsPath + "\": it is the root directory");
        }
        TreeRemoval removal;
        try {
            removal = trees.removeOnOneDevice(dir);
        } catch (SyscallException e) {
            throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
        if (!removal.complete()) {
            throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": "
                    + removal.mountpoints().size() + " entries on other filesystems are still mounted below it: "
                    + removal.mountpoints());
        }
        LOG.debug("Destroyed rootfs \"{}\" ({} entries removed)", rootfsPath, removal.removed());
    }

    /** The directory of a {@code dir:} or unprefixed rootfs path: absolute and normalized. */
    static Path directoryOf(String rootfsPath) {
        String p = rootfsPath.startsWith(PREFIX) ? rootfsPath.substring(PREFIX.length()) : rootfsPath;
        return absolute("dir rootfs", p, rootfsPath);
    }

    private static Path absolute(String what, String path, String shown) {
        Path p;
        try {
            p = Path.of(path);
        } catch (java.nio.file.InvalidPathException e) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": " + e.getReason());
        }
        if (!p.isAbsolute()) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": not an absolute path");
        }
        if (!p.normalize().equals(p)) {
            throw new BackendException("Invalid " + what + " \"" + shown + "\": contains \".\" or \"..\" components");
        }
        return p;
    }

    /**
     * Makes {@code dest} and its missing parents with mode 0755, as {@code mkdir -p}; an existing directory is
     * accepted as it is. On failure, removes the directories it made, deepest first.
     */
    private List<Path> makeDirectories(String container, Path dest) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dest; p != null; p = p.getParent()) {
            Optional<Stat> st = statOrEmpty(p.toString());
            if (st.isPresent()) {
                if (!st.get().isDirectory()) {
                    throw new BackendException("Failed to create directory \"" + dest + "\": \"" + p
                            + "\" exists and is not a directory");
                }
                break;
            }
            missing.add(0, p);
        }
        List<Path> created = new ArrayList<>();
        try {
            for (Path p : missing) {
                sys.mkdir(p.toString(), DIR_MODE);
                created.add(p);
                // mkdir's mode is filtered by the umask; the rootfs must be 0755 whatever the runtime's umask
                sys.chmod(p.toString(), DIR_MODE);
            }
        } catch (SyscallException e) {
            removeCreated(container, created);
            throw new BackendException(e.getMessage(), e);
        }
        return created;
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

    /** The stat of {@code path}, empty when it or (ENOTDIR) one of its parents does not exist as a directory. */
    private Optional<Stat> statOrEmpty(String path) {
        try {
            return Optional.of(sys.stat(path));
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                return Optional.empty();
            }
            throw new BackendException("Failed to look at \"" + path + "\": " + e.getMessage(), e);
        }
    }
}
