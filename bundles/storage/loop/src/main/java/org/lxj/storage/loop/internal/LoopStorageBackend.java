package org.lxj.storage.loop.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
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
 * The {@code loop} storage backend, LXC's {@code loop.c}: a rootfs in a filesystem image file, written as
 * {@code loop:/var/lib/lxj/c1/rootdev} (or an unprefixed path to a regular file). A new container gets a
 * sparse image {@code <containerDir>/rootdev} of {@code fssize} bytes (1G) formatted as {@code fstype}
 * (ext4). Mounting attaches the image to a free loop device through {@code /dev/loop-control} with
 * {@code LO_FLAGS_AUTOCLEAR}, so the device detaches itself when the filesystem is unmounted.
 */
@Component(service = StorageBackend.class,
        property = {Backend.TYPE_PROPERTY + "=" + LoopStorageBackend.TYPE,
                "service.ranking:Integer=" + LoopStorageBackend.RANKING})
public final class LoopStorageBackend implements StorageBackend {

    static final String TYPE = "loop";
    /**
     * Below {@code dir}: LXC's {@code -B best} tries btrfs, zfs, lvm, dir and never loop. An unprefixed regular
     * file is loop's and an unprefixed directory dir's, so the two never compete for ownership.
     */
    static final int RANKING = -120;
    static final String PREFIX = TYPE + ":";
    static final String FSTYPE_OPTION = "fstype";
    static final String FSSIZE_OPTION = "fssize";
    static final String DEFAULT_FSTYPE = "ext4";
    /** LXC's {@code DEFAULT_FS_SIZE}. */
    static final long DEFAULT_FSSIZE = 1L << 30;
    static final String LOOP_CONTROL = "/dev/loop-control";

    // <linux/loop.h>
    static final long LOOP_SET_FD = 0x4C00;
    static final long LOOP_CLR_FD = 0x4C01;
    static final long LOOP_SET_STATUS64 = 0x4C04;
    static final long LOOP_CTL_GET_FREE = 0x4C82;
    static final int LO_FLAGS_AUTOCLEAR = 4;
    /** {@code sizeof(struct loop_info64)}. */
    static final int LOOP_INFO64_SIZE = 232;
    static final int LO_FLAGS_OFFSET = 52;
    static final int LO_FILE_NAME_OFFSET = 56;
    static final int LO_NAME_SIZE = 64;
    /** How often a free device taken by someone else between GET_FREE and SET_FD is retried. */
    static final int ATTACH_ATTEMPTS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(LoopStorageBackend.class);

    private final Syscalls sys;
    private final FilesystemMaker mkfs;
    private final Path procFilesystems;
    private final Path mountinfo;

    @Activate
    public LoopStorageBackend(@Reference Syscalls sys) {
        this(sys, new MkfsCommand(), Path.of("/proc/filesystems"), Path.of("/proc/self/mountinfo"));
    }

    LoopStorageBackend(Syscalls sys, FilesystemMaker mkfs, Path procFilesystems, Path mountinfo) {
        this.sys = sys;
        this.mkfs = mkfs;
        this.procFilesystems = procFilesystems;
        this.mountinfo = mountinfo;
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Detection detect(HostFacts host) {
        try {
            sys.stat(LOOP_CONTROL);
            return Detection.available(LOOP_CONTROL + " exists");
        } catch (SyscallException e) {
            return Detection.unavailable(LOOP_CONTROL + " is missing: " + e.getMessage());
        }
    }

    @Override
    public Set<StorageCapability> capabilities() {
        return Set.of(StorageCapability.CLONE, StorageCapability.RESIZE);
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
            return sys.stat(rootfsPath).isRegularFile();
        } catch (SyscallException e) {
            return false;
        }
    }

