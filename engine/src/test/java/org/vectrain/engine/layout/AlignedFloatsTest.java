package org.vectrain.engine.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class AlignedFloatsTest {
    @Test
    void holdsTheFloatsFromAStartWithinOneLine() {
        for (int floats : new int[] {0, 1, 17, 123_456, 3_000_000}) {
            AlignedFloats aligned = AlignedFloats.allocate(floats);
            assertTrue(aligned.start() >= 0 && aligned.start() < AlignedFloats.LINE_BYTES / Float.BYTES,
                    "start " + aligned.start() + " for " + floats + " floats");
            assertTrue(aligned.array().length >= aligned.start() + floats, "length for " + floats + " floats");
        }
        assertThrows(IllegalArgumentException.class, () -> AlignedFloats.allocate(-1));
    }

    @Test
    void underG1TheArrayIsHumongousAndStartsPastTheHeaderOnALine() {
        boolean g1 = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(collector -> collector.getName().startsWith("G1"));
        AlignedFloats aligned = AlignedFloats.allocate(10);
        if (!g1) {
            assertEquals(0, aligned.start(), "no G1: an ordinary array used from 0");
            return;
        }
        long region = Long.parseLong(ManagementFactory.getPlatformMXBean(
                com.sun.management.HotSpotDiagnosticMXBean.class).getVMOption("G1HeapRegionSize").getValue());
        assertTrue((long) aligned.array().length * Float.BYTES > region / 2,
                "more than half a region (" + region + " bytes), so that G1 places it at a region's start");
        // a float array's header is 12, 16 or 24 bytes: start is the first element on a line past it
        int offset = aligned.start() * Float.BYTES;
        assertTrue(aligned.start() > 0 && ((12 + offset) % AlignedFloats.LINE_BYTES == 0
                || (16 + offset) % AlignedFloats.LINE_BYTES == 0 || (24 + offset) % AlignedFloats.LINE_BYTES == 0),
                "start " + aligned.start() + " is on no line for a 12-, 16- or 24-byte header");
    }
}
