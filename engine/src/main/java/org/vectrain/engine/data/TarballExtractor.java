package org.vectrain.engine.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.vectrain.engine.InputException;

/**
 * Unpacks a {@code .tar.gz} whose entries all sit in one top-level folder (as the official CIFAR-10
 * tarballs do, in {@code cifar-10-batches-bin/} or {@code cifar-10-batches-py/}), safely.
 *
 * <p>Only plain files and folders are written. An entry that is absolute, has a {@code ..} step, lies
 * outside the top-level folder, is a symbolic or hard link, a device or a FIFO is refused with an
 * {@link InputException} naming it. Sizes and entry counts are bounded so a hostile archive cannot
 * fill the disk, and every header is checked before the tar reader reads a name or PAX header into
 * memory ({@link TarHeaderGuard}), so a small archive cannot fill the heap either.
 *
 * <p>Everything is written into a temporary folder next to the target; a marker file is written into
 * it last and only then is it renamed into place. So the target either does not exist or is complete,
 * and an interrupted run leaves at most a hidden temporary folder behind, named after its process, which
 * the next extraction into the same folder removes once that process is gone. A target that already has
 * its marker is reused as it is.
 */
public final class TarballExtractor {
    /** Written last into every extracted folder; its presence means the extraction completed. */
    public static final String MARKER = ".vectrain-extracted";
    /** Most bytes unpacked from one archive; the official tarballs unpack to under 200 MB. */
    static final long MAX_TOTAL_BYTES = 1L << 30;
    /** Most entries in one archive; the official tarballs have 8. */
    static final int MAX_ENTRIES = 10_000;
    /** Longest path step, in UTF-8 bytes, that common file systems accept (NAME_MAX); CIFAR's are short. */
    static final int MAX_STEP_BYTES = 255;
    /** Start of the name of the hidden folder an extraction writes into, followed by the owner's pid. */
    static final String TEMPORARY_PREFIX = ".vectrain-extract-";
    /** Longest entry name accepted; far below PATH_MAX once the target folder is prepended. */
    static final int MAX_NAME_CHARS = 1024;

    private TarballExtractor() {
    }

