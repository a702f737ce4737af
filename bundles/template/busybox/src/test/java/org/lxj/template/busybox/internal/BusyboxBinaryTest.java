package org.lxj.template.busybox.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading facts out of a busybox binary without running it. */
class BusyboxBinaryTest {

    @TempDir
    Path tmp;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void findsTheCompiledInUdhcpcScript() {
        assertEquals(Optional.of("/etc/udhcpc/default.script"),
                BusyboxBinary.scriptPathIn(bytes("\u0001\u0000abc\u0000/etc/udhcpc/default.script\u0000more")));
        assertEquals(Optional.of("/usr/share/udhcpc/default.script"),
                BusyboxBinary.scriptPathIn(bytes("/usr/share/udhcpc/default.script")));
    }

    @Test
    void ignoresPartialOrUnsafeScriptStrings() {
        assertEquals(Optional.empty(), BusyboxBinary.scriptPathIn(bytes("\u0000etc/default.script\u0000")));
        assertEquals(Optional.empty(), BusyboxBinary.scriptPathIn(bytes("\u0000/etc/default.scripts\u0000")));
        assertEquals(Optional.empty(), BusyboxBinary.scriptPathIn(bytes("\u0000/../x/default.script\u0000")));
        assertEquals(Optional.empty(), BusyboxBinary.scriptPathIn(bytes("\u0000run \u00ff/x/default.script\u0000")));
        assertEquals(Optional.of("/b/default.script"),
                BusyboxBinary.scriptPathIn(bytes("\u0000a /x/default.script\u0000/b/default.script\u0000")));
    }

    @Test
    void elfReaderRejectsWhatIsNotElf() throws IOException {
        Path text = Files.writeString(tmp.resolve("t"), "#!/bin/sh\n");
        assertEquals("it is not an ELF file",
                assertThrows(ElfFile.NotElfException.class, () -> ElfFile.interpreter(text)).getMessage());
        byte[] truncated = new byte[40];
        truncated[0] = 0x7f;
        truncated[1] = 'E';
        truncated[2] = 'L';
        truncated[3] = 'F';
        Path shortFile = Files.write(tmp.resolve("s"), truncated);
        assertThrows(ElfFile.NotElfException.class, () -> ElfFile.interpreter(shortFile));
    }

    @Test
    void elfReaderFindsTheInterpreterOfADynamicExecutable() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Optional<String> loader = ElfFile.interpreter(java);
        assertEquals(true, loader.isPresent());
        assertEquals(true, loader.get().startsWith("/") && loader.get().contains("ld"), loader.get());
    }
}
