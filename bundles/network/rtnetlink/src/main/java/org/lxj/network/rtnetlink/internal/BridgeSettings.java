package org.lxj.network.rtnetlink.internal;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.lxj.api.ConfigException;

/**
 * The managed default bridge, as LXC's {@code lxc-net} reads it from {@code /etc/default/lxc-net}:
 * {@code USE_LXC_BRIDGE}, {@code LXC_BRIDGE}, {@code LXC_ADDR}, {@code LXC_NETMASK}, {@code LXC_NETWORK},
 * {@code LXC_DHCP_RANGE}, {@code LXC_DHCP_MAX} and LXJ's {@code LXJ_NAT} (whether traffic from the bridge's
 * network is masqueraded). Lines are {@code KEY="value"}; unknown keys and comments are ignored, as a shell would.
 *
 * @param enabled      {@code USE_LXC_BRIDGE}: whether containers may have the bridge made for them
 * @param name         {@code LXC_BRIDGE}
 * @param address      {@code LXC_ADDR}: the bridge's own IPv4 address, the containers' gateway
 * @param prefixLength from {@code LXC_NETMASK}
 * @param nat          {@code LXJ_NAT}
 * @param dhcpRange    {@code LXC_DHCP_RANGE} ({@code first,last}), empty for no DHCP
 * @param dhcpMax      {@code LXC_DHCP_MAX}
 */
public record BridgeSettings(boolean enabled, String name, InetAddress address, int prefixLength, boolean nat,
        String dhcpRange, int dhcpMax) {

    /** LXC's defaults: {@code lxcbr0}, 10.0.3.1/24, NAT, DHCP 10.0.3.2 to 10.0.3.254. */
    public static BridgeSettings defaults() {
        return new BridgeSettings(true, "lxcbr0", ipv4("10.0.3.1"), 24, true, "10.0.3.2,10.0.3.254", 253);
    }

    /** The bridge's network ({@code 10.0.3.0/24}). */
    public String network() {
        byte[] b = address.getAddress();
        for (int bit = prefixLength; bit < 32; bit++) {
            b[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(b).getHostAddress() + "/" + prefixLength;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads {@code file}; a missing file gives the defaults. */
    public static BridgeSettings load(Path file) {
        String text;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return defaults();
        } catch (IOException e) {
            throw new ConfigException(file, 0, null, null, "Failed to read \"" + file + "\": " + e.getMessage());
        }
        return parse(file, text);
    }

    static BridgeSettings parse(Path file, String text) {
        BridgeSettings d = defaults();
        Map<String, String> v = new java.util.HashMap<>();
        Map<String, Integer> lines = new java.util.HashMap<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            String line = all[i].strip();
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
                    || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            String key = line.substring(0, eq).strip();
            v.put(key, value);
            lines.put(key, i + 1);
        }
        boolean enabled = bool(v.get("USE_LXC_BRIDGE"), d.enabled());
        String name = Optional.ofNullable(v.get("LXC_BRIDGE")).filter(s -> !s.isEmpty()).orElse(d.name());
        if (name.length() > 15 || !name.matches("[A-Za-z0-9_.-]+")) {
            throw new ConfigException(file, lines.get("LXC_BRIDGE"), "LXC_BRIDGE", name,
                    "Invalid bridge name \"" + name + "\": expected at most 15 letters, digits, '_', '.' or '-'");
        }
        InetAddress address = d.address();
        if (v.containsKey("LXC_ADDR")) {
            address = parseV4(file, lines.get("LXC_ADDR"), "LXC_ADDR", v.get("LXC_ADDR"));
        }
        int prefix = d.prefixLength();
        if (v.containsKey("LXC_NETMASK")) {
            prefix = prefixOf(file, lines.get("LXC_NETMASK"), v.get("LXC_NETMASK"));
        } else if (v.containsKey("LXC_NETWORK") && v.get("LXC_NETWORK").contains("/")) {
            String p = v.get("LXC_NETWORK").substring(v.get("LXC_NETWORK").indexOf('/') + 1);
            try {
                prefix = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 1 || prefix > 30) {
                throw new ConfigException(file, lines.get("LXC_NETWORK"), "LXC_NETWORK", v.get("LXC_NETWORK"),
                        "Invalid network \"" + v.get("LXC_NETWORK") + "\": expected a.b.c.d/1-30");
            }
        }
        String range = v.getOrDefault("LXC_DHCP_RANGE", d.dhcpRange());
        if (!range.isEmpty()) {
            String[] ends = range.split(",");
            if (ends.length != 2) {
                throw new ConfigException(file, lines.get("LXC_DHCP_RANGE"), "LXC_DHCP_RANGE", range,
                        "Invalid DHCP range \"" + range + "\": expected first,last");
            }
            parseV4(file, lines.get("LXC_DHCP_RANGE"), "LXC_DHCP_RANGE", ends[0].strip());
            parseV4(file, lines.get("LXC_DHCP_RANGE"), "LXC_DHCP_RANGE", ends[1].strip());
        }
        int max = d.dhcpMax();
        if (v.containsKey("LXC_DHCP_MAX")) {
            try {
                max = Integer.parseInt(v.get("LXC_DHCP_MAX"));
            } catch (NumberFormatException e) {
                max = -1;
            }
            if (max < 1) {
                throw new ConfigException(file, lines.get("LXC_DHCP_MAX"), "LXC_DHCP_MAX", v.get("LXC_DHCP_MAX"),
                        "Invalid DHCP lease maximum \"" + v.get("LXC_DHCP_MAX") + "\": expected a positive number");
            }
        }
        return new BridgeSettings(enabled, name, address, prefix, bool(v.get("LXJ_NAT"), d.nat()), range, max);
    }

    private static boolean bool(String value, boolean fallback) {
        return value == null || value.isEmpty() ? fallback : value.equals("true") || value.equals("1");
    }

    private static int prefixOf(Path file, Integer line, String mask) {
        byte[] b = parseV4(file, line, "LXC_NETMASK", mask).getAddress();
        int bits = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int prefix = Integer.bitCount(bits);
        if (bits != (prefix == 0 ? 0 : -1 << (32 - prefix)) || prefix < 1 || prefix > 30) {
            throw new ConfigException(file, line, "LXC_NETMASK", mask,
                    "Invalid netmask \"" + mask + "\": expected contiguous ones, /1 to /30");
        }
        return prefix;
    }

    private static InetAddress parseV4(Path file, Integer line, String key, String text) {
        if (!text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new ConfigException(file, line == null ? 0 : line, key, text,
                    "Invalid IPv4 address \"" + text + "\" in " + key);
        }
        try {
            InetAddress a = InetAddress.getByName(text);
            if (!(a instanceof Inet4Address)) {
                throw new UnknownHostException(text);
            }
            return a;
        } catch (UnknownHostException e) {
            throw new ConfigException(file, line == null ? 0 : line, key, text,
                    "Invalid IPv4 address \"" + text + "\" in " + key);
        }
    }

    private static InetAddress ipv4(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
