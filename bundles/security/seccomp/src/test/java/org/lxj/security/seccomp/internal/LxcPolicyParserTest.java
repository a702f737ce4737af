package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;

class LxcPolicyParserTest {

    static final Path FILE = Path.of("/etc/lxj/test.seccomp");

    static Policy parse(String text) {
        return PolicyParser.parse(text, Optional.of(FILE));
    }

    static ConfigException error(String text) {
        return assertThrows(ConfigException.class, () -> parse(text));
    }

    @Test
    void lxcCommonDenylistReadsAsLxcDoes() {
        Policy p = parse("2\ndenylist\nreject_force_umount  # comment this to allow umount -f;  not recommended\n"
                + "[all]\nkexec_load errno 1\nopen_by_handle_at errno 1\ninit_module errno 1\n"
                + "finit_module errno 1\ndelete_module errno 1\n");
        assertEquals("LXC v2", p.format());
        assertEquals(Action.ALLOW, p.defaultAction());
        assertEquals(6, p.rules().size());
        Rule umount = p.rules().get(0);
        assertEquals("umount2", umount.syscall());
        assertEquals(Action.errno(13), umount.action());
        assertEquals(List.of(new ArgCondition(1, ArgCondition.Op.MASKED_EQ, 1, 1)), umount.conditions());
        assertEquals(3, umount.line());
        Rule kexec = p.rules().get(1);
        assertEquals(new Rule("kexec_load", OptionalInt.empty(), Action.errno(1), List.of(), Optional.empty(), 5),
                kexec);
    }

    @Test
    void defaultsFollowThePolicyType() {
        Policy deny = parse("2\ndenylist\nmknod\n");
        assertEquals(Action.ALLOW, deny.defaultAction());
        assertEquals(Action.KILL_PROCESS, deny.rules().get(0).action());
        Policy denyErrno = parse("2\ndenylist errno 1\nmknod\n");
        assertEquals(Action.ALLOW, denyErrno.defaultAction());
        assertEquals(Action.errno(1), denyErrno.rules().get(0).action());
        Policy allow = parse("2\nallowlist\nread\n");
        assertEquals(Action.KILL_PROCESS, allow.defaultAction());
        assertEquals(Action.ALLOW, allow.rules().get(0).action());
        Policy allowTrap = parse("2\nallowlist trap\nread\n");
        assertEquals(Action.TRAP, allowTrap.defaultAction());
        Policy legacy = parse("2\nwhitelist errno 22\nread\n");
        assertEquals(Action.errno(22), legacy.defaultAction());
        assertEquals(Action.ALLOW, parse("2\nblacklist\nmknod allow\n").defaultAction());
    }

    @Test
    void everyActionIsRead() {
        Policy p = parse("2\ndenylist\na kill\nb allow\nc trap\nd errno 0\ne notify\nf log\ng errno 4095\n");
        assertEquals(List.of(Action.KILL_PROCESS, Action.ALLOW, Action.TRAP, Action.errno(0), Action.NOTIFY,
                Action.LOG, Action.errno(4095)), p.rules().stream().map(Rule::action).toList());
        assertTrue(p.notifies());
    }

    @Test
    void archSectionsScopeTheRulesAfterThem() {
        Policy p = parse("2\nallowlist trap\nbefore\n[x86_64]\nopen\n[X86]\nclose\n[arm64]\nread\n[x32]\nwrite\n"
                + "[all]\nexit\n[ALL]\nexit_group\n");
        assertEquals(List.of(Optional.empty(), Optional.of("x86_64"), Optional.of("i386"), Optional.of("aarch64"),
                Optional.of("x32"), Optional.empty(), Optional.empty()),
                p.rules().stream().map(Rule::arch).toList());
    }

