package org.vectrain.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import org.vectrain.engine.InputException;

/**
 * The check of an output folder that creates nothing: commands make it before they read the data, so that
 * a bad {@code --out} is reported at once, and create the folder only once the data has been read, so that
 * a failure in between leaves no empty folder behind.
 */
final class OutputFolders {
    private OutputFolders() {
    }

    /**
     * Whether {@code dir} is a writable folder or could be created as one, without creating anything.
     *
     * @throws InputException naming {@code flag} and the folder when it could not be used
     */
    static void checkCreatable(Path dir, String flag) {
        String name = flag + " " + dir;
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new InputException(name + ": not a folder");
            }
            if (!Files.isWritable(dir)) {
                throw new InputException(name + ": not writable (permission denied)");
            }
            return;
        }
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
        if (!Files.isWritable(ancestor)) {
            throw new InputException(name + ": cannot create the folder (" + ancestor + " is not writable)");
        }
    }
}
