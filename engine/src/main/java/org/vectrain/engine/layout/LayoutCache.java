package org.vectrain.engine.layout;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Re-laid copies of sets' pixels, one per pixel array (by identity), kept while that array lives: a set is
 * laid out once however many steps or passes read it, and a set that shares another's pixels shares its
 * layout.
 */
final class LayoutCache<T> {
    private final Map<byte[], T> made = new WeakHashMap<>();

    /**
     * The layout kept for {@code pixels} where {@code fits} accepts it, else one made now by {@code make} and
     * kept in its place.
     */
    synchronized T get(byte[] pixels, Predicate<T> fits, Supplier<T> make) {
        T layout = made.get(pixels);
        if (layout == null || !fits.test(layout)) {
            layout = make.get();
            made.put(pixels, layout);
        }
        return layout;
    }
}
