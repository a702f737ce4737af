package org.example.lxj.tmpfs.internal;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

import org.lxj.api.ConfigException;
import org.lxj.linux.Errno;
import org.lxj.linux.FsMagic;
import org.lxj.linux.MountFlags;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.spi.backend.Backend;
import org.lxj.spi.backend.BackendException;
import org.lxj.spi.storage.MountedRootfs;
import org.lxj.spi.storage.StorageBackend;
import org.lxj.spi.storage.StorageCapability;
import org.lxj.spi.storage.StorageRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Storage for throwaway containers: the rootfs directory is a tmpfs mount, made by {@code create} and
 * removed by {@code destroy}. Its contents live in memory and vanish with the mount (on destroy or reboot).
 * <p>
 * {@code lxc-create -B tmpfs [--dir PATH] [--fssize SIZE]} writes {@code lxc.rootfs.path = tmpfs:PATH}; the
 * template then fills the mounted tmpfs. A start finds the tmpfs still mounted and uses the directory as it
 * is; after a reboot the mount is gone and the start fails with a clear message.
 */
@Component(service = StorageBackend.class, property = { Backend.TYPE_PROPERTY + "=tmpfs", "service.ranking:Integer=0" })
public final class TmpfsStorageBackend implements StorageBackend {
    static final String TYPE = "tmpfs";
    static final String PREFIX = TYPE + ":";
    private static final Pattern SIZE = Pattern.compile("[0-9]+[kKmMgG%]?");

    private final Syscalls sys;

    @Activate
    public TmpfsStorageBackend(@Reference Syscalls sys) {
        this.sys = sys;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of();
    }

    /** Only {@code tmpfs:}-prefixed paths: an unprefixed directory stays {@code dir}'s. */
    @Override
    public boolean owns(String rootfsPath) {
        return rootfsPath.startsWith(PREFIX);
    }

    @Override
    public String create(StorageRequest request) {
        Path dir = request.option("dir").map(Path::of).orElse(request.containerDir().resolve("rootfs"))
                .toAbsolutePath().normalize();
        String data = "mode=0755";
        String size = request.option("fssize").orElse(null);
        if (size != null) {
            if (!SIZE.matcher(size).matches()) {
                throw new ConfigException(null, 0, "fssize", size, "not a tmpfs size (NUMBER[k|m|g|%])");
            }
            data += ",size=" + size;
        }
        boolean made = false;
        try {
            if (!exists(dir)) {
                sys.mkdir(dir.toString(), 0755);
                made = true;
            }
            sys.mount("tmpfs", dir.toString(), "tmpfs", 0L, data);   // device nodes and setuid work, as on dir
        } catch (SyscallException e) {
            if (made) {
                removeQuietly(dir);
            }
            throw new BackendException("Failed to create the tmpfs rootfs \"" + dir + "\": " + e.getMessage(), e);
        }
        return PREFIX + dir;
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Path dir = directory(rootfsPath);
        if (!isMountPoint(dir)) {
            throw new BackendException("The tmpfs rootfs \"" + dir
                    + "\" is not mounted: its contents are gone (the host rebooted or it was unmounted)");
        }
        return new MountedRootfs(dir, false);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        // the tmpfs stays mounted between starts: it is the container's storage
    }

    @Override
    public void destroy(String rootfsPath) {
        Path dir = directory(rootfsPath);
        if (!exists(dir)) {
            return;
        }
        try {
            while (isMountPoint(dir)) {
                sys.umount2(dir.toString(), MountFlags.MNT_DETACH);
            }
            sys.rmdir(dir.toString());
        } catch (SyscallException e) {
            throw new BackendException("Failed to destroy the tmpfs rootfs \"" + dir + "\": " + e.getMessage(), e);
        }
    }

    static Path directory(String rootfsPath) {
        if (!rootfsPath.startsWith(PREFIX)) {
            throw new BackendException("Not a tmpfs rootfs: \"" + rootfsPath + "\"");
        }
        Path dir = Path.of(rootfsPath.substring(PREFIX.length()));
        if (!dir.isAbsolute() || !dir.normalize().equals(dir) || dir.getParent() == null) {
            throw new BackendException("Refusing the tmpfs rootfs \"" + rootfsPath
                    + "\": not an absolute, normalized path below /");
        }
        return dir;
    }

    private boolean exists(Path dir) {
        try {
            Stat st = sys.lstat(dir.toString());
            if (!st.isDirectory()) {
                throw new BackendException("The tmpfs rootfs \"" + dir + "\" is in the way of a file that is not a directory");
            }
            return true;
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return false;
            }
            throw new BackendException("Failed to inspect \"" + dir + "\": " + e.getMessage(), e);
        }
    }

    /** A tmpfs mounted right on {@code dir}: another device than its parent's, and tmpfs. */
    private boolean isMountPoint(Path dir) {
        try {
            Stat self = sys.lstat(dir.toString());
            Stat parent = sys.lstat(dir.getParent().toString());
            return self.dev() != parent.dev() && sys.statfs(dir.toString()) == FsMagic.TMPFS;
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return false;
            }
            throw new BackendException("Failed to inspect \"" + dir + "\": " + e.getMessage(), e);
        }
    }

    private void removeQuietly(Path dir) {
        try {
            sys.rmdir(dir.toString());
        } catch (SyscallException e) {
            // the create failure is what the caller must see; an empty directory left behind is harmless
        }
    }
}
