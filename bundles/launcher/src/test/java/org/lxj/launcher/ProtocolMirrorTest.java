package org.lxj.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class ProtocolMirrorTest {
    private static final Pattern DEFINE = Pattern.compile("^#define LXJ_(\\w+) (\\d+)\\s*$");

    private static Map<String, Integer> header() throws IOException {
        Map<String, Integer> defs = new TreeMap<>();
        for (String line : Files.readAllLines(Path.of("src/main/c/protocol.h"))) {
            Matcher m = DEFINE.matcher(line);
            if (m.matches()) {
                defs.put(m.group(1), Integer.parseInt(m.group(2)));
            }
        }
        return defs;
    }

    private static Map<String, Integer> java() throws IllegalAccessException {
        Map<String, Integer> fields = new TreeMap<>();
        for (Field f : Protocol.class.getDeclaredFields()) {
            int mod = f.getModifiers();
            if (Modifier.isStatic(mod) && Modifier.isPublic(mod) && f.getType() == int.class) {
                fields.put(f.getName(), f.getInt(null));
            }
        }
        return fields;
    }

    @Test
    void everyHeaderConstantIsMirroredWithTheSameValue() throws Exception {
        Map<String, Integer> header = header();
        assertTrue(header.size() > 80, "protocol.h parsed to only " + header.size() + " constants");
        assertEquals(header, java());
    }

    @Test
    void stepNamesCoverEveryStep() throws Exception {
        for (Map.Entry<String, Integer> e : header().entrySet()) {
            if (e.getKey().startsWith("STEP_")) {
                String expected = e.getKey().substring(5).toLowerCase().replace('_', '-');
                assertEquals(expected, Protocol.stepName(e.getValue()));
            }
        }
        assertEquals("step-999", Protocol.stepName(999));
    }
}
