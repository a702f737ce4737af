package org.lxj.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Semantic versioning of api/spi (issue 9) as part of the suite: runs {@code features/baseline-check.sh}, which
 * proves on a fixture that bnd's baseline check fails the build on an incompatible spi change made without a major
 * version bump (a changed method, an abstract method added to a {@code @ConsumerType} interface) and passes once the
 * package is bumped (docs/vendor.md, section 5). The script needs Maven to read
 * a file:// repository, which Maven does not do offline: when it cannot run here (status 3) the test is skipped
 * with the script's reason.
 */
class BaselineCheckIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
    private static final Path SCRIPT = ROOT.resolve("features/baseline-check.sh");
    private static final long TIMEOUT_SECONDS = 900;
    private static final int CANNOT_RUN = 3;

    @Test
    void anIncompatibleSpiChangeWithoutAMajorBumpFailsTheBuild() throws IOException, InterruptedException {
        assertTrue(Files.isRegularFile(SCRIPT), "the script is where docs/vendor.md says: " + SCRIPT);
        Path log = Files.createTempFile("lxj-it-baseline-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            int status = p.exitValue();
            assumeTrue(status != CANNOT_RUN, () -> "baseline-check.sh cannot run here: " + out.strip());
            assertEquals(0, status, out);
            assertTrue(out.contains("baseline-check: StorageBackend.owns(String) changed to owns(Path) without a major"
                    + " bump fails the build:"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("\\[ERROR\\] \\* org\\.lxj\\.spi\\.storage +PACKAGE +MAJOR.*")),
                    out);
            assertTrue(out.contains("baseline-check: an abstract method added to StorageBackend (@ConsumerType) without"
                    + " a major bump fails the build:"), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("\\[ERROR\\] +ADDED +METHOD +baselineProbe\\(java\\.lang\\.String\\)")),
                    out);
            assertTrue(out.contains("baseline-check: with org.lxj.spi.storage bumped to 2.0.0 it builds"), out);
            assertTrue(out.strip().endsWith("baseline-check: OK"), out);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
