package org.lxj.shell.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class GetOptTest {

    private final GetOpt getopt = new GetOpt(List.of(
            Option.withArgument('n', "name", "NAME"),
            Option.withArgument('c', "config", "KEY"),
            Option.flag('s', "state"),
            Option.flag('S', "stats"),
            Option.flag('p', "pid"),
            Option.flag('h', "help"),
            Option.flag('?', null).as("help"),
            Option.flag("usage"),
            Option.withArgument("rcfile", "FILE")));

    private ParsedArgs parse(String... args) throws UsageException {
        return getopt.parse(List.of(args));
    }

    private String error(String... args) {
        return assertThrows(UsageException.class, () -> parse(args)).getMessage();
    }

    @Test
    void bundlesShortFlags() throws UsageException {
        ParsedArgs a = parse("-sp");
        assertTrue(a.has("state"));
        assertTrue(a.has("pid"));
        assertFalse(a.has("stats"));
    }

    @Test
    void takesTheRestOfABundleAsTheArgument() throws UsageException {
        ParsedArgs a = parse("-snc1");
        assertTrue(a.has("state"));
        assertEquals("c1", a.last("name").orElseThrow());
    }

    @Test
    void takesTheNextWordAsAShortOptionsArgument() throws UsageException {
        assertEquals("c1", parse("-n", "c1").last("name").orElseThrow());
        assertEquals("-s", parse("-n", "-s").last("name").orElseThrow());
    }

    @Test
    void longOptionsTakeEqualsOrTheNextWord() throws UsageException {
        assertEquals("c1", parse("--name=c1").last("name").orElseThrow());
        assertEquals("c1", parse("--name", "c1").last("name").orElseThrow());
        assertEquals("", parse("--name=").last("name").orElseThrow());
        assertEquals("a=b", parse("--config=a=b").last("config").orElseThrow());
    }

    @Test
    void theLastOccurrenceWinsAndAllAreKept() throws UsageException {
        ParsedArgs a = parse("-c", "lxc.uts.name", "--config=lxc.tty.max", "-n", "a", "-n", "b");
        assertEquals(List.of("lxc.uts.name", "lxc.tty.max"), a.all("config"));
        assertEquals("b", a.last("name").orElseThrow());
    }

    @Test
    void permutesPositionalsAndStopsAtDoubleDash() throws UsageException {
        ParsedArgs a = parse("c1", "-s", "-", "extra", "--", "-p", "--name=x");
        assertEquals(List.of("c1", "-", "extra"), a.positionals());
        assertEquals(List.of("-p", "--name=x"), a.afterDashes());
        assertTrue(a.has("state"));
        assertFalse(a.has("pid"));
        assertFalse(a.has("name"));
    }

    @Test
    void acceptsUnambiguousPrefixes() throws UsageException {
        assertTrue(parse("--pi").has("pid"));
        assertTrue(parse("--state").has("state"));
        assertEquals("f", parse("--rc=f").last("rcfile").orElseThrow());
        assertTrue(parse("--he").has("help"));
    }

    @Test
    void aliasesShareAKey() throws UsageException {
        assertTrue(parse("-?").has("help"));
        assertTrue(parse("-h").has("help"));
    }

    @Test
    void reportsErrorsInGlibcWording() {
        assertEquals("invalid option -- 'x'", error("-sx"));
        assertEquals("unrecognized option '--bogus'", error("--bogus"));
        assertEquals("unrecognized option '--bogus=1'", error("--bogus=1"));
        assertEquals("option requires an argument -- 'n'", error("-n"));
        assertEquals("option requires an argument -- 'n'", error("-sn"));
        assertEquals("option '--name' requires an argument", error("--name"));
        assertEquals("option '--state' doesn't allow an argument", error("--state=1"));
        assertEquals("option '--s' is ambiguous; possibilities: '--state' '--stats'", error("--s"));
    }

    @Test
    void emptyArgumentsParseToNothing() throws UsageException {
        ParsedArgs a = parse();
        assertTrue(a.positionals().isEmpty());
        assertTrue(a.afterDashes().isEmpty());
        assertFalse(a.has("name"));
    }

    @Test
    void takesAnOptionalArgumentOnlyWhenAttached() throws UsageException {
        GetOpt optional = new GetOpt(List.of(Option.withOptionalArgument('e', "elevated-privileges", "PRIVILEGES"),
                Option.withArgument('n', "name", "NAME")));
        ParsedArgs a = optional.parse(List.of("-e", "CAP", "-eLSM", "--elevated-privileges", "--elevated=CGROUP"));
        assertEquals(List.of("", "LSM", "", "CGROUP"), a.all("elevated-privileges"));
        assertEquals(List.of("CAP"), a.positionals());
        ParsedArgs bundled = optional.parse(List.of("-nc1", "-e"));
        assertEquals(List.of(""), bundled.all("elevated-privileges"));
        assertEquals("c1", bundled.last("name").orElseThrow());
    }

    @Test
    void tellsWhichOfTwoOpposingOptionsCameLast() throws UsageException {
        GetOpt opposing = new GetOpt(List.of(Option.flag('d', "daemon"), Option.flag('F', "foreground")));
        assertEquals("foreground", opposing.parse(List.of("-dF")).lastOf("daemon", "foreground").orElseThrow());
        assertEquals("daemon", opposing.parse(List.of("-F", "--daemon")).lastOf("daemon", "foreground").orElseThrow());
        assertTrue(opposing.parse(List.of()).lastOf("daemon", "foreground").isEmpty());
    }
}
