package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.config.ContainerConfig;
import org.lxj.core.internal.config.ConfigParser;

/** {@code -s KEY=VALUE} overrides as a start applies them: each value a config line after the config file. */
class StartOverridesTest {
    @TempDir
    Path tmp;

    private ContainerConfig load(String config, Map<String, String> overrides) throws IOException {
        Path file = Files.writeString(tmp.resolve("config"), config);
        ConfigParser parser = new ConfigParser();
        ContainerStarter starter = new ContainerStarter(null, null, Optional::empty, List::of, parser::parse);
        return starter.load(file, overrides);
    }

    @Test
    void everyValueOfARepeatedListKeyIsAddedToTheConfigsOwn() throws IOException {
        ContainerConfig c = load("lxc.environment = FROM_CONFIG=1\nlxc.uts.name = config\n",
                Map.of("lxc.environment", "A=1\nB=two words"));
        assertEquals(List.of("FROM_CONFIG=1", "A=1", "B=two words"), c.values("lxc.environment"));
        assertEquals(Optional.of("config"), c.value("lxc.uts.name"));
    }

    @Test
    void aRepeatedSingleValuedKeyTakesItsLastValue() throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("lxc.uts.name", "one\ntwo");
        o.put("lxc.environment", "ONLY=1");
        ContainerConfig c = load("lxc.uts.name = config", o);
        assertEquals(Optional.of("two"), c.value("lxc.uts.name"));
        assertEquals(List.of("ONLY=1"), c.values("lxc.environment"));
    }
}
