package org.lxj.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.lxj.api.LxjException;

/**
 * Removes directory trees the way a container runtime must: every entry is examined with
 * {@code lstat}, symlinks are removed and never followed, and nothing on a device other than the
 * top's is touched, so a rootfs with something still mounted inside cannot take the mounted
 * filesystem with it.
 */
public final class FileTrees {

    private final Syscalls sys;

    public FileTrees(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * Removes {@code top} and everything below it that lives on {@code top}'s device. Entries on
     * another device (mountpoints) are left and reported; the directories above them stay too. A
     * missing {@code top} is nothing to do. A symlink or file {@code top} is removed itself.
     *
     * @throws SyscallException when an entry cannot be removed for another reason
     * @throws LxjException     when a directory cannot be listed
     */
    public TreeRemoval removeOnOneDevice(Path top) {
        String path = top.toString();
        Stat st;
        try {
            st = sys.lstat(path);
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return new TreeRemoval(0, List.of());
            }
            throw e;
        }
        Walk walk = new Walk(st.dev());
        if (st.isDirectory()) {
            walk.directory(top);
        } else {
            sys.unlinkat(OpenFlags.AT_FDCWD, path, 0);
            walk.removed++;
        }
        return new TreeRemoval(walk.removed, walk.left);
    }

    private final class Walk {
        private final long dev;
        private final List<Path> left = new ArrayList<>();
        private long removed;

        Walk(long dev) {
            this.dev = dev;
        }

        /** Empties and removes {@code dir}; returns false when something had to stay. */
        boolean directory(Path dir) {
            boolean empty = true;
            for (Path child : list(dir)) {
                empty &= entry(child);
            }
            if (empty) {
                sys.rmdir(dir.toString());
                removed++;
            }
            return empty;
        }

        private boolean entry(Path child) {
            Stat st;
            try {
                st = sys.lstat(child.toString());
            } catch (SyscallException e) {
                if (e.is(Errno.ENOENT)) {
                    return true; // gone meanwhile
                }
                throw e;
            }
            if (st.dev() != dev) {
                left.add(child);
                return false;
            }
            if (st.isDirectory()) {
                return directory(child);
            }
            sys.unlinkat(OpenFlags.AT_FDCWD, child.toString(), 0);
            removed++;
            return true;
        }

        private List<Path> list(Path dir) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(children::add);
            } catch (IOException e) {
                throw new LxjException("Failed to list directory \"" + dir + "\": " + e.getMessage(), e);
            }
            return children;
        }
    }
}
