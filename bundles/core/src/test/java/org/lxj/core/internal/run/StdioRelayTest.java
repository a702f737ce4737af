package org.lxj.core.internal.run;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lxj.api.Stdio;
import org.lxj.linux.internal.JnaSyscalls;

/** The relay's fifos on a real kernel (no root needed): its stdin pump never outlives the command. */
class StdioRelayTest {
    /** Only detects a hang; nothing depends on timing. */
    private static final long HANG_SECONDS = 30;

    @TempDir
    Path tmp;

    @Test
    void aStdinPumpWaitingForInputEndsWhenTheRelayCloses() throws Exception {
        try (PipedOutputStream nobodyTypes = new PipedOutputStream();
                PipedInputStream in = new PipedInputStream(nobodyTypes)) {
            StdioRelay relay = StdioRelay.open(new JnaSyscalls(), tmp.resolve("stdio"),
                    new Stdio(in, new ByteArrayOutputStream(), new ByteArrayOutputStream()));
            relay.started();                              // the command's ends are closed: as if it ran and exited
            Thread pump = relay.inputPump();
            assertNotNull(pump, "stdin is relayed");
            relay.drain();
            relay.close();
            pump.join(TimeUnit.SECONDS.toMillis(HANG_SECONDS));
            assertFalse(pump.isAlive(), "the stdin pump ended with the relay");
        }
    }
}
