package org.lxj.core.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.BackendNotFoundException;
import org.lxj.api.Container;
import org.lxj.api.ContainerBusyException;
import org.lxj.api.ContainerExistsException;
import org.lxj.api.ContainerNotFoundException;
import org.lxj.api.ContainerState;
import org.lxj.api.CreateRequest;
import org.lxj.api.DestroyOptions;
import org.lxj.api.LxjException;
import org.lxj.api.UnsupportedFeatureException;
import org.lxj.api.config.SystemConfig;
import org.lxj.api.event.ContainerEvent;

class LifecycleTest {
    @TempDir
    Path tmp;
    Path lxcpath;
    FakeStorage dir;
    FakeTemplate busybox;
    TestBackends backends;
    List<ContainerEvent> events;
    Lifecycle runtime;

    @BeforeEach
    void setUp() {
        lxcpath = tmp.resolve("lxc");
        dir = new FakeStorage("dir");
        busybox = new FakeTemplate("busybox");
        backends = new TestBackends().add(dir, 0).add(busybox);
        events = new CopyOnWriteArrayList<>();
        runtime = lifecycle(SystemConfig.defaults());
    }

    Lifecycle lifecycle(SystemConfig system) {
        // no LXC template scripts: a name must resolve to the fake templates only
        return new Lifecycle(system, backends, LinesConfig::parse, new NothingRunsStateStore(), events::add,
                tmp.resolve("no-lxc-templates"));
    }

    CreateRequest request(String name, String template, Path configFile, List<String> storage,
            List<String> args) {
        return new CreateRequest(lxcpath, name, Optional.ofNullable(template), Optional.ofNullable(configFile),
                storage, Map.of(), args);
    }

