package org.vectrain.engine.layout;

import java.lang.management.ManagementFactory;
import java.util.Objects;

/**
 * A float array used from element {@code start}, which lies on a 64-byte cache line where the JVM lets us know it,
 * so that every 16th float after it does too. A 512-bit load that straddles two cache lines costs two loads, and
 * kernels that load two or more vectors per multiply-add of four (the two-layer network's forward product) are then
 * bound by their loads.
 *
 * <p>The JVM places an ordinary array wherever its heap has room, but G1, its default collector, places an object of
 * more than half a heap region ("humongous") at the start of a region, and moves it, if ever, to the start of
 * another. So an array at least that long, used from the first element on a line after its header, stays aligned.
 * The header's size follows from the JVM's flags (compressed class pointers, compact object headers). Elsewhere
 * (another collector, a JVM that does not say its region size, a header of another size) {@code start} is 0 and the
 * array just long enough: the kernels then give the same bits, more slowly.
 */
public record AlignedFloats(float[] array, int start) {
    /** Bytes per cache line, the alignment of {@link #start}. */
    public static final int LINE_BYTES = 64;

    /**
     * An array holding {@code floats} from {@link #start}: at least half a G1 region long (plus a line, so that it is
     * strictly more, as G1 requires) when G1 runs, so that it is placed at a region's start.
     */
    public static AlignedFloats allocate(int floats) {
        if (floats < 0) {
            throw new IllegalArgumentException("floats must be at least 0, got " + floats);
        }
        Heap heap = Heap.INSTANCE;
        if (heap.regionBytes <= 0) {
            return new AlignedFloats(new float[floats], 0);
        }
        int start = Math.floorMod(-heap.arrayBaseOffset, LINE_BYTES) / Float.BYTES;
        long humongous = heap.regionBytes / 2 / Float.BYTES + LINE_BYTES / Float.BYTES;
        long length = Math.max((long) start + floats, humongous);
        if (length > Integer.MAX_VALUE - 8) {
            return new AlignedFloats(new float[floats], 0);
        }
        return new AlignedFloats(new float[(int) length], start);
    }

    /**
     * Reads, once, what {@link #allocate} needs to know of the heap. It loads the JVM's management classes, a
     * noticeable pause, which a caller can take here on a thread that would otherwise wait.
     */
    public static void readHeap() {
        // the holder class is initialised, and the heap read, on the first use of INSTANCE
        Objects.requireNonNull(Heap.INSTANCE);
    }

    /**
     * What this JVM says of its heap, read once: G1's region size in bytes (0 when the collector is not G1 or the JVM
     * does not say) and the offset of a float array's first element from the array's start.
     */
    private static final class Heap {
        static final Heap INSTANCE = read();

        final long regionBytes;
        final int arrayBaseOffset;

        private Heap(long regionBytes, int arrayBaseOffset) {
            this.regionBytes = regionBytes;
            this.arrayBaseOffset = arrayBaseOffset;
        }

        private static Heap read() {
            try {
                com.sun.management.HotSpotDiagnosticMXBean vm =
                        ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                if (!flag(vm, "UseG1GC")) {
                    return new Heap(0, 0);
                }
                long region = Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
                int offset = floatArrayBaseOffset(vm);
                boolean known = region > 0 && Long.bitCount(region) == 1 && offset > 0;
                return known ? new Heap(region, offset) : new Heap(0, 0);
            } catch (RuntimeException | LinkageError unknown) {
                return new Heap(0, 0);
            }
        }

        /**
         * Where a float array's first element lies from the array's start, from the header the JVM's flags give
         * it: 12 bytes with compact object headers (a mark word and the length), 16 with compressed class pointers
         * (the default: mark word, class pointer and length); 0, not known, otherwise.
         */
        private static int floatArrayBaseOffset(com.sun.management.HotSpotDiagnosticMXBean vm) {
            if (flag(vm, "UseCompactObjectHeaders")) {
                return 12;
            }
            return flag(vm, "UseCompressedClassPointers") ? 16 : 0;
        }

        /** The boolean VM option {@code name}, false where this JVM has no such option. */
        private static boolean flag(com.sun.management.HotSpotDiagnosticMXBean vm, String name) {
            try {
                return Boolean.parseBoolean(vm.getVMOption(name).getValue());
            } catch (IllegalArgumentException noSuchOption) {
                return false;
            }
        }
    }
}
