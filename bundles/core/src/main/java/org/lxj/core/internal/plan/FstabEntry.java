package org.lxj.core.internal.plan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.lxj.spi.launch.MountFlag;
import org.lxj.spi.launch.MountStep;
import org.lxj.spi.launch.Propagation;

/**
 * One {@code lxc.mount.entry} value or {@code lxc.mount.fstab} line in fstab syntax
 * ({@code source target fstype options [dump [pass]]}), turned into mount steps. Besides the kernel's options
 * it takes LXC's {@code create=dir|file}, {@code optional} and {@code relative}, and the propagation names.
 * A read-only bind becomes a bind and a read-only remount, since the kernel ignores {@code ro} on a bind.
 * <p>
 * The target is a path inside the container: relative as LXC writes it ({@code dev/shm}), or absolute; an
 * absolute target under the rootfs's host path ({@code /var/lib/lxc/c/rootfs/mnt}) is taken relative to it.
 */
final class FstabEntry {
    /** The field separator of an fstab line, compiled once (a start splits every mount entry). */
    static final Pattern FIELDS = Pattern.compile("[ \t]+");
    private static final Map<String, MountFlag> SET = Map.ofEntries(Map.entry("ro", MountFlag.RDONLY),
            Map.entry("nosuid", MountFlag.NOSUID), Map.entry("nodev", MountFlag.NODEV),
            Map.entry("noexec", MountFlag.NOEXEC), Map.entry("sync", MountFlag.SYNCHRONOUS),
            Map.entry("remount", MountFlag.REMOUNT), Map.entry("mand", MountFlag.MANDLOCK),
            Map.entry("dirsync", MountFlag.DIRSYNC), Map.entry("nosymfollow", MountFlag.NOSYMFOLLOW),
            Map.entry("noatime", MountFlag.NOATIME), Map.entry("nodiratime", MountFlag.NODIRATIME),
            Map.entry("bind", MountFlag.BIND), Map.entry("silent", MountFlag.SILENT),
            Map.entry("relatime", MountFlag.RELATIME), Map.entry("strictatime", MountFlag.STRICTATIME),
            Map.entry("lazytime", MountFlag.LAZYTIME));
    private static final Map<String, MountFlag> CLEAR = Map.ofEntries(Map.entry("rw", MountFlag.RDONLY),
            Map.entry("suid", MountFlag.NOSUID), Map.entry("dev", MountFlag.NODEV),
            Map.entry("exec", MountFlag.NOEXEC), Map.entry("async", MountFlag.SYNCHRONOUS),
            Map.entry("nomand", MountFlag.MANDLOCK), Map.entry("atime", MountFlag.NOATIME),
            Map.entry("diratime", MountFlag.NODIRATIME), Map.entry("norelatime", MountFlag.RELATIME),
            Map.entry("nostrictatime", MountFlag.STRICTATIME), Map.entry("nolazytime", MountFlag.LAZYTIME),
            Map.entry("loud", MountFlag.SILENT), Map.entry("symfollow", MountFlag.NOSYMFOLLOW));
    private static final Set<MountFlag> KEPT_ON_REMOUNT = EnumSet.of(MountFlag.NOSUID, MountFlag.NODEV,
            MountFlag.NOEXEC, MountFlag.NOATIME, MountFlag.NODIRATIME, MountFlag.RELATIME,
            MountFlag.STRICTATIME);

    private FstabEntry() {
    }

    /**
     * The steps of one line.
     *
     * @param line       the fstab line
     * @param rootfsHost the rootfs's host path, to turn LXC-style absolute targets into container paths
     * @throws IllegalArgumentException with the reason when the line is malformed
     */
    static List<MountStep> steps(String line, Path rootfsHost) {
        String[] f = FIELDS.split(line.trim());
        if (f.length < 4 || f.length > 6) {
            throw new IllegalArgumentException("Expected \"source target fstype options [dump [pass]]\", found "
                    + f.length + " fields");
        }
        String source = unescape(f[0]);
        Path target = target(unescape(f[1]), rootfsHost);
        String fstype = f[2].equals("none") ? "" : f[2];
        Set<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
        List<String> data = new ArrayList<>();
        Optional<Propagation> propagation = Optional.empty();
        MountStep.Create create = MountStep.Create.NONE;
        boolean optional = false;
        boolean relative = false;
        for (String opt : f[3].split(",")) {
            if (opt.isEmpty() || opt.equals("defaults")) {
                continue;
            }
            if (opt.equals("rbind")) {
                flags.add(MountFlag.BIND);
                flags.add(MountFlag.REC);
            } else if (SET.containsKey(opt)) {
                flags.add(SET.get(opt));
            } else if (CLEAR.containsKey(opt)) {
                flags.remove(CLEAR.get(opt));
            } else if (opt.startsWith("create=")) {
                create = switch (opt.substring("create=".length())) {
                    case "dir" -> MountStep.Create.DIR;
                    case "file" -> MountStep.Create.FILE;
                    default -> throw new IllegalArgumentException("Invalid option \"" + opt
                            + "\": expected create=dir or create=file");
                };
            } else if (opt.equals("optional")) {
                optional = true;
            } else if (opt.equals("relative")) {
                relative = true;
            } else if (propagation(opt).isPresent()) {
                propagation = propagation(opt);
            } else {
                data.add(opt);
            }
        }
        boolean bind = flags.contains(MountFlag.BIND);
        if (bind && !relative && !source.startsWith("/")) {
            throw new IllegalArgumentException("The source \"" + source + "\" of a bind mount must be an absolute "
                    + "path (or use the \"relative\" option)");
        }
        if (relative && !source.startsWith("/")) {
            source = "/" + source;
        }
        if (!bind && fstype.isEmpty() && !flags.contains(MountFlag.REMOUNT)) {
            throw new IllegalArgumentException("No filesystem type for a mount that is not a bind");
        }
        String dataText = String.join(",", data);
        List<MountStep> out = new ArrayList<>();
        if (bind && flags.contains(MountFlag.RDONLY)) {
            Set<MountFlag> first = EnumSet.copyOf(flags);
            first.remove(MountFlag.RDONLY);
            out.add(new MountStep(source, target, fstype, first, dataText, propagation, create, optional, relative));
            Set<MountFlag> again = EnumSet.of(MountFlag.BIND, MountFlag.REMOUNT, MountFlag.RDONLY);
            flags.stream().filter(KEPT_ON_REMOUNT::contains).forEach(again::add);
            out.add(new MountStep(target.toString(), target, "", again, "", Optional.empty(), MountStep.Create.NONE, optional, false));
        } else {
            out.add(new MountStep(source, target, fstype, flags, dataText, propagation, create, optional, relative));
        }
        return out;
    }

    static Optional<Propagation> propagation(String opt) {
        for (Propagation p : Propagation.values()) {
            if (p.optionName().equals(opt)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path target(String written, Path rootfsHost) {
        Path p = Path.of(written).normalize();
        if (p.isAbsolute()) {
            if (rootfsHost != null && p.startsWith(rootfsHost) && !rootfsHost.equals(Path.of("/"))) {
                return Path.of("/").resolve(rootfsHost.relativize(p));
            }
            return p;
        }
        Path inside = Path.of("/").resolve(p).normalize();
        if (written.isEmpty() || inside.toString().contains("..")) {
            throw new IllegalArgumentException("Invalid target \"" + written + "\"");
        }
        return inside;
    }

    /** fstab's octal escapes: {@code \040} for a space, {@code \011} for a tab, {@code \134} for a backslash. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