    @Test
    void argumentFiltersInEveryForm() {
        Policy p = parse("2\ndenylist\n"
                + "socket errno 1 [0,40,SCMP_CMP_EQ]\n"
                + "mknod notify [1,8192,SCMP_CMP_MASKED_EQ,61440]\n"
                + "ioctl errno 1 [1,0x9400,&=,0xff00]\n"
                + "a errno 1 [0,1,!=] [1,2,<] [2,3,<=] [3,4,==] [4,5,>=] [5,6,>]\n"
                + "b errno 2 [0, 010, SCMP_CMP_NE][1,18446744073709551615,SCMP_CMP_GT]\n"
                + "c [2,1,SCMP_CMP_LT]\n");
        assertEquals(List.of(new ArgCondition(0, ArgCondition.Op.EQ, 40, 0)), p.rules().get(0).conditions());
        assertEquals(List.of(new ArgCondition(1, ArgCondition.Op.MASKED_EQ, 61440, 8192)),
                p.rules().get(1).conditions());
        assertEquals(List.of(new ArgCondition(1, ArgCondition.Op.MASKED_EQ, 0xff00, 0x9400)),
                p.rules().get(2).conditions());
        assertEquals(List.of(ArgCondition.Op.NE, ArgCondition.Op.LT, ArgCondition.Op.LE, ArgCondition.Op.EQ,
                ArgCondition.Op.GE, ArgCondition.Op.GT),
                p.rules().get(3).conditions().stream().map(ArgCondition::op).toList());
        assertEquals(5, p.rules().get(3).conditions().get(5).index());
        assertEquals(List.of(new ArgCondition(0, ArgCondition.Op.NE, 8, 0),
                new ArgCondition(1, ArgCondition.Op.GT, -1L, 0)), p.rules().get(4).conditions());
        assertEquals(Action.KILL_PROCESS, p.rules().get(5).action());
        assertEquals(1, p.rules().get(5).conditions().size());
    }

    @Test
    void versionOneIsANumericAllowlist() {
        Policy p = parse("1\nallowlist\n0\n1\n# comment\n\n60\n");
        assertEquals("LXC v1", p.format());
        assertEquals(Action.KILL_PROCESS, p.defaultAction());
        assertEquals(List.of(0, 1, 60), p.rules().stream().map(r -> r.number().getAsInt()).toList());
        assertEquals(7, p.rules().get(2).line());
        assertEquals(Action.ALLOW, p.rules().get(0).action());
    }

    @Test
    void errorsNameTheFileAndLine() {
        ConfigException e = error("2\ndenylist\nmknod errno 1\nkexec_load explode\n");
        assertEquals(Optional.of(FILE), e.file());
        assertEquals(4, e.line());
        assertEquals(FILE + ":4: Invalid seccomp action \"explode\": expected kill, allow, trap, errno <N>, notify "
                + "or log", e.getMessage());
        assertEquals(1, error("3\ndenylist\n").line());
        assertEquals(1, error("2\n").line());
        assertEquals(2, error("2\nmaybelist\n").line());
        assertEquals(2, error("2\ndenylist debug\n").line());
        assertEquals(2, error("1\ndenylist\n").line());
        assertEquals(3, error("1\nallowlist\nread\n").line());
        assertEquals(3, error("2\ndenylist\n[sparc]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 4096\n").line());
        assertEquals(3, error("2\ndenylist\nmknod kill 3\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [6,1,SCMP_CMP_EQ]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,1,SCMP_CMP_XX]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,1,SCMP_CMP_MASKED_EQ]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,1,SCMP_CMP_EQ,3]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,x,SCMP_CMP_EQ]\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,1,SCMP_CMP_EQ] junk\n").line());
        assertEquals(3, error("2\ndenylist\nmknod errno 1 [0,18446744073709551616,SCMP_CMP_EQ]\n").line());
        assertEquals(3, error("2\ndenylist\nmk-nod\n").line());
        ConfigException seven = error("2\ndenylist\nmknod errno 1 [0,1,==][1,1,==][2,1,==][3,1,==][4,1,==]"
                + "[5,1,==][0,2,==]\n");
        assertTrue(seven.getMessage().contains("more than 6 argument filters"), seven.getMessage());
    }
}
