package org.lxj.network.rtnetlink.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.lxj.linux.Errno;
import org.lxj.linux.Syscalls;
import org.lxj.linux.netlink.LinkInfo;
import org.lxj.linux.netlink.NetlinkException;
import org.lxj.linux.netlink.RouteSocket;
import org.lxj.linux.netlink.RtRequests;
import org.lxj.spi.backend.BackendException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The managed default bridge, what LXC's {@code lxc-net} service sets up: the bridge with its address, with
 * {@code LXJ_NAT} an nftables table of its own ({@code ip lxj_<bridge>}, no other table is touched) that
 * masquerades the bridge's network and accepts its forwarding, DHCP and DNS, and a {@code dnsmasq} serving
 * {@code LXC_DHCP_RANGE} when dnsmasq is installed. Made by the first container whose {@code link} is the bridge;
 * {@link #down} removes all of it. Everything runs in the calling thread's network namespace.
 */
public final class ManagedBridge {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedBridge.class);
    private static final List<String> DNSMASQ = List.of("/usr/sbin/dnsmasq", "/usr/bin/dnsmasq");
    private static final List<String> NFT = List.of("/usr/sbin/nft", "/sbin/nft", "/usr/bin/nft");

    private final Syscalls sys;
    private final BridgeSettings settings;
    private final Path runDir;

    /**
     * @param runDir where the dnsmasq pid and lease files go ({@code /run/lxj/net})
     */
    public ManagedBridge(Syscalls sys, BridgeSettings settings, Path runDir) {
        this.sys = sys;
        this.settings = settings;
        this.runDir = runDir;
    }

    public BridgeSettings settings() {
        return settings;
    }

    /** The nftables table of the bridge: {@code lxj_} and its name, other characters as {@code _}. */
    public String table() {
        return "lxj_" + settings.name().replaceAll("[^A-Za-z0-9_]", "_");
    }

    Path pidFile() {
        return runDir.resolve(settings.name() + ".dnsmasq.pid");
    }

    /** Whether {@code link} is this bridge and it may be made on demand. */
    public boolean manages(String link) {
        return settings.enabled() && settings.name().equals(link);
    }

    /** Makes the bridge, its NAT and its DHCP unless the bridge exists already; serialised across containers. */
    public synchronized void ensureUp() {
        try (RouteSocket s = new RouteSocket(sys)) {
            if (s.link(settings.name()).isPresent()) {
                return;
            }
            long t0 = System.nanoTime();
            try {
                s.apply(RtRequests.newLink(settings.name(), "bridge", 0, null));
            } catch (NetlinkException e) {
                if (!e.is(Errno.EEXIST)) {
                    throw e;
                }
                return;
            }
            try {
                LinkInfo br = s.require(settings.name());
                s.apply(RtRequests.addAddress(br.index(), settings.address(), settings.prefixLength(),
                        Optional.of(broadcast())));
                s.apply(new RtRequests.LinkChange(br.index(), settings.name()).up(true));
                if (settings.nat()) {
                    writeSysctl("/proc/sys/net/ipv4/ip_forward", "1");
                    nft(rules());
                }
                startDnsmasq();
            } catch (RuntimeException e) {
                down();
                throw e;
            }
            LOG.info("Managed bridge \"{}\" up with {}/{} in {} ms", settings.name(),
                    settings.address().getHostAddress(), settings.prefixLength(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Removes dnsmasq, the nftables table and the bridge; what is already gone is not an error. */
    public synchronized void down() {
        stopDnsmasq();
        if (settings.nat() || tableExists()) {
            deleteTable();
        }
        try (RouteSocket s = new RouteSocket(sys)) {
            if (s.link(settings.name()).isPresent()) {
                s.apply(RtRequests.deleteLink(settings.name()));
            }
        }
    }

    /** Whether the bridge exists in the calling thread's network namespace. */
    public boolean isUp() {
        try (RouteSocket s = new RouteSocket(sys)) {
            return s.link(settings.name()).isPresent();
        }
    }

    String rules() {
        String br = settings.name();
        String net = settings.network();
        return "table ip " + table() + " {\n"
                + "  chain input {\n"
                + "    type filter hook input priority filter; policy accept;\n"
                + "    iifname \"" + br + "\" udp dport { 53, 67 } accept\n"
                + "    iifname \"" + br + "\" tcp dport 53 accept\n"
                + "  }\n"
                + "  chain forward {\n"
                + "    type filter hook forward priority filter; policy accept;\n"
                + "    iifname \"" + br + "\" accept\n"
                + "    oifname \"" + br + "\" accept\n"
                + "  }\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority srcnat; policy accept;\n"
                + "    ip saddr " + net + " ip daddr != " + net + " counter masquerade\n"
                + "  }\n"
                + "}\n";
    }

    private java.net.InetAddress broadcast() {
        byte[] b = settings.address().getAddress();
        for (int bit = settings.prefixLength(); bit < 32; bit++) {
            b[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        try {
            return java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean tableExists() {
        Optional<String> nft = find(NFT);
        return nft.isPresent() && run(List.of(nft.get(), "list", "table", "ip", table()), null).status() == 0;
    }

    private void deleteTable() {
        Optional<String> nft = find(NFT);
        if (nft.isEmpty()) {
            return;
        }
        Result r = run(List.of(nft.get(), "delete", "table", "ip", table()), null);
        if (r.status() != 0 && !r.output().contains("No such file")) {
            LOG.warn("Failed to delete nftables table \"ip {}\": {}", table(), r.output().strip());
        }
    }

    private void nft(String script) {
        String nft = find(NFT).orElseThrow(() -> new BackendException("Failed to set up NAT for bridge \""
                + settings.name() + "\": nft is not installed"));
        // replace a leftover table of ours so that a re-run starts from known rules
        deleteTable();
        Result r = run(List.of(nft, "-f", "-"), script);
        if (r.status() != 0) {
            throw new BackendException("Failed to set up NAT for bridge \"" + settings.name() + "\": nft: "
                    + r.output().strip());
        }
    }

    private void startDnsmasq() {
        Optional<String> dnsmasq = find(DNSMASQ);
        if (settings.dhcpRange().isEmpty() || dnsmasq.isEmpty()) {
            LOG.info("Managed bridge \"{}\": no DHCP ({})", settings.name(),
                    dnsmasq.isEmpty() ? "dnsmasq is not installed" : "LXC_DHCP_RANGE is empty");
            return;
        }
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new BackendException("Failed to create \"" + runDir + "\": " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>(List.of(dnsmasq.get(), "--conf-file=/dev/null", "--strict-order",
                "--bind-interfaces", "--pid-file=" + pidFile(), "--listen-address=" + settings.address().getHostAddress(),
                "--dhcp-range=" + settings.dhcpRange(), "--dhcp-lease-max=" + settings.dhcpMax(),
                "--dhcp-no-override", "--except-interface=lo", "--interface=" + settings.name(),
                "--dhcp-leasefile=" + runDir.resolve(settings.name() + ".leases"), "--dhcp-authoritative"));
        Result r = run(argv, null);
        if (r.status() != 0) {
            throw new BackendException("Failed to start dnsmasq for bridge \"" + settings.name() + "\": "
                    + r.output().strip());
        }
    }

    private void stopDnsmasq() {
        Path pid = pidFile();
        if (!Files.exists(pid)) {
            return;
        }
        try {
            int p = Integer.parseInt(Files.readString(pid, StandardCharsets.UTF_8).strip());
            String cmd = new String(Files.readAllBytes(Path.of("/proc/" + p + "/cmdline")), StandardCharsets.UTF_8);
            // only the dnsmasq we started for this bridge
            if (cmd.contains("dnsmasq") && cmd.contains("--pid-file=" + pid)) {
                ProcessHandle.of(p).ifPresent(h -> {
                    h.destroy();
                    h.onExit().join();
                });
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("dnsmasq of \"{}\": {}", settings.name(), e.getMessage());
        }
        try {
            Files.deleteIfExists(pid);
            Files.deleteIfExists(runDir.resolve(settings.name() + ".leases"));
        } catch (IOException e) {
            LOG.warn("Failed to remove \"{}\": {}", pid, e.getMessage());
        }
    }

    private static void writeSysctl(String file, String value) {
        try {
            Files.writeString(Path.of(file), value);
        } catch (IOException e) {
            throw new BackendException("Failed to write \"" + value + "\" to \"" + file + "\": " + e.getMessage(), e);
        }
    }

    private static Optional<String> find(List<String> candidates) {
        return candidates.stream().filter(c -> Files.isExecutable(Path.of(c))).findFirst();
    }

    private record Result(int status, String output) {
    }

    private static Result run(List<String> argv, String stdin) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Result(p.waitFor(), out);
        } catch (IOException e) {
            throw new BackendException("Failed to run \"" + argv.get(0) + "\": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("Interrupted while running \"" + argv.get(0) + "\"", e);
        }
    }
}
