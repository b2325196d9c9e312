package org.vectrain.cli.commands;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vectrain.engine.io.AtomicFiles;
import org.vectrain.engine.io.OutputLock;

/**
 * The output folders locked by the command running on this thread, held until {@link #releaseAll} (which
 * {@code Main} calls when the command returns, however it ends), or until the process exits.
 */
public final class OutputFolders {
    private static final ThreadLocal<List<OutputLock>> HELD = ThreadLocal.withInitial(ArrayList::new);

    private OutputFolders() {
    }

    /**
     * Creates {@code out} if needed, checks that it can be written and locks it for this command.
     *
     * @throws org.vectrain.engine.InputException when it cannot be written or another run holds it
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