    /** Whether a file name looks like a gzip-compressed tarball. */
    public static boolean isTarball(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".tar.gz") || name.endsWith(".tgz");
    }

    /**
     * Unpacks {@code tarball} into {@code parent}, or reuses an earlier complete unpacking.
     *
     * @return the unpacked top-level folder, {@code parent/<top>}
     */
    public static Path extractInto(Path tarball, Path parent) {
        if (!Files.isRegularFile(tarball)) {
            throw new InputException(tarball + ": file not found");
        }
        String top = topFolder(tarball);
        Path target = parent.resolve(top);
        if (Files.isRegularFile(target.resolve(MARKER))) {
            return target;
        }
        if (Files.exists(target)) {
            throw new InputException(target + ": already exists but is not a complete unpacking of " + tarball
                    + " (no " + MARKER + " marker); remove it, or use it directly as the data folder");
        }
        Path temporary;
        try {
            Files.createDirectories(parent);
            removeAbandoned(parent);
            // Not createTempDirectory: its owner-only permissions would stay on the folder after the rename.
            temporary = Files.createDirectory(parent.resolve(TEMPORARY_PREFIX + ProcessHandle.current().pid() + "-"
                    + UUID.randomUUID()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a folder in " + parent + " to unpack " + tarball, e);
        }
        try {
            unpack(tarball, top, temporary);
            Path unpacked = temporary.resolve(top);
            Files.createDirectories(unpacked);
            Files.writeString(unpacked.resolve(MARKER), "unpacked from " + tarball.toAbsolutePath() + "\n",
                    StandardCharsets.UTF_8);
            moveIntoPlace(unpacked, target);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + tarball + " into " + parent + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(temporary);
        }
    }

    /**
     * Deletes the temporary folders in {@code parent} of extractions whose process is gone (killed before it
     * could clean up); their names carry the owner's pid. Best effort: a folder that cannot be removed stays.
     */
    private static void removeAbandoned(Path parent) {
        try (Stream<Path> entries = Files.list(parent)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.startsWith(TEMPORARY_PREFIX) || !Files.isDirectory(entry)) {
                    continue;
                }
                String rest = name.substring(TEMPORARY_PREFIX.length());
                int dash = rest.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                deleteQuietly(entry);
            }
        } catch (IOException | UncheckedIOException e) {
            // Leftovers are harmless: they never carry the marker.
        }
    }

    /** The first path step of the first entry: the folder every other entry must be in. */
    private static String topFolder(Path tarball) {
        try (TarArchiveInputStream tar = open(tarball)) {
            TarArchiveEntry first = nextEntry(tar);
            String name = first == null ? "" : safeName(first.getName(), tarball);
            while (first != null && name.isEmpty()) {
                first = nextEntry(tar);
                name = first == null ? "" : safeName(first.getName(), tarball);
            }
            if (first == null) {
                throw new InputException(tarball + ": the archive is empty");
            }
            int slash = name.indexOf('/');
            if (slash < 0 && !first.isDirectory()) {
                throw new InputException(tarball + ": entry '" + name + "' is not inside a top-level folder;"
                        + " expected all entries in one folder such as cifar-10-batches-bin/");
            }
            return slash < 0 ? name : name.substring(0, slash);
        } catch (IOException e) {
            throw unreadable(tarball, e);
        }
    }

    private static void unpack(Path tarball, String top, Path into) throws IOException {
        long total = 0;
        int entries = 0;
        byte[] buffer = new byte[1 << 16];
        try (TarArchiveInputStream tar = open(tarball)) {
            for (TarArchiveEntry entry = nextEntry(tar); entry != null; entry = nextEntry(tar)) {
                if (++entries > MAX_ENTRIES) {
                    throw new InputException(tarball + ": more than " + MAX_ENTRIES
                            + " entries, not a CIFAR-10 archive");
                }
                String name = safeName(entry.getName(), tarball);
                if (name.isEmpty() && entry.isDirectory()) {
                    continue;
                }
                if (!name.equals(top) && !name.startsWith(top + "/")) {
                    throw new InputException(tarball + ": entry '" + name + "' lies outside the top-level folder '"
                            + top + "/'");
                }
                checkType(entry, name, tarball);
                Path path = into.resolve(name).normalize();
                if (!path.startsWith(into)) {
                    throw new InputException(tarball + ": entry '" + name + "' escapes the target folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                if (entry.getSize() > MAX_TOTAL_BYTES - total) {
                    throw tooLarge(tarball);
                }
                Files.createDirectories(path.getParent());
                try (OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    for (int n = read(tar, buffer); n >= 0; n = read(tar, buffer)) {
                        total += n;
                        if (total > MAX_TOTAL_BYTES) {
                            throw tooLarge(tarball);
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (FileAlreadyExistsException e) {
                    throw new InputException(tarball + ": entry '" + name + "' appears more than once");
                }
            }
        } catch (IOException e) {
            // Only the archive's own stream is read here; writes that fail are rethrown below as they are.
            if (e instanceof ReadFailure) {
                throw unreadable(tarball, e.getCause() instanceof IOException io ? io : e);
            }
            throw e;
        }
    }

    private static TarArchiveInputStream open(Path tarball) throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(tarball), 1 << 16);
        try {
            return new TarArchiveInputStream(new TarHeaderGuard(new GzipCompressorInputStream(file), tarball));
        } catch (IOException e) {
            file.close();
            throw new ReadFailure(e);
        }
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }

    private static int read(TarArchiveInputStream tar, byte[] buffer) throws IOException {
        try {
            return tar.read(buffer);
        } catch (IOException e) {
            throw new ReadFailure(e);
        }
    }

    /** A failure to read the archive, told apart from a failure to write what it holds. */
    private static final class ReadFailure extends IOException {
        private static final long serialVersionUID = 1L;

        ReadFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static InputException unreadable(Path tarball, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new InputException(tarball + ": file not found");
        }
        Throwable cause = e instanceof ReadFailure ? e.getCause() : e;
        String problem = cause instanceof EOFException ? "it ends early"
                : cause.getMessage() == null || cause.getMessage().isBlank() ? cause.getClass().getSimpleName()
                : cause.getMessage();
        return new InputException(tarball + ": not a complete, readable .tar.gz (" + problem + ")", e);
    }

    private static InputException tooLarge(Path tarball) {
        return new InputException(tarball + ": unpacks to more than " + MAX_TOTAL_BYTES
                + " bytes, far more than CIFAR-10; refusing to fill the disk");
    }

    /**
     * The entry name as a relative path of plain steps: no leading slash, drive letter, backslash or
     * {@code ..}; {@code .} steps and a trailing slash are dropped, so {@code ./} becomes empty.
     */
    static String safeName(String raw, Path tarball) {
        if (raw.startsWith("/") || raw.indexOf('\\') >= 0 || raw.matches("^[A-Za-z]:.*")) {
            throw escapes(raw, tarball);
        }
        if (raw.chars().anyMatch(Character::isISOControl)) {
            throw new InputException(tarball + ": entry '" + printable(raw) + "' has a control character in its name");
        }
        // Refused here as bad input rather than left to fail as a write error ("File name too long") later.
        if (raw.length() > MAX_NAME_CHARS) {
            throw new InputException(tarball + ": an entry name is " + raw.length() + " characters long, more than the "
                    + MAX_NAME_CHARS + " accepted");
        }
        List<String> steps = new ArrayList<>();
        for (String step : raw.split("/")) {
            if (step.equals("..")) {
                throw escapes(raw, tarball);
            }
            if (step.getBytes(StandardCharsets.UTF_8).length > MAX_STEP_BYTES) {
                throw new InputException(tarball + ": entry '" + printable(raw.substring(0, Math.min(60, raw.length()))) + "...' has a name"
                        + " step longer than " + MAX_STEP_BYTES + " bytes, which file systems do not accept");
            }
            if (!step.isEmpty() && !step.equals(".")) {
                steps.add(step);
            }
        }
        return String.join("/", steps);
    }

    private static InputException escapes(String raw, Path tarball) {
        return new InputException(tarball + ": entry '" + printable(raw) + "' escapes the target folder"
                + " (absolute path or '..'); refusing to unpack");
    }

    private static void checkType(TarArchiveEntry entry, String name, Path tarball) {
        if (entry.isSymbolicLink() || entry.isLink()) {
            String kind = entry.isSymbolicLink() ? "a symbolic link" : "a hard link";
            String link = entry.getLinkName();
            // A symbolic link is relative to its own folder, a hard link to the archive's root.
            Path resolved = entry.isSymbolicLink() ? Path.of(name).resolveSibling(link) : Path.of(link);
            boolean outside = link.startsWith("/") || resolved.normalize().startsWith("..");
            throw new InputException(tarball + ": entry '" + name + "' is " + kind + " to '" + printable(link) + "'"
                    + (outside ? ", pointing outside the target folder" : "") + "; links are not unpacked");
        }
        if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
            throw new InputException(tarball + ": entry '" + name + "' is a device file or FIFO; only plain files"
                    + " are unpacked");
        }
        byte flag = entry.getLinkFlag();
        boolean plainFile = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG;
        if (!entry.isDirectory() && !plainFile) {
            throw new InputException(tarball + ": entry '" + name + "' has type '" + (char) flag
                    + "'; only plain files and folders are unpacked");
        }
    }

    private static String printable(String text) {
        return text.replaceAll("\\p{Cntrl}", "?");
    }

    /** Renames the finished folder into place; if another run got there first and finished, keeps theirs. */
    private static void moveIntoPlace(Path unpacked, Path target) throws IOException {
        try {
            Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            if (!Files.isRegularFile(target.resolve(MARKER))) {
                throw new InputException(target + ": appeared while unpacking, and is not complete;"
                        + " remove it and retry");
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException | UncheckedIOException e) {
            // A leftover hidden temporary folder is harmless: it never carries the marker.
        }
    }
}
