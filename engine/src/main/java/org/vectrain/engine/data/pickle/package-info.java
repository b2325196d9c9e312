/**
 * A restricted reader for Python pickles that hold numpy arrays, such as the batches of the Python
 * layout of CIFAR-10.
 *
 * <p>This is not a general unpickler. It accepts a fixed set of opcodes (protocols 2 to 5) and a
 * fixed set of globals (numpy's array and dtype reconstruction, and {@code _codecs.encode} that
 * Python 3 uses for byte strings at protocol 2), and models each of them with an inert Java value.
 * Nothing named in a file is ever looked up, loaded or run, and every length is checked against the
 * bytes that remain before anything is allocated.
 */
package org.vectrain.engine.data.pickle;
