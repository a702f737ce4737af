package org.lxj.storage.lvm.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.lxj.linux.Errno;
import org.lxj.linux.Stat;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.TreeCopy;
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
 * The {@code lvm} storage backend, LXC's {@code lvm.c}: a rootfs on a logical volume, written as
 * {@code lvm:/dev/<vg>/<lv>}, made with the lvm2 tools. {@code lxc-create -B lvm} takes {@code --lvname}
 * (default: the container's name), {@code --vgname} (default {@code lxc}), {@code --thinpool} (default
 * {@code lxc}: used when it exists in the group, else a plain volume is made), {@code --fstype} (ext4) and
 * {@code --fssize} (1G). An unprefixed path is this backend's when it is a device-mapper device whose uuid
 * starts with {@code LVM-}.
 * <p>
 * It ranks after btrfs and before the others, as in LXC's {@code -B best} order; its {@code create} fails when
 * the volume group does not exist, so {@code best} falls through.
 */
@Component(service = StorageBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + Lvm.TYPE,
                "service.ranking:Integer=" + LvmStorageBackend.RANKING})
public final class LvmStorageBackend implements StorageBackend {

    static final int RANKING = 20;
    static final String LVNAME_OPTION = "lvname";
    static final String VGNAME_OPTION = "vgname";
    static final String THINPOOL_OPTION = "thinpool";
    static final String FSTYPE_OPTION = "fstype";
    static final String FSSIZE_OPTION = "fssize";
    static final String DEFAULT_VG = "lxc";
    static final String DEFAULT_THINPOOL = "lxc";
    static final String DEFAULT_FSTYPE = "ext4";
    static final long DEFAULT_FSSIZE = 1L << 30;
    /** The filesystems a mount tries, in order, when the volume's type is not known. */
    static final List<String> MOUNT_TYPES = List.of("ext4", "xfs", "btrfs", "ext3", "ext2");

    private static final Logger LOG = LoggerFactory.getLogger(LvmStorageBackend.class);

    private final Syscalls sys;
    private final Lvm lvm;
    private final Path procMisc;
    private final Path sysDevBlock;

    @Activate
    public LvmStorageBackend(@Reference Syscalls sys) {
        this(sys, new ProcessLvmTools(), Path.of("/proc/misc"), Path.of("/sys/dev/block"));
    }

    LvmStorageBackend(Syscalls sys, LvmTools tools, Path procMisc, Path sysDevBlock) {
        this.sys = sys;
        this.lvm = new Lvm(tools);
        this.procMisc = procMisc;
        this.sysDevBlock = sysDevBlock;
    }

    Lvm lvm() {
        return lvm;
    }

    @Override
    public String type() {
        return Lvm.TYPE;
    }

