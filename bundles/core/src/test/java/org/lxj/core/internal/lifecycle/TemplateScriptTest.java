package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.BackendNotFoundException;
import org.lxj.api.Container;
import org.lxj.api.CreateRequest;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.SystemConfig;

/** {@code lxc-create -t /path/script} and LXC's script directory, with small shell scripts. */
class TemplateScriptTest {
    @TempDir
    Path tmp;
    Path lxcpath;
    FakeStorage dir;
    TestBackends backends;
    Lifecycle lifecycle;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        dir = new FakeStorage("dir");
        backends = new TestBackends().add(dir, 0).add(new FakeTemplate("busybox"));
        lifecycle = new Lifecycle(SystemConfig.defaults(), backends, LinesConfig::parse, new NothingRunsStateStore(),
                e -> { }, tmp.resolve("no-lxc-templates"));
    }

    Path script(String name, String body) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    CreateRequest request(String template, List<String> args) {
        return new CreateRequest(lxcpath, "c1", Optional.of(template), Optional.empty(), List.of(), Map.of(), args);
    }

    @Test
    void aScriptGetsLxcsArgumentsFillsTheRootfsAndAppendsToTheConfig() throws IOException {
        Path s = script("tpl", """
                path=; name=; rootfs=
                for a in "$@"; do
                  case "$a" in
                    --path=*) path="${a#--path=}" ;;
                    --name=*) name="${a#--name=}" ;;
                    --rootfs=*) rootfs="${a#--rootfs=}" ;;
                  esac
                done
                printf '%s\\n' "$@" > "$rootfs/argv"
                echo "made by script" > "$rootfs/marker"
                echo "lxc.uts.name = $name" >> "$path/config"
                """);
        Container c = lifecycle.create(request(s.toString(), List.of("--release", "a b")));
        Path rootfs = c.directory().resolve("rootfs");
        assertEquals(List.of("--path=" + c.directory(), "--name=c1", "--rootfs=" + rootfs, "--release", "a b"),
                Files.readAllLines(rootfs.resolve("argv")));
        assertEquals("made by script\n", Files.readString(rootfs.resolve("marker")));
        String config = Files.readString(c.configFile());
        assertTrue(config.startsWith("# Template used to create this container: " + s + "\n"
                + "# Parameters passed to the template: --release a b\n"), config);
        assertTrue(config.contains("lxc.rootfs.path = dir:" + rootfs + "\n"), config);
        assertTrue(config.endsWith("lxc.uts.name = c1\n"), config);
        assertFalse(Files.exists(c.directory().resolve("partial")));
    }

    @Test
    void aFailingScriptUndoesTheCreationAndSaysWhy() throws IOException {
        Path s = script("bad", "echo 'downloading'\necho 'no such release' >&2\nexit 3\n");
        LxjException e = assertThrows(LxjException.class, () -> lifecycle.create(request(s.toString(), List.of())));
        assertEquals("Template script \"" + s + "\" failed for \"c1\" with status 3: downloading | no such release",
                e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")), "nothing left of c1");
        assertEquals(dir.created, dir.destroyed, "the rootfs made for it was destroyed");
    }

    @Test
    void aMissingScriptIsAClearError() {
        LxjException e = assertThrows(LxjException.class,
                () -> lifecycle.create(request(tmp.resolve("none").toString(), List.of())));
        assertEquals("Template script \"" + tmp.resolve("none") + "\" is not an executable file", e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void aNameIsAnLxjTemplateFirstThenLxcsScript() throws IOException {
        Path templates = Files.createDirectories(tmp.resolve("templates"));
        for (String n : List.of("lxc-busybox", "lxc-alpine")) {
            Files.writeString(templates.resolve(n), "#!/bin/sh\n");
            Files.setPosixFilePermissions(templates.resolve(n), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        StorageChoice choice = new StorageChoice(backends, templates);
        assertInstanceOf(FakeTemplate.class, choice.template("busybox"), "an installed LXJ template wins");
        assertEquals(templates.resolve("lxc-alpine").toString(), choice.template("alpine").type());
        assertInstanceOf(TemplateScript.class, choice.template("alpine"));
        BackendNotFoundException none = assertThrows(BackendNotFoundException.class, () -> choice.template("debian"));
        assertEquals("no template \"debian\" is installed", none.getMessage());
        assertSame(Optional.empty().getClass(), TemplateScript.find("debian", templates).getClass());
    }

    @Test
    void idmappedContainersAreRefusedForScripts() throws IOException {
        Path s = script("tpl", "exit 0\n");
        Path conf = Files.writeString(tmp.resolve("u.conf"), "lxc.idmap = u 0 100000 65536\n"
                + "lxc.idmap = g 0 100000 65536\n");
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class, () -> lifecycle.create(
                new CreateRequest(lxcpath, "c1", Optional.of(s.toString()), Optional.of(conf), List.of(), Map.of(),
                        List.of())));
        assertTrue(e.getMessage().contains("scripts for containers with lxc.idmap are not supported"), e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }
}
