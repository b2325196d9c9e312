package org.vectrain.engine.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.vectrain.engine.InputException;

/**
 * An output folder held by one run: the file {@value #FILE} in it, locked by the operating system for as
 * long as the run holds it, and naming the owner's process id.
 *
 * <p>The exclusion is the operating system's file lock, which ends with the process however it ends, so
 * a lock file left by a killed run (stale: its process is gone) is simply taken over by the next run.
 * On {@link #close}, and in a shutdown hook when the process is stopped by a signal, the file is emptied
 * and unlocked, but stays: a run that opened it a moment earlier then locks the same file, where deleting
 * it would let that run lock a file no longer in the folder while a third run locks a new one.
 *
 * <p>The owner must not open the lock file a second time: closing any channel on a file releases the
 * process's locks on it. {@link #acquire} refuses a folder this process already holds for that reason.
 */
public final class OutputLock implements AutoCloseable {
    /** The lock file's name in the folder. */
    public static final String FILE = ".vectrain.lock";
    /** Folders locked by this process: a second channel on a file would release the first one's lock on close. */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread onExit;
    private boolean released;

    private OutputLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
        this.onExit = new Thread(this::release, "vectrain-release-" + FILE);
    }

    /**
     * Locks {@code folder} (which must exist) for this run.
     *
     * @param flag the flag that named the folder, for the message
     * @throws InputException {@code "<flag> <folder>: in use by another vectrain run (pid N) ..."} when another
     *     run holds it
     */
    public static OutputLock acquire(Path folder, String flag) {
        Path key = folder.toAbsolutePath().normalize();
        Path file = key.resolve(FILE);
        synchronized (HELD) {
            if (HELD.contains(key)) {
                throw inUse(folder, flag, "pid " + ProcessHandle.current().pid() + ", this process");
            }
            try {
                OutputLock held = lock(folder, key, file, flag);
                HELD.add(key);
                Runtime.getRuntime().addShutdownHook(held.onExit);
                return held;
            } catch (IOException e) {
                throw new UncheckedIOException(new IOException(file + ": cannot lock the output folder (" + e + ")", e));
            }
        }
    }

    private static OutputLock lock(Path folder, Path key, Path file, String flag) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        boolean kept = false;
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw inUse(folder, flag, owner(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + "\n")
                    .getBytes(StandardCharsets.US_ASCII)), 0);
            channel.force(false);
            kept = true;
            return new OutputLock(key, channel, lock);
        } finally {
            if (!kept) {
                channel.close();
            }
        }
    }

    /** The owner as the lock file names it, e.g. {@code pid 1234}. */
    private static String owner(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
            String pid = text.strip();
            return pid.matches("pid \\d+") ? pid : "pid unknown";
        } catch (IOException e) {
            return "pid unknown";
        }
    }

    private static InputException inUse(Path folder, String flag, String owner) {
        return new InputException(flag + " " + folder + ": in use by another vectrain run (" + owner + "; lock file "
                + FILE + "); wait for it to end or choose another folder");
    }

    /** Empties the lock file and releases the lock; a second call does nothing. */
    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(onExit);
        } catch (IllegalStateException e) {
            // The JVM is shutting down: the hook is running or has run.
        }
    }

    private void release() {
        synchronized (HELD) {
            if (released) {
                return;
            }
            released = true;
            try {
                channel.truncate(0);
            } catch (IOException e) {
                // A pid left in an unlocked file is stale, and taken over by the next run.
            }
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // Closing the channel releases the lock in any case.
            }
            HELD.remove(folder);
        }
    }
}
