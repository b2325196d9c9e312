package org.vectrain.engine.data.pickle;

import java.util.List;

/** A Python tuple: an immutable list of values. */
record PyTuple(List<Object> items) {
    PyTuple {
        items = List.copyOf(items);
    }

    int size() {
        return items.size();
    }

    Object get(int i) {
        return items.get(i);
    }
}
