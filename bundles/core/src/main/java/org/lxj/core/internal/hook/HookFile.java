package org.lxj.core.internal.hook;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.lxj.spi.launch.Hook;

/**
 * Keeps the hooks that run after a container stopped (post-stop) in its run directory, as computed at the start:
 * the cleanup may happen in another runtime process, after the config changed. One NUL-terminated field per line
 * of data: the stage key, the argv count, the argv, the environment count, the environment.
 */
public final class HookFile {
    /** The file's name in the run directory. */
    public static final String NAME = "hooks";

    private HookFile() {
    }

    /** Writes {@code hooks} to {@code file}; writes nothing for none. */
    public static void write(Path file, List<Hook> hooks) throws IOException {
        if (hooks.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (Hook h : hooks) {
            field(sb, h.stage().key());
            field(sb, Integer.toString(h.argv().size()));
            h.argv().forEach(a -> field(sb, a));
            field(sb, Integer.toString(h.env().size()));
            h.env().forEach(e -> field(sb, e));
        }
        Files.writeString(file, sb, StandardCharsets.UTF_8);
    }

    /**
     * The hooks in {@code file}, none when it does not exist.
     *
     * @throws IOException when it cannot be read or is malformed
     */
    public static List<Hook> read(Path file) throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        if (text.isEmpty()) {
            return List.of();
        }
        if (!text.endsWith("\0")) {
            throw new IOException("Malformed hook file \"" + file + "\": truncated");
        }
        String[] f = text.substring(0, text.length() - 1).split("\0", -1);
        List<Hook> hooks = new ArrayList<>();
        int i = 0;
        try {
            while (i < f.length) {
                Hook.Stage stage = Hook.Stage.find(f[i++]).orElseThrow(() -> new IllegalArgumentException("stage"));
                int argc = Integer.parseInt(f[i++]);
                List<String> argv = List.of(f).subList(i, i + argc);
                i += argc;
                int envc = Integer.parseInt(f[i++]);
                List<String> env = List.of(f).subList(i, i + envc);
                i += envc;
                hooks.add(new Hook(stage, argv, env));
            }
        } catch (RuntimeException e) {
            throw new IOException("Malformed hook file \"" + file + "\": " + e.getMessage(), e);
        }
        return hooks;
    }

    private static void field(StringBuilder sb, String s) {
        sb.append(s).append('\0');
    }
}
