package org.lxj.core.internal.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.ConfigException;
import org.lxj.api.config.ConfigEntry;
import org.lxj.api.config.ContainerConfig;

/** Line-preserving rewriting: byte-identical round trips, edits that keep comments and order. */
class ConfigDocumentTest {
    @TempDir
    Path dir;

    @Test
    void loadRenderSaveIsByteIdentical() throws IOException {
        byte[][] samples = {
            "# c\n\nlxc.uts.name = a\n".getBytes(StandardCharsets.UTF_8),
            "lxc.uts.name=a\r\n  # indented\r\nlxc.tty.max = 4".getBytes(StandardCharsets.UTF_8),
            "\n\n\n".getBytes(StandardCharsets.UTF_8),
            new byte[0],
            {'#', ' ', (byte) 0xff, (byte) 0xc3, '\n', 'l', 'x', 'c', '.', 'g', 'r', 'o', 'u', 'p', '=', 'x', '\r'},
            "lxc.uts.name = \"h\u00e9\" \u2603\n".getBytes(StandardCharsets.UTF_8),
        };
        for (byte[] sample : samples) {
            Path f = Files.write(dir.resolve("config"), sample);
            ConfigDocument doc = ConfigDocument.load(f);
            Path out = dir.resolve("out");
            doc.save(out);
            assertArrayEquals(sample, Files.readAllBytes(out));
            assertArrayEquals(sample, Files.readAllBytes(f));
        }
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            Path f = Files.write(dir.resolve("random"), bytes);
            ConfigDocument.load(f).save(dir.resolve("random.out"));
            assertArrayEquals(bytes, Files.readAllBytes(dir.resolve("random.out")));
        }
        assertEquals("# c\n\nlxc.uts.name = a\n", ConfigDocument.load(Files.write(dir.resolve("c"), samples[0])).render());
    }

    @Test
    void editsKeepCommentsAndOrder() throws IOException {
        Path f = dir.resolve("config");
        Files.writeString(f, """
                # Template used to create this container
                lxc.uts.name = old
                # network
                lxc.net.0.type = veth
                lxc.mount.entry = a b c
                lxc.uts.name = newer
                lxc.mount.entry = d e f
                lxc.tty.max = 4""");
        ConfigDocument doc = ConfigDocument.load(f);
        doc.set("lxc.uts.name", "renamed");
        doc.remove("lxc.mount.entry");
        doc.set("lxc.rootfs.path", "dir:/r");
        doc.appendComment("");
        doc.appendComment("added");
        doc.append("lxc.group", "web");
        assertEquals(List.of("old", "renamed"), doc.values("lxc.uts.name"));
        doc.save(f);
        assertEquals("""
                # Template used to create this container
                lxc.uts.name = old
                # network
                lxc.net.0.type = veth
                lxc.uts.name = renamed
                lxc.tty.max = 4
                lxc.rootfs.path = dir:/r

                # added
                lxc.group = web
                """, Files.readString(f));
        ContainerConfig once = new ConfigParser().parse(f);
        ConfigDocument.load(f).save(f);
        ContainerConfig twice = new ConfigParser().parse(f);
        assertEquals(once.entries(), twice.entries());
        assertEquals(List.of("veth"), twice.values("lxc.net.0.type"));
    }

    @Test
    void emptyDocumentAndUnicodeValues() throws IOException {
        ConfigDocument doc = ConfigDocument.empty();
        doc.appendComment("For additional config options, please look at lxc.container.conf(5)");
        doc.append("lxc.uts.name", "caf\u00e9");
        assertEquals("# For additional config options, please look at lxc.container.conf(5)\nlxc.uts.name = caf\u00e9\n",
                doc.render());
        Path f = dir.resolve("u");
        doc.save(f);
        assertEquals(List.of("caf\u00e9"), ConfigDocument.load(f).values("lxc.uts.name"));
        ConfigEntry e = new ConfigParser().parse(f).entries().get(0);
        assertEquals("caf\u00e9", e.value());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
    }

    @Test
    void missingFileIsAConfigException() {
        assertThrows(ConfigException.class, () -> ConfigDocument.load(dir.resolve("nope")));
    }
}
