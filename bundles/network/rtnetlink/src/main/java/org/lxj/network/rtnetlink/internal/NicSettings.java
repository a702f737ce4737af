package org.lxj.network.rtnetlink.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.linux.netlink.Macs;
import org.lxj.spi.backend.ContainerContext;
import org.lxj.spi.network.NicConfig;

/**
 * The {@code lxc.net.N.*} keys every rtnetlink backend shares, parsed and checked: a bad value is a
 * {@link ConfigException} naming its file, line and key.
 */
final class NicSettings {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** An address with its prefix and, for IPv4, broadcast. */
    record Address(InetAddress address, int prefixLength, Optional<InetAddress> broadcast) {
    }

    /** {@code ipv4.gateway}/{@code ipv6.gateway}: an address, {@code auto} or {@code dev}. */
    record Gateway(Optional<InetAddress> address, boolean auto, boolean dev) {
    }

    private final ContainerContext context;
    private final NicConfig nic;

    NicSettings(ContainerContext context, NicConfig nic) {
        this.context = context;
        this.nic = nic;
    }

    NicConfig nic() {
        return nic;
    }

    Optional<String> name() {
        return nic.name().map(String::trim).filter(s -> !s.isEmpty());
    }

    Optional<String> link() {
        return nic.link().map(String::trim).filter(s -> !s.isEmpty());
    }

    String requireLink() {
        return link().orElseThrow(() -> invalid("link", "", "Network interface " + nic.index() + " of type \""
                + nic.type() + "\" needs lxc.net." + nic.index() + ".link"));
    }

    boolean up() {
        return nic.up();
    }

    int mtu() {
        return nic.value("mtu").map(String::trim).filter(s -> !s.isEmpty()).map(v -> {
            try {
                int m = Integer.parseInt(v);
                if (m >= 68 && m <= 65535) {
                    return m;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw invalid("mtu", v, "Invalid MTU \"" + v + "\": expected 68 to 65535");
        }).orElse(0);
    }

    /** {@code hwaddr} with every {@code x} replaced by a random hex digit, as LXC does at start. */
    Optional<byte[]> hwaddr() {
        return nic.value("hwaddr").map(String::trim).filter(s -> !s.isEmpty()).map(v -> {
            try {
                return Macs.parse(expandTemplate(v));
            } catch (IllegalArgumentException e) {
                throw invalid("hwaddr", v, "Invalid MAC address \"" + v + "\"");
            }
        });
    }

    /** Replaces each {@code x} of a MAC template by a random hex digit, keeping the first byte unicast. */
    static String expandTemplate(String template) {
        StringBuilder out = new StringBuilder(template.length());
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == 'x') {
                int digit = RANDOM.nextInt(16);
                if (i == 1) {
                    digit &= 0xe; // the multicast bit of the first byte
                }
                out.append(Character.forDigit(digit, 16));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    List<Address> ipv4() {
        return addresses("ipv4.address", false);
    }

    List<Address> ipv6() {
        return addresses("ipv6.address", true);
    }

    Optional<Gateway> ipv4Gateway() {
        return gateway("ipv4.gateway", false);
    }

    Optional<Gateway> ipv6Gateway() {
        return gateway("ipv6.gateway", true);
    }

    /** {@code veth.ipv4.route}/{@code veth.ipv6.route} entries: destinations reached through the host side. */
    List<Address> routes(String subkey, boolean v6) {
        return addresses(subkey, v6);
    }

    Optional<String> value(String subkey) {
        return nic.value(subkey).map(String::trim).filter(s -> !s.isEmpty());
    }

    private List<Address> addresses(String subkey, boolean v6) {
        List<Address> out = new ArrayList<>();
        for (String raw : nic.values(subkey)) {
            for (String one : raw.trim().split(",")) {
                String v = one.trim();
                if (!v.isEmpty()) {
                    out.add(address(subkey, v, v6));
                }
            }
        }
        return out;
    }

    private Address address(String subkey, String v, boolean v6) {
        String[] parts = v.split("\\s+");
        String[] ap = parts[0].split("/", 2);
        InetAddress a = ip(subkey, v, ap[0], v6);
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (ap.length == 2) {
            try {
                prefix = Integer.parseInt(ap[1]);
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > max) {
                throw invalid(subkey, v, "Invalid prefix length in \"" + v + "\": expected 0 to " + max);
            }
        }
        Optional<InetAddress> broadcast = Optional.empty();
        if (parts.length > 1) {
            broadcast = Optional.of(ip(subkey, v, parts[1], v6));
        } else if (!v6 && prefix < 31) {
            broadcast = Optional.of(broadcastOf(a, prefix));
        }
        return new Address(a, prefix, v6 ? Optional.empty() : broadcast);
    }

    static InetAddress broadcastOf(InetAddress a, int prefix) {
        byte[] b = a.getAddress();
        int v = ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
        int host = prefix == 0 ? -1 : (1 << (32 - prefix)) - 1;
        v |= host;
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8),
                (byte) v});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Optional<Gateway> gateway(String subkey, boolean v6) {
        return value(subkey).map(v -> switch (v) {
            case "auto" -> new Gateway(Optional.empty(), true, false);
            case "dev" -> new Gateway(Optional.empty(), false, true);
            default -> new Gateway(Optional.of(ip(subkey, v, v, v6)), false, false);
        });
    }

    private InetAddress ip(String subkey, String whole, String text, boolean v6) {
        // only literal addresses: a name here must never cause a DNS lookup
        boolean literal = v6 ? text.contains(":") && text.matches("[0-9a-fA-F:.]+")
                : text.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        if (literal) {
            try {
                InetAddress a = InetAddress.getByName(text);
                if (v6 ? a instanceof Inet6Address : a instanceof Inet4Address) {
                    return a;
                }
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw invalid(subkey, whole, "Invalid " + (v6 ? "IPv6" : "IPv4") + " address \"" + text + "\"");
    }

    /** A {@link ConfigException} at the line of {@code lxc.net.N.<subkey>}. */
    ConfigException invalid(String subkey, String value, String reason) {
        String key = "lxc.net." + nic.index() + "." + subkey;
        Optional<ConfigEntry> e = context.config().entries().stream().filter(c -> c.key().equals(key))
                .reduce((a, b) -> b);
        Path file = e.map(ConfigEntry::file).orElse(context.containerDir().resolve("config"));
        return new ConfigException(file, e.map(ConfigEntry::line).orElse(0), key, value, reason);
    }
}
