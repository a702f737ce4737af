package org.lxj.template.local.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The config lxc-local leaves: what core wrote is split into network keys, other {@code lxc.} keys and
 * the rest; the image's config follows the rest under "# Distribution configuration", then core's keys
 * under "# Container specific configuration" with the fstab and name, then the network keys under
 * "# Network configuration". The header always appears, even with nothing under it.
 */
final class LocalConfig {

    /** lxc-local moves lines matching the sed pattern {@code /lxc.net.0/}: any character for each dot. */
    private static final Pattern NETWORK = Pattern.compile("lxc.net.0");
    /** ...and then every line matching {@code /lxc./}. */
    private static final Pattern KEY = Pattern.compile("lxc.");

    private LocalConfig() {
    }

    /**
     * @param existing     the config as core wrote it
     * @param distribution the image's {@code config} file
     * @param fstab        the {@code lxc.mount.fstab} value when the image has an fstab
     */
    static String rewrite(String existing, String distribution, String name, Optional<String> fstab) {
        List<String> rest = new ArrayList<>();
        List<String> network = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (String line : existing.lines().toList()) {
            if (NETWORK.matcher(line).find()) {
                network.add(line);
            } else if (KEY.matcher(line).find()) {
                keys.add(line);
            } else {
                rest.add(line);
            }
        }
        StringBuilder b = new StringBuilder();
        rest.forEach(l -> b.append(l).append('\n'));
        // the image's file is copied as is, then lxc-local's echo "" ends its last line or adds a blank one
        b.append('\n').append("# Distribution configuration\n").append(distribution);
        b.append('\n').append("# Container specific configuration\n");
        keys.forEach(l -> b.append(l).append('\n'));
        fstab.ifPresent(f -> b.append("lxc.mount.fstab = ").append(f).append('\n'));
        b.append("lxc.uts.name = ").append(name).append('\n');
        b.append('\n').append("# Network configuration\n");
        network.forEach(l -> b.append(l).append('\n'));
        return b.toString();
    }
}
