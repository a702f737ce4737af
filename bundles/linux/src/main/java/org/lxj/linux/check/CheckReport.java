package org.lxj.linux.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The result of a host check, laid out as lxc-checkconfig prints it.
 *
 * @param preamble lines before the first section (where the kernel configuration was found)
 * @param sections the sections in order
 * @param epilogue lines after the last section (the {@code Note :} and {@code usage :} lines)
 */
public record CheckReport(List<String> preamble, List<CheckSection> sections, List<String> epilogue) {
    public CheckReport {
        preamble = List.copyOf(preamble);
        sections = List.copyOf(sections);
        epilogue = List.copyOf(epilogue);
    }

    /** The section with this title. */
    public Optional<CheckSection> section(String title) {
        return sections.stream().filter(s -> s.title().equals(title)).findFirst();
    }

    /** The same report with {@code line} first ({@code LXJ version 0.1.0}, as LXC prints its version). */
    public CheckReport withTitle(String line) {
        List<String> p = new ArrayList<>();
        p.add(line);
        p.addAll(preamble);
        return new CheckReport(p, sections, epilogue);
    }

    /** Whether any line is {@link CheckStatus#REQUIRED} or {@link CheckStatus#FAILED}. */
    public boolean hasFailures() {
        return sections.stream().flatMap(s -> s.lines().stream())
                .anyMatch(l -> l.status() == CheckStatus.REQUIRED || l.status() == CheckStatus.FAILED);
    }
}
