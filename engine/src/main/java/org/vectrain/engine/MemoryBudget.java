package org.vectrain.engine;

import java.util.Locale;

/**
 * The check made before a large allocation whose size follows from the user's input: the memory it needs
 * against the most the JVM may use ({@link Runtime#maxMemory}), so that too large an input is refused up
 * front with one line rather than failing later with an {@link OutOfMemoryError}.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * Refuses {@code what} when {@code bytes} exceed the heap limit.
     *
     * @param what the input that needs the memory, as the message should name it
     * @throws InputException {@code "<what> needs about <n> MB of memory, more than the <m> MB ..."}
     */
    public static void require(long bytes, String what) {
        require(bytes, Runtime.getRuntime().maxMemory(), what);
    }

    /** As {@link #require(long, String)}, against the given limit. */
    static void require(long bytes, long limit, String what) {
        if (bytes > limit) {
            throw new InputException(what + " needs about " + megabytes(bytes) + " of memory, more than the "
                    + megabytes(limit) + " this Java may use (raise the limit with -Xmx)");
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", (bytes + (1 << 20) - 1) >> 20);
    }
}
