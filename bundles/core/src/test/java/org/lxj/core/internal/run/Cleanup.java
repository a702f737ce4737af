package org.lxj.core.internal.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.lxj.linux.Syscalls;

/** Teardown helpers of the root tests: tolerant of what is already gone, never crossing into a mount. */
final class Cleanup {
    private static final int MNT_DETACH = 2;

    private Cleanup() {
    }

    /** Mount points at or below {@code dir} in this process's mount namespace, deepest first. */
    static List<Path> mountsUnder(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            Path p = Path.of(f[4].replace("\\040", " "));
            if (p.startsWith(dir)) {
                out.add(p);
            }
        }
        out.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return out;
    }

    static void detachMountsUnder(Syscalls sys, Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        for (Path p : mountsUnder(dir)) {
            try {
                sys.umount2(p.toString(), MNT_DETACH);
            } catch (RuntimeException e) {
                System.err.println("teardown: umount " + p + ": " + e.getMessage());
            }
        }
    }

    /** Deletes a tree, refusing to descend when something is still mounted below it. */
    static void deleteTree(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        if (!mountsUnder(dir).isEmpty()) {
            System.err.println("teardown: not deleting " + dir + ", mounts remain: " + mountsUnder(dir));
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // gone already
                }
            }
        }
    }

    /** Host processes whose working directory or root is at or below {@code dir}. */
    static List<Integer> processesWithCwdOrRootUnder(Path dir) {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                for (String link : List.of("cwd", "root")) {
                    try {
                        if (Files.readSymbolicLink(p.resolve(link)).startsWith(dir)) {
                            out.add(Integer.parseInt(p.getFileName().toString()));
                        }
                    } catch (IOException | RuntimeException ignored) {
                        // exited, or a kernel thread
                    }
                }
            }
        } catch (IOException ignored) {
            return out;
        }
        return out;
    }
}
