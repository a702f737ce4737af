package org.lxj.core.internal.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.cgroup.CgroupHandle;

/**
 * One backend's cgroups of a start as {@code state.json} keeps them, so a later runtime process removes exactly
 * those after the stop, even when the configuration changed since.
 *
 * @param type   the cgroup backend's type ({@code v1}, {@code v2})
 * @param handle what it made
 */
public record CgroupRecord(String type, CgroupHandle handle) {
    private static final String FIELD = "\t";
    private static final String RECORD = "\n";
    private static final String PAYLOAD = "P=";
    private static final String MONITOR = "M=";

    /** The records as one string: a line per backend, tab-separated type, payload, monitor and directories. */
    public static String encode(List<CgroupRecord> records) {
        StringBuilder sb = new StringBuilder();
        for (CgroupRecord r : records) {
            CgroupHandle h = r.handle();
            if (sb.length() > 0) {
                sb.append(RECORD);
            }
            sb.append(r.type()).append(FIELD).append(h.containerName()).append(FIELD).append(h.payload()).append(FIELD)
                    .append(h.monitor());
            h.payloadDirectories().forEach(d -> sb.append(FIELD).append(PAYLOAD).append(d));
            h.monitorDirectories().forEach(d -> sb.append(FIELD).append(MONITOR).append(d));
        }
        return sb.toString();
    }

    /**
     * The records of {@link #encode}'s text; empty for empty text.
     *
     * @throws IllegalArgumentException for malformed text
     */
    public static List<CgroupRecord> decode(String text) {
        List<CgroupRecord> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        for (String line : text.split(RECORD)) {
            String[] f = line.split(FIELD);
            if (f.length < 4) {
                throw new IllegalArgumentException("Malformed cgroup record \"" + line + "\"");
            }
            List<Path> payload = new ArrayList<>();
            List<Path> monitor = new ArrayList<>();
            for (int i = 4; i < f.length; i++) {
                if (f[i].startsWith(PAYLOAD)) {
                    payload.add(Path.of(f[i].substring(PAYLOAD.length())));
                } else if (f[i].startsWith(MONITOR)) {
                    monitor.add(Path.of(f[i].substring(MONITOR.length())));
                } else {
                    throw new IllegalArgumentException("Malformed cgroup directory \"" + f[i] + "\"");
                }
            }
            out.add(new CgroupRecord(f[0], new CgroupHandle(f[1], f[2], f[3], payload, monitor)));
        }
        return out;
    }
}
