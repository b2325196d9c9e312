package org.vectrain.cli.commands;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vectrain.engine.InputException;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.OutputLock;

/**
 * The output folders of the command running on this thread. A command checks its folder before it reads
 * the data ({@link #checkCreatable}, which creates nothing), so that a bad {@code --out} is reported at
 * once, and creates and locks it only once the data has been read ({@link #lock}), so that a failure in
 * between leaves no empty folder behind. The locks are held until {@link #releaseAll} (which {@code Main}
 * calls when the command returns, however it ends), or until the process exits.
 */
public final class OutputFolders {
    private static final ThreadLocal<List<OutputLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private OutputFolders() {
    }

    /**
     * Whether {@code dir} is a writable folder or could be created as one, without creating it (a probe is
     * made and removed at once).
     *
     * @throws InputException naming {@code flag} and the folder when it could not be used
     */
    static void checkCreatable(Path dir, String flag) {
        if (Files.exists(dir)) {
            // creates nothing: the folder is there, and the check only writes and removes a probe file
            AtomicFiles.ensureWritableDirectory(dir, flag);
            return;
        }
        String name = flag + " " + dir;
        Path ancestor = dir.toAbsolutePath().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return;
        }
        if (!Files.isDirectory(ancestor)) {
            throw new InputException(name + ": cannot create the folder (" + ancestor + " is not a folder)");
        }
        try {
            Files.delete(Files.createTempDirectory(ancestor, ".vectrain-probe"));
        } catch (IOException e) {
            String reason = e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason()
                    : e instanceof AccessDeniedException ? "permission denied" : e.toString();
            throw new InputException(name + ": cannot create the folder (" + ancestor + ": " + reason + ")", e);
        }
    }

    /**
     * Creates {@code out} if needed, checks that it can be written and locks it for this command.
     *
     * @throws InputException when it cannot be written or another run holds it
     */
    static void lock(Path out) {
        AtomicFiles.ensureWritableDirectory(out, "--out");
        HELD.get().add(OutputLock.acquire(out, "--out"));
    }

    /** Releases every folder this thread's command locked. */
    public static void releaseAll() {
        List<OutputLock> held = HELD.get();
        for (OutputLock lock : held) {
            lock.close();
        }
        held.clear();
    }
}
