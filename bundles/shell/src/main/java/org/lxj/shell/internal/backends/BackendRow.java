package org.lxj.shell.internal.backends;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One line of {@code lxj:backends}: a registered backend service, where it comes from and what its probe says.
 *
 * @param area      the SPI area ({@code storage}, {@code cgroup}, ...)
 * @param type      {@code lxj.backend.type}, or {@code type()} when the property is missing
 * @param bundle    the symbolic name of the registering bundle
 * @param version   that bundle's version
 * @param ranking   {@code service.ranking} (0 when unset)
 * @param serviceId {@code service.id}
 * @param available the result of {@code detect(host)}
 * @param reason    why
 */
public record BackendRow(String area, String type, String bundle, String version, int ranking, long serviceId,
        boolean available, String reason) {

    /** Area by area, in the order core asks them: highest ranking first, then the lower service id. */
    public static final Comparator<BackendRow> ORDER = Comparator.comparing(BackendRow::area)
            .thenComparing(Comparator.comparingInt(BackendRow::ranking).reversed())
            .thenComparingLong(BackendRow::serviceId);

    private static final List<String> HEADER = List.of("AREA", "TYPE", "BUNDLE", "VERSION", "RANKING", "DETECT", "WHY");

    /** The table {@code lxj:backends} prints: a header, then one aligned row per backend, sorted by {@link #ORDER}. */
    public static String table(List<BackendRow> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(HEADER);
        rows.stream().sorted(ORDER).forEach(r -> cells.add(List.of(r.area, r.type, r.bundle, r.version,
                r.ranking == Integer.MIN_VALUE ? "min" : Integer.toString(r.ranking),
                r.available ? "available" : "unavailable", r.reason)));
        int[] widths = new int[HEADER.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(row.get(i));
                if (i < row.size() - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
