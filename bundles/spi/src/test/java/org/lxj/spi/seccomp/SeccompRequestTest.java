package org.lxj.spi.seccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SeccompRequestTest {

    private static final String POLICY = "2\ndenylist\nkexec_load errno 1\n";

    private static SeccompRequest request(String policy, List<String> arches, long caps) {
        return new SeccompRequest(policy, Optional.empty(), arches, caps, false);
    }

    @Test
    void cacheKeyDependsOnWhatChangesTheProgram() {
        String key = request(POLICY, List.of("x86_64", "i386", "x32"), 0x400).cacheKey("libseccomp/2.5.4");
        assertEquals(64, key.length());
        assertEquals(key, request(POLICY, List.of("x86_64", "x32", "i386"), 0x400).cacheKey("libseccomp/2.5.4"));
        assertEquals(key, new SeccompRequest(POLICY, Optional.of(Path.of("/etc/x.seccomp")),
                List.of("x86_64", "i386", "x32"), 0x400, false).cacheKey("libseccomp/2.5.4"));
        assertNotEquals(key, request(POLICY, List.of("i386", "x86_64", "x32"), 0x400).cacheKey("libseccomp/2.5.4"));
        assertNotEquals(key, request(POLICY, List.of("x86_64", "i386", "x32"), 0x401).cacheKey("libseccomp/2.5.4"));
        assertNotEquals(key, request(POLICY + " ", List.of("x86_64", "i386", "x32"), 0x400)
                .cacheKey("libseccomp/2.5.4"));
        assertNotEquals(key, request(POLICY, List.of("x86_64", "i386", "x32"), 0x400).cacheKey("java/1"));
        assertNotEquals(key, new SeccompRequest(POLICY, Optional.empty(), List.of("x86_64", "i386", "x32"), 0x400,
                true).cacheKey("libseccomp/2.5.4"));
    }

    @Test
    void fieldsAreDelimitedInTheKey() {
        assertNotEquals(request("ab", List.of("x86_64"), 0).cacheKey("c"),
                request("b", List.of("x86_64"), 0).cacheKey("ca"));
    }

    @Test
    void needsAnArchitecture() {
        assertThrows(IllegalArgumentException.class, () -> request(POLICY, List.of(), 0));
        assertEquals("x86_64", request(POLICY, List.of("x86_64", "i386"), 0).nativeArchitecture());
    }
}
