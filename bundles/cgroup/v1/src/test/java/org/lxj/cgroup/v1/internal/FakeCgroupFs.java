package org.lxj.cgroup.v1.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.lxj.linux.Errno;
import org.lxj.linux.OpenFlags;
import org.lxj.linux.Syscall;
import org.lxj.linux.SyscallException;
import org.lxj.linux.Syscalls;
import org.lxj.linux.internal.JnaSyscalls;

/**
 * Real syscalls on a temporary directory that behaves enough like cgroupfs for unit tests: a new directory gets
 * the control files of its hierarchy ({@code cgroup.procs} and the listed ones, empty, {@code freezer.state}
 * THAWED, {@code cgroup.controllers} the parent's {@code cgroup.subtree_control}, {@code cgroup.clone_children}
 * the parent's, and when it is 1 the parent's cpuset {@code cpus} and {@code mems}); a write replaces a file's value
 * ({@code +c}/{@code -c} edit {@code cgroup.subtree_control}, a pid joins {@code cgroup.procs}); {@code rmdir}
 * removes the control files with the directory and fails with EBUSY while {@code cgroup.procs} lists a pid.
 * Every write is recorded.
 */
final class FakeCgroupFs implements InvocationHandler {
    private final Syscalls real = new JnaSyscalls();
    private final Map<Path, List<String>> filesPerMount;
    private final Map<Integer, Path> writers = new ConcurrentHashMap<>();
    final List<String> writes = new ArrayList<>();

    private FakeCgroupFs(Map<Path, List<String>> filesPerMount) {
        this.filesPerMount = filesPerMount;
    }

    /** Syscalls over fake hierarchies: mount point → control files each new cgroup gets. */
    static Fake of(Map<Path, List<String>> filesPerMount) {
        FakeCgroupFs h = new FakeCgroupFs(filesPerMount);
        Syscalls s = (Syscalls) Proxy.newProxyInstance(Syscalls.class.getClassLoader(), new Class<?>[] {Syscalls.class},
                h);
        return new Fake(s, h);
    }

    record Fake(Syscalls sys, FakeCgroupFs fs) {
    }

    private Path mountOf(Path p) {
        return filesPerMount.keySet().stream().filter(p::startsWith).findFirst().orElse(null);
    }

    @Override
    public Object invoke(Object proxy, java.lang.reflect.Method method, Object[] args) throws Throwable {
        switch (method.getName()) {
            case "mkdir" -> {
                Path dir = Path.of((String) args[0]);
                real.mkdir(dir.toString(), (Integer) args[1]);
                populate(dir);
                return null;
            }
            case "rmdir" -> {
                rmdir(Path.of((String) args[0]));
                return null;
            }
            case "open" -> {
                int fd = real.open((String) args[0], (Integer) args[1], (Integer) args[2]);
                if (((Integer) args[1] & OpenFlags.O_WRONLY) != 0) {
                    writers.put(fd, Path.of((String) args[0]));
                }
                return fd;
            }
            case "write" -> {
                Path file = writers.get((Integer) args[0]);
                if (file != null) {
                    byte[] b = (byte[]) args[1];
                    String value = new String(b, (Integer) args[2], (Integer) args[3], StandardCharsets.UTF_8);
                    write(file, value);
                    return args[3];
                }
                break;
            }
            case "close" -> writers.remove((Integer) args[0]);
            default -> {
            }
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private void populate(Path dir) throws IOException {
        Path mount = mountOf(dir);
        if (mount == null) {
            return;
        }
        Files.writeString(dir.resolve("cgroup.procs"), "");
        String cloneChildren = read(dir.getParent().resolve("cgroup.clone_children"));
        Files.writeString(dir.resolve("cgroup.clone_children"), cloneChildren.isEmpty() ? "0\n" : cloneChildren);
        for (String f : filesPerMount.get(mount)) {
            String initial = switch (f) {
                case "freezer.state" -> "THAWED\n";
                case "cpuset.cpus", "cpuset.mems" -> cloneChildren.trim().equals("1")
                        ? read(dir.getParent().resolve(f)) : "";
                case "cgroup.controllers" -> read(dir.getParent().resolve("cgroup.subtree_control"));
                default -> "";
            };
            Files.writeString(dir.resolve(f), initial);
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void write(Path file, String value) throws IOException {
        writes.add(file + "=" + value);
        String name = file.getFileName().toString();
        if (name.equals("cgroup.subtree_control")) {
            Set<String> on = new LinkedHashSet<>(words(read(file)));
            for (String w : words(value)) {
                if (w.startsWith("+")) {
                    on.add(w.substring(1));
                } else if (w.startsWith("-")) {
                    on.remove(w.substring(1));
                }
            }
            String text = String.join(" ", on) + "\n";
            Files.writeString(file, text);
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(), Files::isDirectory)) {
                for (Path child : ds) {
                    Files.writeString(child.resolve("cgroup.controllers"), text);
                }
            }
        } else if (name.equals("cgroup.procs")) {
            Files.writeString(file, read(file) + value.trim() + "\n");
        } else {
            Files.writeString(file, value);
        }
    }

    private static List<String> words(String s) {
        return Arrays.stream(s.trim().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }

    private void rmdir(Path dir) throws IOException {
        Path procs = dir.resolve("cgroup.procs");
        if (mountOf(dir) != null && Files.exists(procs) && !read(procs).isBlank()) {
            throw new SyscallException(Syscall.RMDIR, Errno.EBUSY, dir.toString());
        }
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, Files::isRegularFile)) {
                for (Path f : ds) {
                    Files.delete(f);
                }
            }
        }
        real.rmdir(dir.toString());
    }
}
