package org.vectrain.cli.commands;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vectrain.engine.InputException;
import org.vectrain.engine.io.AtomicFiles;

/**
 * The check of an output folder that creates nothing: commands make it before they read the data, so that
 * a bad {@code --out} is reported at once, and create the folder only once the data has been read, so that
 * a failure in between leaves no empty folder behind.
 */
final class OutputFolders {
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
}
