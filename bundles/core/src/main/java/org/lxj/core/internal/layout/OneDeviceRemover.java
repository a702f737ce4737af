package org.lxj.core.internal.layout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.lxj.api.LxjException;

/**
 * Removes a directory tree without leaving its filesystem: symlinks are removed, never followed, and a
 * directory on another device (a mount point below the tree) is left alone and reported, so a forgotten bind
 * mount of the host's {@code /} cannot be wiped through a container directory (LXC's
 * {@code lxc_rmdir_onedev}).
 */
public final class OneDeviceRemover {

    /**
     * Removes {@code root} and everything below it on the same device.
     *
     * @throws LxjException naming the first mount point met, or the file that could not be removed
     */
    public void remove(Path root) {
        removeContents(root, p -> false);
        try {
            Files.deleteIfExists(root);
        } catch (IOException e) {
            throw failure(root, e);
        }
    }

    /**
     * Removes what is below {@code root} except its direct children that {@code keep} accepts; {@code root}
     * itself stays. A missing {@code root} is not an error.
     */
    public void removeContents(Path root, Predicate<Path> keep) {
        Object device;
        try {
            device = Files.getAttribute(root, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw failure(root, e);
        }
        Walker walker = new Walker(root, device, keep);
        try {
            Files.walkFileTree(root, walker);
        } catch (IOException e) {
            throw failure(root, e);
        } catch (UncheckedIOException e) {
            throw failure(root, e.getCause());
        }
        if (!walker.otherDevices.isEmpty()) {
            throw new LxjException("Failed to remove \"" + root + "\": \"" + walker.otherDevices.get(0)
                    + "\" is a mount point of another filesystem");
        }
    }

    private static LxjException failure(Path path, IOException e) {
        String what = e instanceof DirectoryNotEmptyException ? "directory not empty" : e.toString();
        return new LxjException("Failed to remove \"" + path + "\": " + what, e);
    }

    private static final class Walker extends SimpleFileVisitor<Path> {
        private final Path root;
        private final Object device;
        private final Predicate<Path> keep;
        private final List<Path> otherDevices = new ArrayList<>();

        Walker(Path root, Object device, Predicate<Path> keep) {
            this.root = root;
            this.device = device;
            this.keep = keep;
        }

        private boolean kept(Path p) {
            return root.equals(p.getParent()) && keep.test(p);
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
            if (kept(dir)) {
                return FileVisitResult.SKIP_SUBTREE;
            }
            if (!device.equals(Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                otherDevices.add(dir);
                return FileVisitResult.SKIP_SUBTREE;
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
            if (!kept(file)) {
                Files.deleteIfExists(file);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
            if (e != null && !(e instanceof NoSuchFileException)) {
                throw e;
            }
            if (dir.equals(root) || !otherDevicesBelow(dir)) {
                if (!dir.equals(root)) {
                    Files.deleteIfExists(dir);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        private boolean otherDevicesBelow(Path dir) {
            return otherDevices.stream().anyMatch(m -> m.startsWith(dir));
        }
    }
}
