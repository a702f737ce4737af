package org.lxj.storage.lvm.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.lxj.spi.backend.BackendException;

/** The lvm2 commands LXJ runs, as LXC's {@code lvm.c} runs them, with the rootfs path syntax. */
final class Lvm {

    static final String TYPE = "lvm";
    static final String PREFIX = TYPE + ":";

    /** A logical volume: {@code /dev/<vg>/<lv>}. */
    record Volume(String vg, String lv) {
        Volume {
            checkName("volume group", vg);
            checkName("logical volume", lv);
        }

        Path device() {
            return Path.of("/dev", vg, lv);
        }

        String spec() {
            return vg + "/" + lv;
        }

        String rootfsPath() {
            return PREFIX + device();
        }
    }

    private final LvmTools tools;

    Lvm(LvmTools tools) {
        this.tools = tools;
    }

    /** lvm2's rule for names: letters, digits and {@code + _ . -}, not starting with {@code -}. */
    static void checkName(String what, String name) {
        if (name.isEmpty() || name.startsWith("-") || !name.matches("[A-Za-z0-9+_.-]+")
                || name.equals(".") || name.equals("..")) {
            throw new BackendException("Invalid " + what + " name \"" + name + "\"");
        }
    }

    /** Parses {@code lvm:/dev/vg/lv} or {@code /dev/vg/lv}. */
    static Volume parse(String rootfsPath) {
        String p = rootfsPath.startsWith(PREFIX) ? rootfsPath.substring(PREFIX.length()) : rootfsPath;
        String[] parts = p.split("/", -1);
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("dev")) {
            throw new BackendException("Invalid lvm rootfs \"" + rootfsPath + "\": expected \"lvm:/dev/VG/LV\"");
        }
        return new Volume(parts[2], parts[3]);
    }

    /** The {@code lv_attr} of a volume, empty when it does not exist. */
    String attributes(Volume v) {
        try {
            return tools.run(List.of("lvs", "--noheadings", "-o", "lv_attr", v.spec())).strip();
        } catch (BackendException e) {
            return "";
        }
    }

    boolean exists(Volume v) {
        return !attributes(v).isEmpty();
    }

    /** Whether {@code v} is a thin pool ({@code lv_attr} starts with {@code t}). */
    boolean isThinPool(Volume v) {
        return attributes(v).startsWith("t");
    }

    /** Whether {@code v} is a thin volume ({@code lv_attr} starts with {@code V}). */
    boolean isThinVolume(Volume v) {
        return attributes(v).startsWith("V");
    }

    /** The size of {@code v} in bytes. */
    long size(Volume v) {
        String out = tools.run(List.of("lvs", "--noheadings", "--units", "b", "--nosuffix", "-o", "lv_size",
                v.spec())).strip();
        try {
            return Long.parseLong(out);
        } catch (NumberFormatException e) {
            throw new BackendException("Failed to read the size of \"" + v.spec() + "\": lvs printed \"" + out + "\"");
        }
    }

    /** A thin volume in {@code pool} when given, else a plain one, of {@code bytes}. */
    void create(Volume v, Volume pool, long bytes) {
        List<String> cmd = new ArrayList<>(List.of("lvcreate", "-q", "-y", "-Wy"));
        if (pool != null) {
            cmd.addAll(List.of("--thinpool", pool.spec(), "-V", bytes + "b", "-n", v.lv()));
        } else {
            cmd.addAll(List.of("-L", bytes + "b", "-n", v.lv(), v.vg()));
        }
        tools.run(cmd);
    }

    /** A thin snapshot {@code dest} of the thin volume {@code source}, activated (thin snapshots skip it). */
    void snapshot(Volume source, Volume dest) {
        tools.run(List.of("lvcreate", "-q", "-y", "-s", "-n", dest.lv(), source.spec()));
        try {
            tools.run(List.of("lvchange", "-q", "-ay", "-K", dest.spec()));
        } catch (BackendException e) {
            remove(dest);
            throw e;
        }
    }

    void remove(Volume v) {
        tools.run(List.of("lvremove", "-q", "-f", v.spec()));
    }

    /** {@code mkfs.<fstype>} on the volume, forced and quiet. */
    void mkfs(String fstype, Volume v) {
        if (!fstype.matches("[a-z0-9]+")) {
            throw new BackendException("Invalid fstype \"" + fstype + "\"");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add("mkfs." + fstype);
        switch (fstype) {
            case "ext2", "ext3", "ext4" -> cmd.addAll(List.of("-F", "-q"));
            case "xfs", "btrfs" -> cmd.addAll(List.of("-f", "-q"));
            default -> {
                // others take the device alone
            }
        }
        cmd.add(v.device().toString());
        tools.run(cmd);
    }

    /** LXC's size strings: a number with an optional {@code B}, {@code K}, {@code M}, {@code G}, {@code T}. */
    static long parseSize(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        if (t.length() > 1 && t.endsWith("B") && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long unit = 1;
        if (!t.isEmpty() && "BKMGT".indexOf(t.charAt(t.length() - 1)) >= 0) {
            unit = 1L << (10 * "BKMGT".indexOf(t.charAt(t.length() - 1)));
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = Long.parseLong(t);
            if (n <= 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new BackendException("Invalid fssize \"" + s + "\"");
        }
    }
}
