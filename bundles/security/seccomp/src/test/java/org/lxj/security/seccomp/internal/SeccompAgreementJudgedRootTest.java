package org.lxj.security.seccomp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.lxj.linux.internal.JnaSyscalls;
import org.lxj.spi.security.Capability;
import org.lxj.spi.seccomp.SeccompRequest;

/**
 * The Java interpreter against the kernel: each filter the compiler makes here is loaded into the running kernel
 * by a small static C probe ({@code agree-probe.c}, built with the host's {@code gcc}), which makes every call of a
 * table in a forked child (native x86_64, x32 by the {@code 0x40000000} bit, i386 by {@code int $0x80}) and says
 * what happened; the interpreter, on the same program, must predict it for every row. The same rows without a
 * filter give what an allowed call does. No container and no root: seccomp with {@code no_new_privs} needs
 * neither, and every call is harmless (NULL pointers, bad descriptors, a child's own namespaces and personality).
 */
class SeccompAgreementJudgedRootTest {

    // x86_64 numbers
    static final int GETPID = 39, SOCKET = 41, UNSHARE = 272, MOUNT = 165, UMOUNT2 = 166, MKDIR = 83, UMASK = 95,
            PERSONALITY = 135, INIT_MODULE = 175, DELETE_MODULE = 176, KEXEC_LOAD = 246, OPEN_BY_HANDLE_AT = 304,
            FINIT_MODULE = 313;
    // i386 numbers
    static final int I_GETPID = 20, I_MKDIR = 39, I_UMOUNT2 = 52, I_UMASK = 60, I_INIT_MODULE = 128,
            I_DELETE_MODULE = 129, I_PERSONALITY = 136, I_KEXEC_LOAD = 283, I_SOCKET = 359, I_UNSHARE = 310;
    static final int SIGSYS = 31;
    static final int X86_64 = 0xC000003E, I386 = 0x40000003, X32_BIT = 0x40000000;
    static final Path COMMON = Path.of("/usr/share/lxc/config/common.seccomp");
    /** Docker's default capabilities. */
    static final List<String> DOCKER_CAPS = List.of("chown", "dac_override", "fowner", "fsetid", "kill", "setgid",
            "setuid", "setpcap", "net_bind_service", "net_raw", "sys_chroot", "mknod", "audit_write", "setfcap");

    static Path base;
    static Path probe;
    static Optional<LibSeccomp> lib;

    LibseccompCompiler compiler;

    /** One call: the ABI ({@code 64}, {@code x32} or {@code 32}), the number, the arguments. */
    record Row(String abi, int nr, long... args) {

        String text() {
            StringBuilder b = new StringBuilder(abi).append(':').append(nr);
            for (int i = 0; i < args.length; i++) {
                b.append(i == 0 ? ':' : ',').append(Long.toUnsignedString(args[i]));
            }
            return b.toString();
        }

        /** What {@code seccomp_data} holds for this call: the audit arch, the number, the (truncated) arguments. */
        Action predict(BpfInterpreter bpf) {
            long[] a = args.clone();
            if (abi.equals("32")) {
                for (int i = 0; i < a.length; i++) {
                    a[i] &= 0xffffffffL;
                }
                return bpf.run(I386, nr, a);
            }
            return bpf.run(X86_64, abi.equals("x32") ? nr | X32_BIT
                    : nr, a);
        }
    }

    static Row r64(int nr, long... args) {
        return new Row("64", nr, args);
    }

    static Row r32(int nr, long... args) {
        return new Row("32", nr, args);
    }

    static Row x32(int nr, long... args) {
        return new Row("x32", nr, args);
    }