    /** Available when the kernel has device-mapper ({@code /proc/misc}) and lvm2 is installed. */
    @Override
    public Detection detect(HostFacts host) {
        String misc;
        try {
            misc = new String(Files.newInputStream(procMisc).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return Detection.unavailable("cannot read " + procMisc + ": " + e.getMessage());
        }
        if (!misc.contains(" device-mapper\n")) {
            return Detection.unavailable("the kernel has no device-mapper (not in " + procMisc + ")");
        }
        if (!Files.isExecutable(Path.of("/sbin/lvcreate")) && !Files.isExecutable(Path.of("/usr/sbin/lvcreate"))) {
            return Detection.unavailable("lvcreate (lvm2) is not installed");
        }
        return Detection.available("device-mapper and lvm2 are present");
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of(StorageCapability.SNAPSHOT, StorageCapability.CLONE, StorageCapability.RESIZE);
    }

    @Override
    public boolean owns(String rootfsPath) {
        if (rootfsPath.startsWith(Lvm.PREFIX)) {
            return true;
        }
        if (!rootfsPath.startsWith("/dev/")) {
            return false;
        }
        try {
            Stat st = sys.stat(rootfsPath);
            if (!st.isBlockDevice()) {
                return false;
            }
            Path uuid = sysDevBlock.resolve(Stat.major(st.rdev()) + ":" + Stat.minor(st.rdev())).resolve("dm/uuid");
            return new String(Files.newInputStream(uuid).readAllBytes(), StandardCharsets.UTF_8).startsWith("LVM-");
        } catch (SyscallException | IOException e) {
            return false;
        }
    }

    @Override
    public String create(StorageRequest request) {
        long size = request.option(FSSIZE_OPTION).map(Lvm::parseSize).orElse(DEFAULT_FSSIZE);
        return make(request.containerName(), request.containerDir(), request.options(), size);
    }

    private String make(String name, Path containerDir, java.util.Map<String, String> options, long size) {
        String vg = options.getOrDefault(VGNAME_OPTION, DEFAULT_VG);
        Lvm.Volume v = new Lvm.Volume(vg, options.getOrDefault(LVNAME_OPTION, name));
        Lvm.Volume pool = new Lvm.Volume(vg, options.getOrDefault(THINPOOL_OPTION, DEFAULT_THINPOOL));
        String fstype = options.getOrDefault(FSTYPE_OPTION, DEFAULT_FSTYPE);
        if (lvm.exists(v)) {
            throw new BackendException("Failed to create logical volume \"" + v.spec() + "\": it already exists");
        }
        boolean thin = lvm.isThinPool(pool);
        lvm.create(v, thin ? pool : null, size);
        try {
            lvm.mkfs(fstype, v);
            Path mountpoint = containerDir.resolve("rootfs");
            try {
                sys.mkdir(mountpoint.toString(), 0755);
                sys.chmod(mountpoint.toString(), 0755);
            } catch (SyscallException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw new BackendException("Failed to create mount point \"" + mountpoint + "\": "
                            + e.getMessage(), e);
                }
            }
        } catch (BackendException e) {
            try {
                lvm.remove(v);
            } catch (BackendException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        LOG.debug("{}: created {} logical volume \"{}\" ({} bytes, {})", name, thin ? "thin" : "plain", v.spec(),
                size, fstype);
        return v.rootfsPath();
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Lvm.Volume v = Lvm.parse(rootfsPath);
        SyscallException last = null;
        for (String fstype : MOUNT_TYPES) {
            try {
                sys.mount(v.device().toString(), target.toString(), fstype, 0L, null);
                return new MountedRootfs(target, true);
            } catch (SyscallException e) {
                if (!e.is(Errno.EINVAL) && !e.is(Errno.ENODEV)) {
                    throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
                }
                last = e;
            }
        }
        throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": no known filesystem on it ("
                + String.join(", ", MOUNT_TYPES) + ")", last);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        try {
            sys.umount2(target.toString(), 0);
        } catch (SyscallException e) {
            if (!e.is(Errno.EINVAL) && !e.is(Errno.ENOENT)) {
                throw new BackendException("Failed to unmount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A new volume as {@link #create} makes it, of the requested size, else {@code fssize}, else the source
     * volume's size when the source is a logical volume, else 1G; mounted on {@code <containerDir>/rootfs} for
     * the copy ({@link TreeCopy}). A failed copy removes the volume.
     */
    @Override
    public String copy(StorageCopyRequest request) {
        long size = request.newSize().isPresent() ? request.newSize().getAsLong()
                : request.option(FSSIZE_OPTION).map(Lvm::parseSize).orElseGet(() -> sourceSize(request));
        String rootfsPath = make(request.containerName(), request.containerDir(), request.options(), size);
        Path mountpoint = request.containerDir().resolve("rootfs");
        try {
            mount(rootfsPath, mountpoint);
            try {
                new TreeCopy(sys).copy(request.sourceMounted(), mountpoint);
            } finally {
                unmount(rootfsPath, mountpoint);
            }
        } catch (RuntimeException e) {
            try {
                destroy(rootfsPath);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \""
                    + rootfsPath + "\": " + e.getMessage(), e);
        }
        return rootfsPath;
    }

    private long sourceSize(StorageCopyRequest request) {
        if (!owns(request.sourceRootfsPath())) {
            return DEFAULT_FSSIZE;
        }
        try {
            return lvm.size(Lvm.parse(request.sourceRootfsPath()));
        } catch (BackendException e) {
            return DEFAULT_FSSIZE;
        }
    }

    /** Removes the volume; one already gone is not an error. */
    @Override
    public void destroy(String rootfsPath) {
        Lvm.Volume v = Lvm.parse(rootfsPath);
        if (!lvm.exists(v)) {
            return;
        }
        lvm.remove(v);
        LOG.debug("Destroyed logical volume \"{}\"", v.spec());
    }
}
