package org.lxj.security.seccomp.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntBiFunction;

import org.lxj.spi.backend.BackendException;

/**
 * A cheap check of every compiled filter with the {@link BpfInterpreter}: a foreign architecture meets the
 * bad-architecture action, each syscall with one unconditional rule gets that rule's action on the native
 * architecture, and a number above the tables gets the stub's {@code ENOSYS} (or the default action).
 */
final class FilterCheck {

    /** An architecture no filter here targets, for the bad-architecture probe. */
    private static final int FOREIGN = 0x80000016; // s390x
    private static final int FOREIGN_ALT = 0xC00000B7; // aarch64, when s390x is targeted

    private FilterCheck() {
    }

    /**
     * @param resolve the syscall number of a name on an architecture token, negative when it has none
     * @param maxNr   the highest native number the tables know, or -1 when no stub was added
     */
    static void verify(byte[] program, Policy policy, List<String> arches, ToIntBiFunction<Integer, String> resolve,
            int maxNr) {
        BpfInterpreter bpf = new BpfInterpreter(program);
        String nativeArch = arches.get(0);
        int nativeToken = Arches.token(nativeArch);
        int foreign = arches.contains("s390x") ? FOREIGN_ALT : FOREIGN;
        expect(bpf.run(foreign, 0), Action.KILL_PROCESS, "syscall 0 on a foreign architecture");
        Map<String, List<Rule>> byName = new HashMap<>();
        for (Rule r : policy.rules()) {
            if (r.arch().isEmpty() || r.arch().get().equals(nativeArch)) {
                byName.computeIfAbsent(r.syscall(), n -> new ArrayList<>()).add(r);
            }
        }
        for (Map.Entry<String, List<Rule>> e : byName.entrySet()) {
            List<Rule> rules = e.getValue();
            Rule r = rules.get(0);
            if (rules.size() != 1 || !r.conditions().isEmpty()) {
                continue;
            }
            int nr = r.number().isPresent() ? r.number().getAsInt() : resolve.applyAsInt(nativeToken, r.syscall());
            if (nr >= 0 && (maxNr < 0 || nr <= maxNr)) {
                expect(bpf.run(nativeToken, nr), r.action(), "\"" + r.syscall() + "\" on " + nativeArch);
            }
        }
        if (maxNr >= 0) {
            expect(bpf.run(nativeToken, maxNr + 1), Action.errno(EnosysStub.ENOSYS),
                    "syscall " + (maxNr + 1) + " on " + nativeArch);
        }
    }

    private static void expect(Action got, Action want, String what) {
        if (!got.equals(want)) {
            throw new BackendException("Compiled seccomp filter disagrees with its policy: " + what + " gives "
                    + got + ", expected " + want);
        }
    }
}
