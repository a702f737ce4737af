package org.lxj.network.rtnetlink.internal;

import java.nio.file.Path;

import org.lxj.linux.Syscalls;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.LoggerFactory;

/**
 * The managed default bridge as a service for the veth backend and as the shell command {@code lxj:bridge}
 * ({@code up}, {@code down}, {@code status}), the counterpart of {@code systemctl start|stop lxc-net}. Its settings
 * come from the file of the framework property {@value #CONF_PROPERTY}, else {@code lxj-net.conf} beside the file of
 * {@code lxj.conf}, else LXC's defaults.
 */
@Component(service = BridgeCommand.class, property = { "osgi.command.scope=lxj", "osgi.command.function=bridge" })
public final class BridgeCommand {
    static final String CONF_PROPERTY = "lxj.net.conf";
    static final Path RUN_DIR = Path.of("/run/lxj/net");

    private final ManagedBridge bridge;

    @Activate
    public BridgeCommand(@Reference Syscalls sys, BundleContext context) {
        this(new ManagedBridge(sys, settings(confFile(context.getProperty(CONF_PROPERTY),
                context.getProperty("lxj.conf"))), RUN_DIR));
    }

    /** The file's settings; a bad file is logged and leaves the bridge off rather than every veth unusable. */
    static BridgeSettings settings(Path file) {
        try {
            return BridgeSettings.load(file);
        } catch (org.lxj.api.ConfigException e) {
            LoggerFactory.getLogger(BridgeCommand.class).error("Managed bridge disabled: {}", e.getMessage());
            BridgeSettings d = BridgeSettings.defaults();
            return new BridgeSettings(false, d.name(), d.address(), d.prefixLength(), d.nat(), d.dhcpRange(),
                    d.dhcpMax());
        }
    }

    BridgeCommand(ManagedBridge bridge) {
        this.bridge = bridge;
    }

    static Path confFile(String netConf, String lxjConf) {
        if (netConf != null && !netConf.isBlank()) {
            return Path.of(netConf.trim());
        }
        if (lxjConf != null && !lxjConf.isBlank()) {
            Path parent = Path.of(lxjConf.trim()).toAbsolutePath().getParent();
            return parent.resolve("lxj-net.conf");
        }
        return Path.of("/etc/lxj/lxj-net.conf");
    }

    ManagedBridge bridge() {
        return bridge;
    }

    /** {@code lxj:bridge up|down|status}. */
    public String bridge(String action) {
        BridgeSettings s = bridge.settings();
        return switch (action) {
            case "up" -> {
                bridge.ensureUp();
                yield status();
            }
            case "down" -> {
                bridge.down();
                yield s.name() + ": down";
            }
            case "status" -> status();
            default -> throw new IllegalArgumentException("Invalid action \"" + action
                    + "\": expected up, down or status");
        };
    }

    private String status() {
        BridgeSettings s = bridge.settings();
        return s.name() + ": " + (bridge.isUp() ? "up" : "down") + ", " + s.address().getHostAddress() + "/"
                + s.prefixLength() + ", NAT " + (s.nat() ? "on" : "off") + ", DHCP "
                + (s.dhcpRange().isEmpty() ? "off" : s.dhcpRange());
    }
}