    @Override
    public String create(StorageRequest request) {
        String fstype = request.option(FSTYPE_OPTION).orElse(DEFAULT_FSTYPE);
        if (!fstype.matches("[a-z0-9]+")) {
            throw new BackendException("Invalid fstype \"" + fstype + "\"");
        }
        long size = request.option(FSSIZE_OPTION).map(LoopStorageBackend::parseSize).orElse(DEFAULT_FSSIZE);
        Path image = request.containerDir().resolve("rootdev");
        Path mountpoint = request.containerDir().resolve("rootfs");
        boolean madeMountpoint = false;
        boolean madeImage = false;
        try {
            int fd = sys.open(image.toString(), OpenFlags.O_WRONLY | OpenFlags.O_CREAT | OpenFlags.O_EXCL
                    | OpenFlags.O_CLOEXEC, 0600);
            madeImage = true;
            try {
                sys.ftruncate(fd, size);
            } finally {
                sys.close(fd);
            }
            mkfs.make(fstype, image);
            try {
                sys.mkdir(mountpoint.toString(), 0755);
                madeMountpoint = true;
                sys.chmod(mountpoint.toString(), 0755);
            } catch (SyscallException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw e;
                }
            }
        } catch (SyscallException | BackendException e) {
            if (madeImage) {
                removeQuietly(request.containerName(), image, false);
            }
            if (madeMountpoint) {
                removeQuietly(request.containerName(), mountpoint, true);
            }
            if (e instanceof BackendException b) {
                throw b;
            }
            throw new BackendException("Failed to create loop rootfs \"" + image + "\" for \""
                    + request.containerName() + "\": " + e.getMessage(), e);
        }
        LOG.debug("{}: created {} image \"{}\" of {} bytes", request.containerName(), fstype, image, size);
        return PREFIX + image;
    }

    /**
     * A new image {@code <containerDir>/rootdev} as {@link #create} makes it ({@code fstype} option, ext4 by
     * default), of the requested size, else the {@code fssize} option, else the source image's size when the
     * source is an image file, else 1G; mounted on {@code <containerDir>/rootfs} for the time of the copy
     * ({@link TreeCopy}) and unmounted after. A failed copy removes the image.
     */
    @Override
    public String copy(StorageCopyRequest request) {
        long size = request.newSize().isPresent() ? request.newSize().getAsLong()
                : request.option(FSSIZE_OPTION).map(LoopStorageBackend::parseSize)
                        .orElseGet(() -> sourceImageSize(request.sourceRootfsPath()));
        java.util.Map<String, String> options = new java.util.HashMap<>(request.options());
        options.put(FSSIZE_OPTION, Long.toString(size));
        String rootfsPath = create(new StorageRequest(request.containerName(), request.containerDir(), options));
        Path mountpoint = request.containerDir().resolve("rootfs");
        try {
            mount(rootfsPath, mountpoint);
            try {
                TreeCopy.Result r = new TreeCopy(sys).copy(request.sourceMounted(), mountpoint);
                LOG.debug("{}: copied \"{}\" into \"{}\" ({} entries, {} bytes)", request.containerName(),
                        request.sourceMounted(), rootfsPath, r.entries(), r.bytes());
            } finally {
                unmount(rootfsPath, mountpoint);
            }
        } catch (RuntimeException e) {
            try {
                destroy(rootfsPath);
                removeQuietly(request.containerName(), mountpoint, true);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new BackendException("Failed to copy rootfs \"" + request.sourceRootfsPath() + "\" to \""
                    + rootfsPath + "\": " + e.getMessage(), e);
        }
        return rootfsPath;
    }

    /** The size of the source's image file when its path names a regular file, else the default size. */
    private long sourceImageSize(String sourceRootfsPath) {
        String p = sourceRootfsPath.startsWith("/") ? sourceRootfsPath
                : sourceRootfsPath.substring(sourceRootfsPath.indexOf(':') + 1);
        try {
            org.lxj.linux.Stat st = sys.stat(p);
            return st.isRegularFile() && st.size() > 0 ? st.size() : DEFAULT_FSSIZE;
        } catch (SyscallException e) {
            return DEFAULT_FSSIZE;
        }
    }

    @Override
    public MountedRootfs mount(String rootfsPath, Path target) {
        Path image = imageOf(rootfsPath);
        List<String> fstypes = probeFstypes(rootfsPath, image);
        String fstype = null;
        int imageFd = -1;
        int loopFd = -1;
        String device = null;
        boolean attached = false;
        try {
            imageFd = sys.open(image.toString(), OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
            for (int attempt = 1; !attached; attempt++) {
                device = "/dev/loop" + freeDevice();
                loopFd = sys.open(device, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
                try {
                    sys.ioctl(loopFd, LOOP_SET_FD, imageFd);
                    attached = true;
                } catch (SyscallException e) {
                    sys.close(loopFd);
                    loopFd = -1;
                    if (!e.is(Errno.EBUSY) || attempt == ATTACH_ATTEMPTS) {
                        throw e;
                    }
                }
            }
            sys.ioctlBuffer(loopFd, LOOP_SET_STATUS64, loopInfo(image));
            for (int i = 0; fstype == null; i++) {
                try {
                    sys.mount(device, target.toString(), fstypes.get(i), 0L, null);
                    fstype = fstypes.get(i);
                } catch (SyscallException e) {
                    if (i == fstypes.size() - 1 || !(e.is(Errno.EINVAL) || e.is(Errno.ENODEV))) {
                        throw e;
                    }
                }
            }
        } catch (SyscallException e) {
            if (attached) {
                clear(loopFd);
            }
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        } finally {
            // the device stays attached while mounted; LO_FLAGS_AUTOCLEAR detaches it at the unmount
            closeQuietly(loopFd);
            closeQuietly(imageFd);
        }
        LOG.debug("Mounted {} image \"{}\" through {} on \"{}\"", fstype, image, device, target);
        return new MountedRootfs(target, true);
    }

    @Override
    public void unmount(String rootfsPath, Path target) {
        Optional<String> device = mountedDevice(target);
        try {
            sys.umount2(target.toString(), 0);
        } catch (SyscallException e) {
            if (!e.is(Errno.EINVAL) && !e.is(Errno.ENOENT)) {
                throw new BackendException("Failed to unmount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
            }
        }
        if (device.isPresent() && device.get().startsWith("/dev/loop")) {
            detach(rootfsPath, device.get());
        }
    }

    @Override
    public void destroy(String rootfsPath) {
        Path image = imageOf(rootfsPath);
        try {
            sys.unlinkat(OpenFlags.AT_FDCWD, image.toString(), 0);
        } catch (SyscallException e) {
            if (!e.is(Errno.ENOENT)) {
                throw new BackendException("Failed to destroy rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
            }
        }
        LOG.debug("Destroyed loop rootfs \"{}\"", rootfsPath);
    }

    /** Detaches {@code device} unless autoclear already did: clearing a free device fails with ENXIO. */
    private void detach(String rootfsPath, String device) {
        int fd;
        try {
            fd = sys.open(device, OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENXIO)) {
                return;
            }
            throw new BackendException("Failed to detach \"" + device + "\" of rootfs \"" + rootfsPath + "\": "
                    + e.getMessage(), e);
        }
        try {
            sys.ioctl(fd, LOOP_CLR_FD, 0);
        } catch (SyscallException e) {
            if (!e.is(Errno.ENXIO)) {
                throw new BackendException("Failed to detach \"" + device + "\" of rootfs \"" + rootfsPath + "\": "
                        + e.getMessage(), e);
            }
        } finally {
            closeQuietly(fd);
        }
    }

    private int freeDevice() {
        int ctl = sys.open(LOOP_CONTROL, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC, 0);
        try {
            return sys.ioctl(ctl, LOOP_CTL_GET_FREE, 0);
        } finally {
            closeQuietly(ctl);
        }
    }

    private void clear(int loopFd) {
        try {
            sys.ioctl(loopFd, LOOP_CLR_FD, 0);
        } catch (SyscallException e) {
            LOG.warn("Could not detach a loop device after a failed mount: {}", e.getMessage());
        }
    }

    /** A {@code struct loop_info64} with {@code LO_FLAGS_AUTOCLEAR} and the image's name, as losetup shows it. */
    static byte[] loopInfo(Path image) {
        byte[] info = new byte[LOOP_INFO64_SIZE];
        java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.nativeOrder()).putInt(LO_FLAGS_OFFSET,
                LO_FLAGS_AUTOCLEAR);
        byte[] name = image.toString().getBytes(StandardCharsets.UTF_8);
        System.arraycopy(name, 0, info, LO_FILE_NAME_OFFSET, Math.min(name.length, LO_NAME_SIZE - 1));
        return info;
    }

    /**
     * The filesystem type in the image, from its superblock magic (ext2/3/4, xfs, btrfs); for anything else
     * each block filesystem of {@code /proc/filesystems} in turn, as LXC's {@code mount_unknown_fs}.
     */
    List<String> probeFstypes(String rootfsPath, Path image) {
        byte[] head = new byte[0x10048];
        int n = 0;
        int fd;
        try {
            fd = sys.open(image.toString(), OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0);
        } catch (SyscallException e) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        }
        try {
            while (n < head.length) {
                int r = sys.read(fd, head, n, head.length - n);
                if (r <= 0) {
                    break;
                }
                n += r;
            }
        } catch (SyscallException e) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": " + e.getMessage(), e);
        } finally {
            closeQuietly(fd);
        }
        Optional<String> known = magic(head, n);
        if (known.isPresent()) {
            return List.of(known.get());
        }
        List<String> candidates = blockFilesystems();
        if (candidates.isEmpty()) {
            throw new BackendException("Failed to mount rootfs \"" + rootfsPath + "\": unknown filesystem in \""
                    + image + "\"");
        }
        return candidates;
    }

    static Optional<String> magic(byte[] head, int length) {
        if (length >= 0x43A && (head[0x438] & 0xff) == 0x53 && (head[0x439] & 0xff) == 0xEF) {
            return Optional.of("ext4");
        }
        if (length >= 4 && head[0] == 'X' && head[1] == 'F' && head[2] == 'S' && head[3] == 'B') {
            return Optional.of("xfs");
        }
        if (length >= 0x10048
                && "_BHRfS_M".equals(new String(head, 0x10040, 8, StandardCharsets.US_ASCII))) {
            return Optional.of("btrfs");
        }
        return Optional.empty();
    }

    private List<String> blockFilesystems() {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procFilesystems)) {
                if (!line.startsWith("nodev") && !line.isBlank()) {
                    out.add(line.strip());
                }
            }
        } catch (IOException e) {
            throw new BackendException("Failed to read \"" + procFilesystems + "\": " + e.getMessage(), e);
        }
        return out;
    }

    /** The source of the mount on {@code target} in mountinfo (the last one, the one on top). */
    Optional<String> mountedDevice(Path target) {
        List<String> lines;
        try {
            lines = Files.readAllLines(mountinfo);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new BackendException("Failed to read \"" + mountinfo + "\": " + e.getMessage(), e);
        }
        String found = null;
        for (String line : lines) {
            String[] f = line.split(" ");
            int sep = line.indexOf(" - ");
            if (f.length > 4 && f[4].equals(target.toString()) && sep > 0) {
                String[] tail = line.substring(sep + 3).split(" ");
                if (tail.length > 1) {
                    found = tail[1];
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /** LXC's size strings: a number with an optional {@code B}, {@code K}, {@code M}, {@code G}, {@code T}. */
    static long parseSize(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("B") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'B' -> unit = 1;
                case 'K' -> unit = 1L << 10;
                case 'M' -> unit = 1L << 20;
                case 'G' -> unit = 1L << 30;
                case 'T' -> unit = 1L << 40;
                default -> unit = 0;
            }
            if (unit != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                unit = 1;
            }
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(v, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BackendException("Invalid fssize \"" + s + "\"");
        }
    }

    static Path imageOf(String rootfsPath) {
        String p = rootfsPath.startsWith(PREFIX) ? rootfsPath.substring(PREFIX.length()) : rootfsPath;
        Path path;
        try {
            path = Path.of(p);
        } catch (InvalidPathException e) {
            throw new BackendException("Invalid loop rootfs \"" + rootfsPath + "\": " + e.getReason());
        }
        if (p.isEmpty() || !path.isAbsolute() || !path.normalize().equals(path)) {
            throw new BackendException("Invalid loop rootfs \"" + rootfsPath + "\": not an absolute normalized path");
        }
        return path;
    }

    private void removeQuietly(String container, Path p, boolean dir) {
        try {
            if (dir) {
                sys.rmdir(p.toString());
            } else {
                sys.unlinkat(OpenFlags.AT_FDCWD, p.toString(), 0);
            }
        } catch (SyscallException e) {
            LOG.warn("{}: could not remove \"{}\" after a failed create: {}", container, p, e.getMessage());
        }
    }

    private void closeQuietly(int fd) {
        if (fd < 0) {
            return;
        }
        try {
            sys.close(fd);
        } catch (SyscallException e) {
            LOG.debug("close({}) failed: {}", fd, e.getMessage());
        }
    }
}