    @BeforeAll
    static void gccAndLibseccomp() throws IOException, InterruptedException {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "the syscall numbers and the probe are x86_64's");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "needs gcc and a static libc (Debian gcc, libc6-dev)");
        try {
            lib = Optional.of(LibSeccomp.load());
        } catch (UnsatisfiedLinkError e) {
            lib = Optional.empty();
        }
        assumeTrue(lib.isPresent(), "needs libseccomp.so.2 (Debian libseccomp2)");
        base = Files.createTempDirectory(Path.of("/tmp"), "lxj-E-agree-");
        Path src = base.resolve("agree-probe.c");
        try (InputStream in = SeccompAgreementJudgedRootTest.class.getResourceAsStream("agree-probe.c")) {
            Files.write(src, in.readAllBytes());
        }
        probe = base.resolve("agree-probe");
        Process p = new ProcessBuilder("/usr/bin/gcc", "-static", "-O2", "-o", probe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "gcc finishes");
        assumeTrue(p.exitValue() == 0, "gcc -static failed (libc6-dev missing?): " + log);
        Map<String, String> ia32 = outcomes(null, List.of(r32(I_GETPID)));
        assumeTrue(ia32.get("32:" + I_GETPID).equals("ok"), "the kernel runs no i386 calls (IA32 emulation off): "
                + ia32);
    }

    @AfterAll
    static void removeBase() throws IOException {
        SecurityProbeFixture.deleteTree(base);
    }

    @BeforeEach
    void setUp() {
        compiler = new LibseccompCompiler(new JnaSyscalls(), lib);
    }

    /** The probe's outcome for each row, under {@code program} loaded in the kernel (none when null). */
    static Map<String, String> outcomes(byte[] program, List<Row> rows) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(probe.toString()));
        if (program == null) {
            cmd.add("-");
        } else {
            Path f = Files.createTempFile(base, "filter-", ".bpf");
            Files.write(f, program);
            cmd.add(f.toString());
        }
        rows.forEach(r -> cmd.add(r.text()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe finishes");
        assertEquals(0, p.exitValue(), "probe " + cmd + ": " + out);
        Map<String, String> m = new LinkedHashMap<>();
        out.lines().forEach(l -> m.put(l.substring(0, l.indexOf(' ')), l.substring(l.indexOf(' ') + 1)));
        assertEquals(rows.size(), m.size(), out);
        return m;
    }

    /** What the kernel shows for {@code action}: an allowed (or logged) call does what it does without a filter. */
    static String observable(Action action, String allowed) {
        return switch (action.kind()) {
            case ALLOW, LOG -> allowed;
            case ERRNO -> "errno=" + action.data();
            case TRAP -> "trap";
            case KILL_PROCESS, KILL_THREAD -> "signal=" + SIGSYS;
            default -> throw new AssertionError("no row of this table reaches " + action);
        };
    }

    /**
     * Loads {@code request}'s program in the kernel, runs {@code rows}, and checks that the interpreter predicts each
     * outcome. Returns the interpreter's actions so a test can also pin the ones the judged behaviour names.
     */
    Map<String, Action> agree(SeccompRequest request, List<Row> rows) throws IOException, InterruptedException {
        byte[] program = compiler.compile(request).program().filter();
        BpfInterpreter bpf = new BpfInterpreter(program);
        Map<String, String> allowed = outcomes(null, rows);
        Map<String, String> kernel = outcomes(program, rows);
        Map<String, Action> actions = new LinkedHashMap<>();
        List<String> disagreements = new ArrayList<>();
        for (Row r : rows) {
            Action a = r.predict(bpf);
            actions.put(r.text(), a);
            String want = observable(a, allowed.get(r.text()));
            if (!want.equals(kernel.get(r.text()))) {
                disagreements.add(r.text() + ": interpreter " + a + " (" + want + "), kernel " + kernel.get(r.text()));
            }
        }
        assertEquals(List.of(), disagreements, "rows where the interpreter and the kernel disagree; kernel: " + kernel
                + ", without a filter: " + allowed);
        return actions;
    }

    static SeccompRequest lxc(String policy, List<String> arches) {
        return new SeccompRequest(policy, Optional.empty(), arches, -1L, false);
    }

    static String summary(Map<String, Action> actions) {
        return actions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Test
    void lxcCommonDenylistOnAllThreeAbis() throws IOException, InterruptedException {
        Path common = COMMON;
        assumeTrue(Files.isRegularFile(common), "needs LXC's " + common + " (Debian lxc)");
        List<Row> rows = List.of(r64(INIT_MODULE, 0, 0, 0), r64(FINIT_MODULE, -1, 0, 0), r64(DELETE_MODULE, 0, 0),
                r64(KEXEC_LOAD, 0, 0, 0, 0x12340000), r64(OPEN_BY_HANDLE_AT, -1, 0, 0), r64(UMOUNT2, 0, 1),
                r64(UMOUNT2, 0, 2), r64(UMOUNT2, 0, 3), r64(GETPID), r64(MKDIR, 0),
                r32(I_INIT_MODULE, 0, 0, 0), r32(I_DELETE_MODULE, 0, 0), r32(I_KEXEC_LOAD, 0, 0, 0, 0x12340000),
                r32(I_UMOUNT2, 0, 1), r32(I_UMOUNT2, 0, 2), r32(I_GETPID), r32(I_MKDIR, 0),
                x32(GETPID), x32(INIT_MODULE, 0, 0, 0));
        Map<String, Action> a = agree(lxc(Files.readString(common), Arches.withCompat("x86_64")), rows);
        String s = summary(a);
        for (String denied : List.of("64:175:0,0,0", "64:313:18446744073709551615,0,0", "64:176:0,0",
                "64:246:0,0,0,305397760", "64:304:18446744073709551615,0,0", "32:128:0,0,0", "32:129:0,0",
                "32:283:0,0,0,305397760")) {
            assertEquals(Action.errno(1), a.get(denied), denied + " in " + s);
        }
        assertEquals(Action.errno(13), a.get("64:166:0,1"), "umount2 with MNT_FORCE: EACCES: " + s);
        assertEquals(Action.errno(13), a.get("64:166:0,3"), s);
        assertEquals(Action.ALLOW, a.get("64:166:0,2"), "MNT_DETACH alone passes: " + s);
        assertEquals(Action.errno(13), a.get("32:52:0,1"), s);
        assertEquals(Action.KILL_PROCESS, a.get("x32:39"), "x32 meets the bad-arch action: " + s);
        assertEquals(Action.KILL_PROCESS, a.get("x32:175:0,0,0"), s);
    }

    @Test
    void aForeignArchitectureMeetsTheBadArchAction() throws IOException, InterruptedException {
        // compiled for x86_64 alone, i386 is a foreign architecture to the filter
        List<Row> rows = List.of(r64(GETPID), r64(MKDIR, 0), r32(I_GETPID), r32(I_MKDIR, 0), x32(GETPID));
        Map<String, Action> a = agree(lxc("2\ndenylist\n[all]\nmkdir errno 5\n", List.of("x86_64")), rows);
        assertEquals(Action.KILL_PROCESS, a.get("32:20"), summary(a));
        assertEquals(Action.KILL_PROCESS, a.get("32:39:0"), summary(a));
        assertEquals(Action.errno(5), a.get("64:83:0"), summary(a));
        assertEquals(Action.ALLOW, a.get("64:39"), summary(a));
    }

    @Test
    void argumentFiltersCompareAll64BitsAndEveryCondition() throws IOException, InterruptedException {
        String policy = """
                2
                denylist
                [all]
                socket errno 1 [0,40,SCMP_CMP_EQ]
                socket errno 97 [0,10,SCMP_CMP_EQ] [1,2,SCMP_CMP_EQ]
                umask errno 22 [0,0777,SCMP_CMP_GT]
                personality errno 95 [0,0x400000,SCMP_CMP_MASKED_EQ,0x400000]
                """;
        List<Row> rows = List.of(r64(SOCKET, 40, 1, 0), r64(SOCKET, 1, 1, 0), r64(SOCKET, 2, 2, 0),
                r64(SOCKET, 0x100000028L, 1, 0), r64(SOCKET, 10, 2, 0), r64(SOCKET, 10, 1, 0),
                r64(UMASK, 022), r64(UMASK, 0777), r64(UMASK, 01000), r64(PERSONALITY, 0xffffffffL),
                r64(PERSONALITY, 0x400000), r64(PERSONALITY, 0x400008), r64(PERSONALITY, 8),
                r32(I_SOCKET, 40, 1, 0), r32(I_SOCKET, 2, 2, 0), r32(I_SOCKET, 10, 2, 0), r32(I_UMASK, 01000),
                r32(I_UMASK, 022), r32(I_PERSONALITY, 0x400000));
        Map<String, Action> a = agree(lxc(policy, Arches.withCompat("x86_64")), rows);
        String s = summary(a);
        assertEquals(Action.errno(1), a.get("64:41:40,1,0"), "AF_VSOCK: " + s);
        assertEquals(Action.ALLOW, a.get("64:41:1,1,0"), "AF_UNIX: " + s);
        assertEquals(Action.ALLOW, a.get("64:41:4294967336,1,0"), "the high word differs: " + s);
        assertEquals(Action.errno(97), a.get("64:41:10,2,0"), "both conditions hold: " + s);
        assertEquals(Action.ALLOW, a.get("64:41:10,1,0"), "only one holds: " + s);
        assertEquals(Action.errno(22), a.get("64:95:512"), s);
        assertEquals(Action.ALLOW, a.get("64:95:511"), s);
        assertEquals(Action.errno(95), a.get("64:135:4194312"), s);
        assertEquals(Action.ALLOW, a.get("64:135:8"), s);
        assertEquals(Action.errno(1), a.get("32:359:40,1,0"), s);
    }

    @Test
    void allowlistTrapAndPerArchSections() throws IOException, InterruptedException {
        String trap = "2\nallowlist trap\n[all]\nwrite\nexit_group\nexit\ngetpid\n";
        Map<String, Action> a = agree(lxc(trap, Arches.withCompat("x86_64")), List.of(r64(GETPID), r64(MKDIR, 0),
                r64(UMASK, 022), r32(I_GETPID), r32(I_MKDIR, 0), x32(GETPID)));
        assertEquals(Action.ALLOW, a.get("64:39"), summary(a));
        assertEquals(Action.TRAP, a.get("64:83:0"), "an unlisted syscall: SIGSYS: " + summary(a));
        assertEquals(Action.TRAP, a.get("32:39:0"), summary(a));
        String sections = "2\ndenylist\n[x86_64]\nmkdir errno 5\n[x86]\nmkdir errno 6\numask kill\n[all]\n"
                + "personality errno 7\n";
        Map<String, Action> b = agree(lxc(sections, Arches.withCompat("x86_64")), List.of(r64(MKDIR, 0),
                r32(I_MKDIR, 0), r64(UMASK, 022), r32(I_UMASK, 022), r64(PERSONALITY, 0xffffffffL),
                r32(I_PERSONALITY, 0xffffffffL), r64(GETPID), r32(I_GETPID)));
        assertEquals(Action.errno(5), b.get("64:83:0"), summary(b));
        assertEquals(Action.errno(6), b.get("32:39:0"), summary(b));
        assertEquals(Action.ALLOW, b.get("64:95:18"), "the [x86] rule stays on i386: " + summary(b));
        assertEquals(Action.KILL_PROCESS, b.get("32:60:18"), summary(b));
        assertEquals(Action.errno(7), b.get("32:136:4294967295"), summary(b));
    }

    @Test
    void dockerDefaultFlattenedForDockersCapabilities() throws IOException, InterruptedException {
        SeccompRequest docker = new SeccompRequest(
                SeccompContributor.builtin(SeccompContributor.DOCKER_DEFAULT).orElseThrow(),
                Optional.of(Path.of(SeccompContributor.DOCKER_DEFAULT)), Arches.withCompat("x86_64"),
                DOCKER_CAPS.stream().mapToLong(n -> Capability.find(n).orElseThrow().bit())
                        .reduce(0L, (x, y) -> x | y), false);
        List<Row> rows = List.of(r64(UNSHARE, 0x40000000), r64(UNSHARE, 0x10000000), r64(UNSHARE, 0),
                r64(SOCKET, 38, 5, 0), r64(SOCKET, 40, 1, 0), r64(SOCKET, 2, 2, 0), r64(SOCKET, 1, 1, 0),
                r64(MOUNT, 0, 0, 0, 0, 0), r64(PERSONALITY, 0xffffffffL), r64(PERSONALITY, 8),
                r64(PERSONALITY, 0x400000), r64(GETPID), r64(INIT_MODULE, 0, 0, 0), r64(UMASK, 022),
                r32(I_UNSHARE, 0x40000000), r32(I_SOCKET, 38, 5, 0), r32(I_SOCKET, 2, 2, 0), r32(I_GETPID),
                r32(I_PERSONALITY, 0x400000), x32(GETPID), x32(UNSHARE, 0x40000000));
        Map<String, Action> a = agree(docker, rows);
        String s = summary(a);
        assertEquals(Action.errno(1), a.get("64:272:1073741824"), "unshare -n: " + s);
        assertEquals(Action.errno(1), a.get("64:41:38,5,0"), "AF_ALG: " + s);
        assertEquals(Action.errno(1), a.get("64:165:0,0,0,0,0"), "mount without CAP_SYS_ADMIN: " + s);
        assertEquals(Action.ALLOW, a.get("64:41:2,2,0"), s);
        assertEquals(Action.ALLOW, a.get("64:135:8"), s);
        assertEquals(Action.errno(1), a.get("64:135:4194304"), s);
        assertEquals(Action.errno(1), a.get("32:359:38,5,0"), s);
    }
}
