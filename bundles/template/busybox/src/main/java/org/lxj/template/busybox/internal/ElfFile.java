package org.lxj.template.busybox.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The one fact the template needs from an ELF executable: its program interpreter ({@code PT_INTERP}),
 * absent for a static binary. Read from the program headers, without running the file.
 */
final class ElfFile {

    private static final int PT_INTERP = 3;
    private static final int MAX_PHNUM = 4096;
    private static final int MAX_INTERP = 4096;

    private ElfFile() {
    }

    /**
     * The interpreter of the ELF executable at {@code file}, empty when it is linked statically.
     *
     * @throws NotElfException when the file is not an ELF file or its headers are out of bounds
     */
    static Optional<String> interpreter(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer ident = read(ch, 0, 64);
            if (ident.limit() < 52 || ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L'
                    || ident.get(3) != 'F') {
                throw new NotElfException("it is not an ELF file");
            }
            boolean is64 = ident.get(4) == 2;
            if (!is64 && ident.get(4) != 1) {
                throw new NotElfException("unknown ELF class " + ident.get(4));
            }
            if (ident.limit() < (is64 ? 64 : 52)) {
                throw new NotElfException("its ELF header is truncated");
            }
            ident.order(ident.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            long phoff = is64 ? ident.getLong(0x20) : Integer.toUnsignedLong(ident.getInt(0x1c));
            int phentsize = Short.toUnsignedInt(ident.getShort(is64 ? 0x36 : 0x2a));
            int phnum = Short.toUnsignedInt(ident.getShort(is64 ? 0x38 : 0x2c));
            if (phnum > MAX_PHNUM || phentsize < (is64 ? 56 : 32)) {
                throw new NotElfException("its program headers are malformed");
            }
            for (int i = 0; i < phnum; i++) {
                ByteBuffer ph = read(ch, phoff + (long) i * phentsize, phentsize).order(ident.order());
                if (ph.limit() < phentsize) {
                    throw new NotElfException("its program headers run past the end of the file");
                }
                if (ph.getInt(0) == PT_INTERP) {
                    long offset = is64 ? ph.getLong(0x08) : Integer.toUnsignedLong(ph.getInt(0x04));
                    long size = is64 ? ph.getLong(0x20) : Integer.toUnsignedLong(ph.getInt(0x10));
                    if (size <= 0 || size > MAX_INTERP) {
                        throw new NotElfException("its interpreter header is malformed");
                    }
                    ByteBuffer s = read(ch, offset, (int) size);
                    byte[] bytes = new byte[s.limit()];
                    s.get(bytes);
                    int end = 0;
                    while (end < bytes.length && bytes[end] != 0) {
                        end++;
                    }
                    return Optional.of(new String(bytes, 0, end, StandardCharsets.UTF_8));
                }
            }
            return Optional.empty();
        }
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        if (position < 0) {
            return buf.flip();
        }
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                break;
            }
        }
        return buf.flip();
    }

    /** The file is not an ELF executable this reader understands. */
    static final class NotElfException extends IOException {
        private static final long serialVersionUID = 1L;

        NotElfException(String reason) {
            super(reason);
        }
    }
}