    Path file(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void createWithoutTemplateCopiesTheConfigFileLinesAndMakesNoRootfs() throws IOException {
        Path f = file("f.conf", "  lxc.net.0.type=empty   \n\t# indented comment\n\nlxc.uts.name = foo\n\n#tail\n");
        Container c = runtime.create(request("c1", "none", f, List.of(), List.of()));

        assertEquals("  lxc.net.0.type=empty   \n\t# indented comment\nlxc.uts.name = foo\n#tail\n",
                Files.readString(c.configFile()));
        assertEquals(List.of("config"), names(c.directory()));
        assertTrue(dir.created.isEmpty());
        assertEquals(ContainerState.STOPPED, c.state());
        assertEquals(List.of(ContainerEvent.Kind.CREATED), events.stream().map(ContainerEvent::kind).toList());
    }

    @Test
    void createWithTemplateWritesLxcHeaderEntriesRootfsThenTemplateKeys() throws IOException {
        Path f = file("g.conf", "lxc.net.0.type = empty\n");
        Container c = runtime.create(request("c5", "busybox", f, List.of(), List.of("--foo", "bar")));

        Path rootfs = lxcpath.resolve("c5/rootfs");
        assertEquals("""
                # Template used to create this container: busybox
                # Parameters passed to the template: --foo bar
                # For additional config options, please look at lxc.container.conf(5)

                # Uncomment the following line to support nesting containers:
                #lxc.include = /usr/share/lxc/config/nesting.conf
                # (Be aware this has security implications)

                lxc.net.0.type = empty
                lxc.rootfs.path = dir:%s
                lxc.uts.name = "c5"
                """.formatted(rootfs), Files.readString(c.configFile()));
        assertEquals("c5\n", Files.readString(rootfs.resolve("etc/hostname")));
        assertEquals(List.of("config", "rootfs"), names(c.directory()));
        assertEquals(Optional.of("dir:" + rootfs), c.config().rootfsPath());
        assertEquals(List.of("--foo", "bar"), busybox.requests.get(0).arguments());
    }

    @Test
    void theHeaderOfATemplateWithoutArgumentsHasNoTrailingBlank() throws IOException {
        Container c = runtime.create(request("c6", "busybox", null, List.of(), List.of()));
        assertTrue(Files.readString(c.configFile()).contains("# Parameters passed to the template:\n"));
    }

    @Test
    void withoutConfigFileTheSystemDefaultConfigIsCopied() throws IOException {
        Path def = file("default.conf", "lxc.net.0.type = veth\n\nlxc.net.0.link = lxcbr0\n");
        SystemConfig sys = new SystemConfig(lxcpath, Optional.of(def), "lxc", "lxc", "lxc", "", "lxc.payload.%n",
                Optional.empty());
        Container c = lifecycle(sys).create(request("c3", null, null, List.of(), List.of()));
        assertEquals("lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\n", Files.readString(c.configFile()));

        Path f = file("f.conf", "lxc.net.0.type = empty\n");
        Container d = lifecycle(sys).create(request("c4", null, f, List.of(), List.of()));
        assertEquals("lxc.net.0.type = empty\n", Files.readString(d.configFile()), "-f replaces the default");
    }

    @Test
    void aMissingConfigFileIsAConfigErrorAndLeavesNothing() {
        Path f = tmp.resolve("nope.conf");
        LxjException e = assertThrows(LxjException.class,
                () -> runtime.create(request("c1", null, f, List.of(), List.of())));
        assertEquals(f + ": No such file", e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void anExistingNameIsRefused() {
        runtime.create(CreateRequest.of(lxcpath, "c1"));
        ContainerExistsException e = assertThrows(ContainerExistsException.class,
                () -> runtime.create(CreateRequest.of(lxcpath, "c1")));
        assertEquals("Container \"c1\" already exists in \"" + lxcpath + "\"", e.getMessage());
    }

    @Test
    void storageCreateFailureLeavesNothing() {
        dir.failCreate = true;
        assertThrows(LxjException.class, () -> runtime.create(request("c1", "busybox", null, List.of(), List.of())));
        assertFalse(Files.exists(lxcpath.resolve("c1")));
        assertTrue(events.isEmpty());
    }

    @Test
    void templateFailureLeavesNothingAndDestroysTheRootfs() {
        busybox.fail = true;
        LxjException e = assertThrows(LxjException.class,
                () -> runtime.create(request("c1", "busybox", null, List.of(), List.of())));
        assertEquals("Failed to install \"c1\": told to", e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
        assertEquals(dir.created, dir.destroyed);
        assertEquals(List.of(), runtime.list(lxcpath));
    }

    @Test
    void aMissingTemplateOrStorageTypeIsNamedAndNothingIsMade() {
        BackendNotFoundException t = assertThrows(BackendNotFoundException.class,
                () -> runtime.create(request("c1", "alpine", null, List.of(), List.of())));
        assertEquals("no template \"alpine\" is installed", t.getMessage());
        BackendNotFoundException s = assertThrows(BackendNotFoundException.class,
                () -> runtime.create(request("c1", "busybox", null, List.of("fake"), List.of())));
        assertEquals("no storage backend \"fake\" is installed", s.getMessage());
        assertEquals("storage", s.area());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void aRelativeTemplateScriptPathIsRefusedClearly() {
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.create(request("c1", "templates/lxc-busybox", null, List.of(), List.of())));
        assertEquals("Template script \"templates/lxc-busybox\" must be an absolute path", e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c1")));
    }

    @Test
    void commaListTriesBackendsInOrder() {
        FakeStorage btrfs = new FakeStorage("btrfs");
        btrfs.failCreate = true;
        backends.add(btrfs, 10);
        Container c = runtime.create(request("c1", "busybox", null, List.of("zfs", "btrfs", "dir"), List.of()));
        assertEquals(Optional.of("dir:" + lxcpath.resolve("c1/rootfs")), c.config().rootfsPath());
    }

    @Test
    void withoutDashBTheDefaultIsDirEvenWhenAnotherBackendRanksHigher() {
        FakeStorage overlay = new FakeStorage("overlay");
        backends.add(overlay, 100);
        Container c = runtime.create(request("c1", "busybox", null, List.of(), List.of()));
        assertEquals(Optional.of("dir:" + lxcpath.resolve("c1/rootfs")), c.config().rootfsPath());
        assertTrue(overlay.created.isEmpty(), "lxc-create without -B uses dir, as LXC does");
    }

    @Test
    void aRootfsGivenInTheConfigIsUsedAndMustExist() throws IOException {
        Path root = Files.createDirectory(tmp.resolve("myroot"));
        Path ok = file("ok.conf", "lxc.rootfs.path = dir:" + root + "\n");
        Container c = runtime.create(request("c1", "busybox", ok, List.of(), List.of()));
        assertTrue(dir.created.isEmpty());
        assertEquals("c1\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals(Optional.of("dir:" + root), c.config().rootfsPath());

        Path bad = file("bad.conf", "lxc.rootfs.path = dir:" + tmp.resolve("missing") + "\n");
        LxjException e = assertThrows(LxjException.class,
                () -> runtime.create(request("c2", null, bad, List.of(), List.of())));
        assertEquals("The rootfs \"" + tmp.resolve("missing") + "\" of \"c2\" does not exist", e.getMessage());
        assertFalse(Files.exists(lxcpath.resolve("c2")));
    }

    @Test
    void listIsSortedAndSkipsPartialAndConfiglessDirectories() throws IOException {
        for (String n : List.of("web", "app", "db")) {
            runtime.create(CreateRequest.of(lxcpath, n));
        }
        Files.createDirectories(lxcpath.resolve("notacontainer"));
        Files.writeString(lxcpath.resolve("afile"), "");
        assertEquals(List.of("app", "db", "web"), runtime.list(lxcpath).stream().map(Container::name).toList());
        assertTrue(runtime.find(lxcpath, "db").isPresent());
        assertTrue(runtime.find(lxcpath, "notacontainer").isEmpty());
        assertEquals(List.of(), runtime.list(tmp.resolve("nowhere")));
    }

    @Test
    void aLeftoverWithAFreeMarkerIsRemovedByTheNextList() throws IOException {
        Path root = Files.createDirectories(lxcpath.resolve("half/rootfs/etc"));
        Files.writeString(lxcpath.resolve("half/config"),
                "lxc.rootfs.path = dir:" + lxcpath.resolve("half/rootfs") + "\n");
        Files.writeString(lxcpath.resolve("half/partial"), "");
        Files.writeString(root.resolve("passwd"), "root:x:0:0\n");

        assertEquals(List.of(), runtime.list(lxcpath));
        assertFalse(Files.exists(lxcpath.resolve("half")));
        assertEquals(List.of("dir:" + lxcpath.resolve("half/rootfs")), dir.destroyed);
    }

    @Test
    void aLookupSweepsOnlyTheLeftoverOfItsOwnName() throws IOException {
        for (String n : List.of("half", "other")) {
            Files.createDirectories(lxcpath.resolve(n + "/rootfs"));
            Files.writeString(lxcpath.resolve(n + "/config"), "lxc.rootfs.path = dir:" + lxcpath.resolve(n + "/rootfs") + "\n");
            Files.writeString(lxcpath.resolve(n + "/partial"), "");
        }
        assertTrue(runtime.find(lxcpath, "half").isEmpty(), "a leftover is no container");
        assertFalse(Files.exists(lxcpath.resolve("half")), "the lookup removed its own name's leftover");
        assertTrue(Files.exists(lxcpath.resolve("other/partial")), "and read no other container's directory");
        assertEquals(List.of(), runtime.list(lxcpath));
        assertFalse(Files.exists(lxcpath.resolve("other")), "lxc-ls sweeps them all");
    }

    @Test
    void aLeftoverWithoutConfigIsRemovedByTheNextCreateOfAnyName() throws IOException {
        Files.createDirectories(lxcpath.resolve("half/rootfs"));
        Files.writeString(lxcpath.resolve("half/partial"), "");
        runtime.create(CreateRequest.of(lxcpath, "other"));
        assertFalse(Files.exists(lxcpath.resolve("half")));
        runtime.create(CreateRequest.of(lxcpath, "half"));
    }

    @Test
    void destroyingALeftoverFinishesItsRemovalAndSaysNotFound() throws IOException {
        Files.createDirectories(lxcpath.resolve("half/rootfs"));
        Files.writeString(lxcpath.resolve("half/config"), "lxc.uts.name = half\n");
        Files.writeString(lxcpath.resolve("half/partial"), "");
        assertThrows(ContainerNotFoundException.class, () -> runtime.destroy(lxcpath, "half", DestroyOptions.DEFAULT));
        assertFalse(Files.exists(lxcpath.resolve("half")));
    }

    @Test
    void destroyRemovesRootfsThroughItsBackendAndTheDirectory() {
        Container c = runtime.create(request("c1", "busybox", null, List.of(), List.of()));
        runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT);
        assertFalse(Files.exists(c.directory()));
        assertEquals(dir.created, dir.destroyed);
        assertEquals(List.of(ContainerEvent.Kind.CREATED, ContainerEvent.Kind.DESTROYED),
                events.stream().map(ContainerEvent::kind).toList());
        assertThrows(ContainerNotFoundException.class, () -> runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT));
    }

    @Test
    void destroyDoesNotFollowSymlinksOutOfTheContainer() throws IOException {
        Container c = runtime.create(CreateRequest.of(lxcpath, "c1"));
        Path outside = Files.createDirectory(tmp.resolve("precious"));
        Files.writeString(outside.resolve("keep"), "x");
        Files.createSymbolicLink(c.directory().resolve("link"), outside);
        runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT);
        assertFalse(Files.exists(c.directory()));
        assertEquals("x", Files.readString(outside.resolve("keep")));
    }

    @Test
    void destroyWithoutAnOwningBackendRefusesAndKeepsTheContainer() throws IOException {
        Path f = file("lvm.conf", "lxc.rootfs.path = lvm:/dev/lxc/c1\n");
        Files.createDirectories(lxcpath.resolve("c1"));
        Files.copy(f, lxcpath.resolve("c1/config"));
        UnsupportedFeatureException e = assertThrows(UnsupportedFeatureException.class,
                () -> runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT));
        assertEquals("No installed storage backend handles rootfs \"lvm:/dev/lxc/c1\" of \"c1\"", e.getMessage());
        assertEquals(1, runtime.list(lxcpath).size());
    }

    @Test
    void destroyRefusesSnapshotsUnlessAskedAndAlwaysRefusesClones() throws IOException {
        runtime.create(request("c1", "busybox", null, List.of(), List.of()));
        Path snaps = lxcpath.resolve("c1/snaps");
        runtime.create(new CreateRequest(snaps, "snap0", Optional.of("busybox"), Optional.empty(), List.of(),
                Map.of(), List.of()));

        ContainerBusyException e = assertThrows(ContainerBusyException.class,
                () -> runtime.destroy(lxcpath, "c1", DestroyOptions.DEFAULT));
        assertEquals("Destroying c1 failed: c1 has snapshots", e.getMessage());
        assertEquals(1, runtime.list(lxcpath).size(), "a refused destroy leaves the container visible");

        Files.writeString(lxcpath.resolve("c1/lxc_snapshots"), lxcpath + "\nc2\n");
        ContainerBusyException clones = assertThrows(ContainerBusyException.class,
                () -> runtime.destroy(lxcpath, "c1", new DestroyOptions(false, true)));
        assertEquals("Destroying c1 failed: c1 has clones", clones.getMessage());

        Files.delete(lxcpath.resolve("c1/lxc_snapshots"));
        runtime.destroy(lxcpath, "c1", new DestroyOptions(false, true));
        assertFalse(Files.exists(lxcpath.resolve("c1")));
        assertEquals(2, dir.destroyed.size());
    }

    @Test
    void destroyingACloneUpdatesItsOriginsBookkeeping() throws IOException {
        runtime.create(CreateRequest.of(lxcpath, "origin"));
        runtime.create(CreateRequest.of(lxcpath, "clone1"));
        runtime.create(CreateRequest.of(lxcpath, "clone2"));
        Files.writeString(lxcpath.resolve("origin/lxc_snapshots"), lxcpath + "\nclone1\n" + lxcpath + "\nclone2\n");
        Files.writeString(lxcpath.resolve("clone1/lxc_rdepends"), lxcpath + "\norigin\n");
        Files.writeString(lxcpath.resolve("clone2/lxc_rdepends"), lxcpath + "\norigin\n");

        runtime.destroy(lxcpath, "clone1", DestroyOptions.DEFAULT);
        assertEquals(lxcpath + "\nclone2\n", Files.readString(lxcpath.resolve("origin/lxc_snapshots")));
        runtime.destroy(lxcpath, "clone2", DestroyOptions.DEFAULT);
        assertFalse(Files.exists(lxcpath.resolve("origin/lxc_snapshots")));
        runtime.destroy(lxcpath, "origin", DestroyOptions.DEFAULT);
    }

    @Test
    void concurrentCreatesOfOneNameLetExactlyOneSucceed() throws Exception {
        int n = 8;
        List<Thread> threads = new ArrayList<>();
        List<Object> outcomes = new CopyOnWriteArrayList<>();
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(n);
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    outcomes.add(runtime.create(request("same", "busybox", null, List.of(), List.of())));
                } catch (Exception e) {
                    outcomes.add(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(1, outcomes.stream().filter(o -> o instanceof Container).count(), outcomes::toString);
        assertEquals(n - 1, outcomes.stream().filter(o -> o instanceof ContainerExistsException).count(),
                outcomes::toString);
        assertEquals(List.of("same"), runtime.list(lxcpath).stream().map(Container::name).toList());
        assertEquals(1, dir.created.size());
        assertTrue(dir.destroyed.isEmpty());
    }

    @Test
    void invalidNamesAreRefusedClearly() {
        LxjException e = assertThrows(LxjException.class, () -> runtime.create(CreateRequest.of(lxcpath, "a/b")));
        assertEquals("Invalid container name \"a/b\": a name must not contain \"/\"", e.getMessage());
        assertThrows(LxjException.class, () -> runtime.find(lxcpath, ".."));
        assertThrows(LxjException.class, () -> runtime.destroy(lxcpath, "", DestroyOptions.DEFAULT));
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
