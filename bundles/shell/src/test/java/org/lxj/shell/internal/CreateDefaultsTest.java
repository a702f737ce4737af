package org.lxj.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.lxj.shell.internal.GoldenTest.split;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.lxj.api.CreateRequest;

/** A vendor's defaults for lxc-create (lxj.default.template, lxj.default.storage) apply only to what is not given. */
class CreateDefaultsTest {

    private static GoldenTest.Result run(CreateCommand create, String args) {
        return GoldenTest.run(create, false, 0, split(args));
    }

    @Test
    void defaultsFillInAMissingTemplateAndStorageType() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig());
        CreateCommand create = new CreateCommand(r, "0.1.0", Optional.of("busybox"), Optional.of("overlay"));
        GoldenTest.Result result = run(create, "-P /tmp/d -n c1");
        assertEquals(0, result.status(), result.err());
        CreateRequest made = r.created.get(0);
        assertEquals(Optional.of("busybox"), made.template());
        assertEquals(List.of("overlay"), made.storageTypes());
    }

    @Test
    void givenOptionsWinOverTheDefaults() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig());
        CreateCommand create = new CreateCommand(r, "0.1.0", Optional.of("debian"), Optional.of("overlay"));
        assertEquals(0, run(create, "-P /tmp/d -n c1 -t busybox -B dir").status());
        assertEquals(Optional.of("busybox"), r.created.get(0).template());
        assertEquals(List.of("dir"), r.created.get(0).storageTypes());
    }

    @Test
    void withoutDefaultsATemplateIsRequiredAsInLxc() {
        FakeRuntime r = new FakeRuntime(FakeRuntime.debianSystemConfig());
        GoldenTest.Result result = run(new CreateCommand(r, "0.1.0"), "-P /tmp/d -n c1");
        assertEquals(1, result.status());
        assertEquals("lxc-create: c1: A template must be specified\n"
                + "lxc-create: c1: Use \"none\" if you really want a container without a rootfs\n", result.err());
        assertEquals(List.of(), r.created);
    }
}
