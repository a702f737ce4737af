package org.lxj.spi.seccomp;

import java.util.List;
import java.util.Objects;

import org.lxj.spi.launch.SeccompProgram;

/**
 * A compiler's output.
 *
 * @param program  the program and its load flags, ready for the plan
 * @param cacheKey the request's {@link SeccompRequest#cacheKey} for this compiler
 * @param warnings what the compiler skipped or changed, one line each (syscalls unknown to its tables,
 *                 as {@code Skipping unknown syscall "mseal" for x86_64}); core logs them at WARN
 */
public record CompiledFilter(SeccompProgram program, String cacheKey, List<String> warnings) {
    public CompiledFilter {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(cacheKey, "cacheKey");
        warnings = List.copyOf(warnings);
    }
}
