package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.ContainerNetwork;

/** {@code lxc-info --format json} carries the addresses, interfaces and host-side counters of a running container. */
class InfoNetworkJsonTest {
    private final FakeRuntime runtime = new FakeRuntime(FakeRuntime.debianSystemConfig()) {
        @Override
        public Optional<ContainerNetwork> network(Path lxcpath, String name) {
            return Optional.of(new ContainerNetwork(List.of("10.0.3.2"), List.of("fd42::2"), List.of("eth0"),
                    List.of(new ContainerNetwork.Link("vethAB12CD", 100, 23))));
        }
    }.add(FakeContainer.running(GoldenTest.P, "web", FakeConfig.of(), 4242))
            .add(FakeContainer.stopped(GoldenTest.P, "off", FakeConfig.of()));

    private String run(String... args) {
        return GoldenTest.run(new InfoCommand(runtime, "0.1.0"), false, 0, List.of(args)).out();
    }

    @Test
    void runningContainerHasNetworkFields() {
        String out = run("-P", "/tmp/shell-oracle", "-n", "web", "--format=json");
        String flat = out.replaceAll("\\s+", "");
        assertTrue(flat.contains("\"network\":{\"ips\":[\"10.0.3.2\",\"fd42::2\"],\"ipv4\":[\"10.0.3.2\"],"
                + "\"ipv6\":[\"fd42::2\"],\"interfaces\":[\"eth0\"],\"links\":[{\"name\":\"vethAB12CD\","
                + "\"tx_bytes\":23,\"rx_bytes\":100,\"total_bytes\":123}]}"), out);
    }

    @Test
    void onlyAskedForOrDefaultSelectionsCarryIt() {
        assertFalse(run("-P", "/tmp/shell-oracle", "-n", "web", "-s", "--format=json").contains("network"));
        assertTrue(run("-P", "/tmp/shell-oracle", "-n", "web", "-i", "--format=json").contains("\"network\""));
        assertFalse(run("-P", "/tmp/shell-oracle", "-n", "off", "--format=json").contains("network"));
    }
}
