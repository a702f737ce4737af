package org.lxj.core.internal.lifecycle;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The config of a clone, snapshot or restored container, made from its source's lines as LXC's
 * {@code lxcapi_clone} makes it: the new {@code lxc.rootfs.path}; {@code lxc.uts.name} set to the new name unless
 * the name is kept; new random MAC addresses ({@code 00:16:3e:xx:xx:xx}) unless they are kept; every path under the
 * source's directory moved under the new one; then the extra lines. Comments and order are kept.
 */
final class CloneConfig {
    private static final Pattern ENTRY = Pattern.compile("^(\\s*)([A-Za-z0-9_.\\-]+)(\\s*=\\s*)(.*)$");
    private static final Pattern HWADDR = Pattern.compile("lxc\\.net\\.\\d+\\.hwaddr|lxc\\.network\\.hwaddr");
    private static final String MAC_PREFIX = "00:16:3e";
    private static final SecureRandom RANDOM = new SecureRandom();

    private CloneConfig() {
    }

    /**
     * @param source   the source's config lines
     * @param rootfs   the new {@code lxc.rootfs.path}
     * @param utsName  the new {@code lxc.uts.name}, empty to keep the source's
     * @param newMacs  whether to give every {@code hwaddr} a new random address
     * @param oldDir   the source's directory ({@code <lxcpath>/<name>})
     * @param newDir   the new container's directory
     * @param extra    lines appended at the end
     */
    static String rewrite(List<String> source, String rootfs, Optional<String> utsName, boolean newMacs, Path oldDir,
            Path newDir, List<String> extra) {
        return rewrite(source, rootfs, utsName, newMacs, oldDir, newDir, extra, CloneConfig::randomMac);
    }

    static String rewrite(List<String> source, String rootfs, Optional<String> utsName, boolean newMacs, Path oldDir,
            Path newDir, List<String> extra, Supplier<String> macs) {
        List<String> out = new ArrayList<>();
        boolean rootfsDone = false;
        boolean utsDone = utsName.isEmpty();
        for (String line : source) {
            Matcher m = ENTRY.matcher(line);
            if (line.trim().startsWith("#") || !m.matches()) {
                out.add(line);
                continue;
            }
            String key = m.group(2);
            if (key.equals("lxc.rootfs.path") || key.equals("lxc.rootfs")) {
                if (!rootfsDone) {
                    out.add("lxc.rootfs.path = " + rootfs);
                    rootfsDone = true;
                }
            } else if (key.equals("lxc.uts.name") && utsName.isPresent()) {
                if (!utsDone) {
                    out.add("lxc.uts.name = " + utsName.get());
                    utsDone = true;
                }
            } else if (newMacs && HWADDR.matcher(key).matches()) {
                out.add(m.group(1) + key + m.group(3) + macs.get());
            } else {
                out.add(m.group(1) + key + m.group(3) + movePaths(m.group(4), oldDir, newDir));
            }
        }
        if (!rootfsDone) {
            out.add("lxc.rootfs.path = " + rootfs);
        }
        if (!utsDone) {
            out.add("lxc.uts.name = " + utsName.get());
        }
        out.addAll(extra);
        return ConfigFiles.text(out);
    }

    /** {@code oldDir} and paths below it become {@code newDir} and the same paths below it. */
    static String movePaths(String value, Path oldDir, Path newDir) {
        String from = oldDir.toString();
        String to = newDir.toString();
        StringBuilder sb = new StringBuilder();
        int at = 0;
        for (int i = value.indexOf(from); i >= 0; i = value.indexOf(from, at)) {
            int end = i + from.length();
            boolean whole = (i == 0 || !Character.isLetterOrDigit(value.charAt(i - 1)) && value.charAt(i - 1) != '/'
                    && value.charAt(i - 1) != '_' && value.charAt(i - 1) != '-' && value.charAt(i - 1) != '.')
                    && (end == value.length() || "/: ,".indexOf(value.charAt(end)) >= 0);
            sb.append(value, at, i).append(whole ? to : from);
            at = end;
        }
        return sb.append(value.substring(at)).toString();
    }

    /** {@code 00:16:3e:xx:xx:xx} with random {@code xx}, as LXC gives clones. */
    static String randomMac() {
        byte[] b = new byte[3];
        RANDOM.nextBytes(b);
        return MAC_PREFIX + ":" + HexFormat.ofDelimiter(":").formatHex(b);
    }
}
