package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.lxj.api.ConfigException;
import org.lxj.spi.launch.SeccompFilterFlag;

class OciPolicyParserTest {

    static final String PROFILE = """
            {
              "defaultAction": "SCMP_ACT_ERRNO",
              "defaultErrnoRet": 38,
              "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"],
              "flags": ["SECCOMP_FILTER_FLAG_LOG"],
              "syscalls": [
                {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                {"names": ["socket"], "action": "SCMP_ACT_ERRNO",
                 "args": [{"index": 0, "value": 40, "op": "SCMP_CMP_EQ"}]},
                {"names": ["mknod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
                 "args": [{"index": 1, "value": 61440, "valueTwo": 8192, "op": "SCMP_CMP_MASKED_EQ"}]},
                {"names": ["ptrace"], "action": "SCMP_ACT_KILL_PROCESS"},
                {"names": ["kill"], "action": "SCMP_ACT_TRAP"},
                {"names": ["uname"], "action": "SCMP_ACT_LOG"}
              ]
            }
            """;

    static Policy parse(String text) {
        return PolicyParser.parse(text, Optional.of(LxcPolicyParserTest.FILE));
    }

    @Test
    void ociProfileIsDetectedAndRead() {
        Policy p = parse(PROFILE);
        assertEquals("OCI", p.format());
        assertEquals(Action.errno(38), p.defaultAction());
        assertEquals(Set.of("x86_64", "i386"), p.architectures());
        assertEquals(Set.of(SeccompFilterFlag.LOG), p.flags());
        assertEquals(List.of("read", "write", "socket", "mknod", "ptrace", "kill", "uname"),
                p.rules().stream().map(Rule::syscall).toList());
        assertEquals(Action.errno(1), p.rules().get(2).action());
        assertEquals(List.of(new ArgCondition(0, ArgCondition.Op.EQ, 40, 0)), p.rules().get(2).conditions());
        assertEquals(Action.errno(13), p.rules().get(3).action());
        assertEquals(List.of(new ArgCondition(1, ArgCondition.Op.MASKED_EQ, 61440, 8192)),
                p.rules().get(3).conditions());
        assertEquals(List.of(Action.KILL_PROCESS, Action.TRAP, Action.LOG),
                p.rules().subList(4, 7).stream().map(Rule::action).toList());
        assertEquals(8, p.rules().get(2).line());
    }

    @Test
    void aWholeConfigJsonIsAcceptedForItsSeccompSection() {
        Policy p = parse("{\"ociVersion\": \"1.0.2\", \"linux\": {\"seccomp\": {\"defaultAction\": \"SCMP_ACT_ALLOW\","
                + " \"syscalls\": [{\"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\"}]}}}");
        assertEquals(Action.ALLOW, p.defaultAction());
        assertEquals(Action.errno(1), p.rules().get(0).action());
        assertTrue(p.architectures().isEmpty());
    }

    @Test
    void errorsNameTheLine() {
        ConfigException syntax = assertThrows(ConfigException.class, () -> parse("{\n\"defaultAction\": \n}"));
        assertEquals(3, syntax.line());
        ConfigException action = assertThrows(ConfigException.class,
                () -> parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [\n{\"names\": [\"a\"], "
                        + "\"action\": \"SCMP_ACT_MAYBE\"}]}"));
        assertEquals(2, action.line());
        assertTrue(action.getMessage().contains("SCMP_ACT_MAYBE"), action.getMessage());
        assertThrows(ConfigException.class, () -> parse("{\"syscalls\": []}"));
        assertThrows(ConfigException.class, () -> parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", "
                + "\"architectures\": [\"SCMP_ARCH_SPARC\"]}"));
        assertThrows(ConfigException.class, () -> parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                + "[{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 6, \"value\": 1, "
                + "\"op\": \"SCMP_CMP_EQ\"}]}]}"));
        assertThrows(ConfigException.class, () -> parse("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": "
                + "[{\"names\": [\"a\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"value\": -1, "
                + "\"op\": \"SCMP_CMP_EQ\"}]}]}"));
        ConfigException docker = assertThrows(ConfigException.class, () -> parse("{\"defaultAction\": "
                + "\"SCMP_ACT_ERRNO\", \"archMap\": []}"));
        assertTrue(docker.getMessage().contains("Docker"), docker.getMessage());
    }
}
