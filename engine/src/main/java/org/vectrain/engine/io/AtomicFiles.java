package org.vectrain.engine.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.vectrain.engine.InputException;

/**
 * Writes files whole or not at all.
 *
 * <p>The content goes to a hidden temporary file next to the target ({@code .name.<random>.tmp}),
 * is forced to disk, and is renamed over the target with {@link StandardCopyOption#ATOMIC_MOVE}.
 * A reader therefore sees either the old file or the complete new one. On any failure, including an
 * exception thrown by a {@link ContentWriter}, the temporary file is deleted and the target is left
 * as it was.
 *
 * <p>Errors: {@link #ensureWritableDirectory} is the check made once on a folder the user named, and
 * throws {@link InputException}. The write methods assume that check was made and report a failure
 * (disk full, permission lost) as an {@link UncheckedIOException} whose cause's message starts with
 * the target path, so the command line can print it as it is.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Produces the content of a file; may throw, in which case nothing is written. */
    @FunctionalInterface
    public interface ContentWriter {
        /** Writes the whole content to {@code out}; must not close it. */
        void writeTo(OutputStream out) throws IOException;
    }

    /** Atomically replaces {@code target} with {@code bytes}, creating missing parent folders. */
    public static void write(Path target, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        write(target, out -> out.write(bytes));
    }

    /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
    public static void writeString(Path target, String text) {
        Objects.requireNonNull(text, "text");
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Atomically replaces {@code target} with what {@code content} writes, creating missing parent
     * folders. An unchecked exception from {@code content} is rethrown unchanged after clean-up.
     */
    public static void write(Path target, ContentWriter content) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(content, "content");
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        if (dir == null || absolute.getFileName() == null) {
            throw new IllegalArgumentException(target + ": not a file path");
        }
        if (Files.isDirectory(absolute)) {
            // Files.move with REPLACE_EXISTING would silently replace an empty folder.
            throw failure(target, new IOException("is a folder"));
        }
        Path temp = null;
        boolean moved = false;
        try {
            Files.createDirectories(dir);
            temp = createTemp(dir, absolute.getFileName().toString());
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                // The stream is flushed, not closed: closing it would close the channel before force().
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            move(temp, absolute);
            moved = true;
            syncDirectory(dir);
        } catch (IOException e) {
            throw failure(target, e);
        } finally {
            if (!moved && temp != null) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Creates {@code dir} (and its parents) if needed and checks that files can be created in it,
     * by creating and deleting a probe file: permission bits alone say nothing about read-only
     * mounts or a process running as root.
     *
     * @param flag the command-line flag that named the folder, e.g. {@code --out}; it starts the message
     * @return {@code dir}
     * @throws InputException {@code "<flag> <dir>: ..."} if it is not a folder, cannot be created or
     *     cannot be written
     */
    public static Path ensureWritableDirectory(Path dir, String flag) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(flag, "flag");
        if (dir.toString().isEmpty()) {
            // Path.of("") is the current folder: an empty flag value must not write there.
            throw new InputException(flag + ": the path is empty");
        }
        String name = flag + " " + dir;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new InputException(name + ": not a folder");
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new InputException(name + ": cannot create the folder (" + describe(e) + ")", e);
        }
        try {
            Path probe = createTemp(dir.toAbsolutePath(), "write-probe");
            Files.delete(probe);
        } catch (IOException e) {
            throw new InputException(name + ": not writable (" + describe(e) + ")", e);
        }
        return dir;
    }

    /**
     * Creates an empty temporary file with the default permissions. {@link Files#createTempFile}
     * would make it owner-only (0600), and the rename would carry that mode over to the output.
     */
    private static Path createTemp(Path dir, String fileName) throws IOException {
        while (true) {
            String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong());
            Path temp = dir.resolve("." + fileName + "." + suffix + ".tmp");
            try {
                return Files.createFile(temp);
            } catch (FileAlreadyExistsException e) {
                // Another writer picked the same random name; try another.
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // Some network and FUSE file systems refuse the flag; a plain rename within one folder
            // is still the closest they offer, and far better than writing the target in place.
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes the rename itself durable; best effort, since not every platform can open a folder. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // The file content is already on disk; only the rename could be lost on power failure.
        }
    }

    private static void deleteQuietly(Path temp) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            // Nothing more can be done; the name starts with '.' and ends in .tmp so it is recognisable.
        }
    }

    private static UncheckedIOException failure(Path target, IOException e) {
        return new UncheckedIOException(new IOException(target + ": cannot write (" + describe(e) + ")", e));
    }

    /** An exception's message, or its type when it has none (NIO often gives only the path). */
    private static String describe(IOException e) {
        String message = e.getMessage();
        String type = e.getClass().getSimpleName();
        if (message == null || message.isBlank()) {
            return type;
        }
        // AccessDeniedException and friends carry only the path as message; the type says what went wrong.
        return e instanceof FileSystemException fs && fs.getReason() == null ? type + ": " + message : message;
    }
}
