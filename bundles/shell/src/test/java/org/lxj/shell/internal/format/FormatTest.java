package org.lxj.shell.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void fieldsPadLabelsToFifteenColumns() {
        assertEquals("Name:           c1\nPID:            42\n", new Fields().add("Name:", "c1").add("PID:", 42L).toString());
        assertEquals("A-label-longer-than-15: x\n", new Fields().add("A-label-longer-than-15:", "x").toString());
    }

    @Test
    void tablePadsEveryCellAndEndsEachCellWithABlank() {
        FancyTable t = new FancyTable(List.of("NAME", "STATE"));
        t.addRow(List.of("alpha", "STOPPED")).addRow(List.of("c1", "RUNNING"));
        assertEquals("NAME  STATE   \nalpha STOPPED \nc1    RUNNING \n", t.toString());
    }

    @Test
    void tableHonoursMinimumWidthsAndPrintsNothingWhenEmpty() {
        assertEquals("", new FancyTable(List.of("NAME")).toString());
        FancyTable t = new FancyTable(List.of("NAME", "RAM")).minimumWidth("RAM", 6).minimumWidth("NOPE", 9);
        t.addRow(List.of("c1", "-"));
        assertEquals("NAME RAM    \nc1   -      \n", t.toString());
    }

    @Test
    void tableRefusesRowsOfTheWrongSize() {
        FancyTable t = new FancyTable(List.of("NAME", "STATE"));
        assertThrows(IllegalArgumentException.class, () -> t.addRow(List.of("c1")));
    }

    @Test
    void namesWithoutTerminalEndOneLineEach() {
        assertEquals("alpha\nc1   \n", NameColumns.format(List.of("alpha", "c1"), 0));
        assertEquals("c1  \nc2  \n", NameColumns.format(List.of("c1", "c2"), 0));
        assertEquals("", NameColumns.format(List.of(), 80));
    }

    @Test
    void namesFillTheTerminalWidth() {
        List<String> names = List.of("alpha", "c1", "c2", "d3", "e4", "f5", "g6", "h7");
        // the layouts Debian's lxc-ls printed on terminals of these widths
        assertEquals("alpha c1    c2   \nd3    e4    f5   \ng6    h7    \n", NameColumns.format(names, 20));
        assertEquals("alpha c1    c2    d3   \ne4    f5    g6    h7   \n", NameColumns.format(names, 23));
        assertEquals("alpha c1    c2    d3    e4   \nf5    g6    h7    \n", NameColumns.format(names, 30));
    }

    @Test
    void jsonWritesNestedValuesIndented() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("name", "c1");
        o.put("pid", 42L);
        o.put("count", 3);
        o.put("auto", true);
        o.put("none", null);
        o.put("groups", List.of("web", "db"));
        o.put("empty", List.of());
        o.put("map", Map.of());
        assertEquals("""
                {
                  "name": "c1",
                  "pid": 42,
                  "count": 3,
                  "auto": true,
                  "none": null,
                  "groups": [
                    "web",
                    "db"
                  ],
                  "empty": [],
                  "map": {}
                }
                """, Json.write(o));
        assertEquals("[]\n", Json.write(List.of()));
    }

    @Test
    void jsonEscapesStrings() {
        assertEquals("\"a\\\"b\\\\c\\nd\\te\\r\\b\\f\\u0001é\"\n", Json.write("a\"b\\c\nd\te\r\b\f\u0001é"));
        List<Object> withNull = new ArrayList<>(Arrays.asList("x", null));
        assertEquals("[\n  \"x\",\n  null\n]\n", Json.write(withNull));
    }

    @Test
    void jsonRefusesUnknownTypes() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
        assertThrows(IllegalArgumentException.class, () -> Json.write(1.5));
    }
}
