package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ContainerConfig;

/**
 * Mutated configs (seeded, so every run is the same): parsing, printing every key and rewriting either work
 * or fail with a {@link ConfigException}; nothing else may escape.
 */
class ConfigFuzzTest {
    private static final int ROUNDS = 20_000;
    private static final Path ORIGIN = Path.of("/fuzz/config");
    private static final String[] SEEDS = {
        "lxc.net.0.type = veth", "lxc.net.0.link = lxcbr0", "lxc.net.0.flags = up",
        "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx", "lxc.net.0.ipv4.address = 10.0.3.5/24 10.0.3.255",
        "lxc.net.0.ipv6.address = fd00::5/64", "lxc.net.1.type = macvlan", "lxc.net.1.macvlan.mode = bridge",
        "lxc.uts.name = \"anchor1\"", "lxc.cap.drop = sys_module mac_admin", "lxc.cap.keep = none",
        "lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0", "lxc.mount.auto = proc:mixed sys:ro",
        "lxc.idmap = u 0 100000 65536", "lxc.signal.halt = SIGRTMIN+3", "lxc.log.level = info",
        "lxc.prlimit.nofile = 1024:2048", "lxc.cgroup2.devices.allow = c 1:3 rwm", "lxc.time.offset.boot = 10s",
        "lxc.arch = amd64", "lxc.console.buffer.size = auto", "lxc.tty.max = 4", "lxc.hook.start = /bin/x",
        "lxc.environment = A=b", "lxc.namespace.clone = pid mnt", "lxc.network.type = veth",
        "lxc.network.ipv4 = 1.2.3.4", "lxc.utsname = old", "lxc.cap.drop =", "lxc.net =", "lxc.include = /dev/null",
        "# comment", "", "lxc.rootfs.path = dir:/r", "lxc.start.order = -3", "lxc.sysctl.net.x = 1",
    };
    private static final String NOISE = "=#.: \t\"'\\/-+0123456789abcxyzlxcnet\u0000\r\u00e9\u2603";

    @Test
    void onlyConfigExceptionEscapes() {
        Random random = new Random(20240601L);
        ConfigParser parser = new ConfigParser();
        List<String> keys = new ArrayList<>(KeyTable.exactKeys());
        keys.add("lxc.net.0.ipv4.address");
        keys.add("lxc.net.0.veth.pair");
        keys.add("lxc.net.1.macvlan.mode");
        keys.add("lxc.prlimit.nofile");
        int parsed = 0;
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            String text = mutate(random);
            try {
                ContainerConfig c = parser.parse(text, ORIGIN);
                parsed++;
                for (int i = 0; i < 3; i++) {
                    try {
                        c.item(keys.get(random.nextInt(keys.size())));
                    } catch (ConfigException expected) {
                        // an unknown key or a NIC that does not exist
                    }
                }
                ConfigDocument doc = ConfigDocument.parse(text);
                ConfigUpdater.rewrite(doc);
                doc.render();
            } catch (ConfigException expected) {
                assertTrue(expected.getMessage().startsWith(ORIGIN.toString()), expected.getMessage());
            } catch (RuntimeException | Error e) {
                fail("round " + round + " threw " + e + " for:\n" + text, e);
            }
        }
        assertTrue(parsed > 100, "only " + parsed + " mutated configs parsed");
    }

    private static String mutate(Random r) {
        StringBuilder sb = new StringBuilder();
        int lines = 1 + r.nextInt(8);
        for (int i = 0; i < lines; i++) {
            StringBuilder line = new StringBuilder(SEEDS[r.nextInt(SEEDS.length)]);
            int edits = r.nextInt(4);
            for (int e = 0; e < edits && line.length() > 0; e++) {
                int at = r.nextInt(line.length() + 1);
                switch (r.nextInt(4)) {
                    case 0 -> line.insert(at, NOISE.charAt(r.nextInt(NOISE.length())));
                    case 1 -> line.deleteCharAt(Math.min(at, line.length() - 1));
                    case 2 -> line.setCharAt(Math.min(at, line.length() - 1), NOISE.charAt(r.nextInt(NOISE.length())));
                    default -> line.insert(at, SEEDS[r.nextInt(SEEDS.length)]);
                }
            }
            sb.append(line).append(r.nextInt(10) == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }
}
