package org.lxj.storage.loop.internal;

import java.nio.file.Path;

/** Makes a filesystem of a type in an image file ({@code mkfs}). */
interface FilesystemMaker {

    /**
     * Formats {@code image} as {@code fstype}.
     *
     * @throws org.lxj.spi.backend.BackendException naming the command and what it printed
     */
    void make(String fstype, Path image);
}
