package org.vectrain.engine.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.vectrain.engine.InputException;

/**
 * Finds CIFAR-10 at a path given by the user and opens it in whichever layout it is in.
 *
 * <p>Accepted, in this order of preference: a folder in the binary layout; a folder in the Python
 * layout; a folder holding {@code cifar-10-batches-bin/} or {@code cifar-10-batches-py/}; a folder
 * holding an official tarball ({@code cifar-10-binary.tar.gz}, {@code cifar-10-python.tar.gz}); a
 * {@code .tar.gz} of either layout. Tarballs are unpacked next to themselves by
 * {@link TarballExtractor}, once: later opens reuse the complete unpacking.
 */
public final class CifarSources {
    /** The top-level folder of the official binary tarball. */
    public static final String BINARY_FOLDER = "cifar-10-batches-bin";
    /** The top-level folder of the official Python tarball. */
    public static final String PYTHON_FOLDER = "cifar-10-batches-py";
    /** The official tarball names, looked for inside a folder. */
    public static final List<String> TARBALLS = List.of("cifar-10-binary.tar.gz", "cifar-10-python.tar.gz");

    /** What {@link #open} looks for in a folder, for messages. */
    public static final String LOOKED_FOR = "data_batch_1.bin (binary layout), data_batch_1 (Python layout), "
            + BINARY_FOLDER + "/, " + PYTHON_FOLDER + "/, " + String.join(", ", TARBALLS);

    private CifarSources() {
    }

    /**
     * Opens CIFAR-10 at {@code path}: a folder or a {@code .tar.gz}, as described on the class.
     *
     * @throws InputException if nothing there is CIFAR-10; the message lists what was looked for
     */
    public static CifarSource open(Path path) {
        if (Files.isDirectory(path)) {
            Optional<CifarSource> found = find(path);
            if (found.isPresent()) {
                return found.get();
            }
            for (String name : TARBALLS) {
                Path tarball = path.resolve(name);
                if (Files.isRegularFile(tarball)) {
                    return openTarball(tarball);
                }
            }
            throw new InputException(path + ": no CIFAR-10 found; looked for " + LOOKED_FOR);
        }
        if (Files.isRegularFile(path)) {
            if (TarballExtractor.isTarball(path)) {
                return openTarball(path);
            }
            throw new InputException(path + ": is a file; expected a CIFAR-10 folder or a .tar.gz of one");
        }
        throw new InputException(path + ": no such file or folder");
    }

    /**
     * The CIFAR-10 folder at or directly inside {@code folder}, without unpacking anything.
     *
     * @return empty when {@code folder} holds neither layout, nor a folder in either layout
     */
    public static Optional<CifarSource> find(Path folder) {
        for (Path candidate : List.of(folder, folder.resolve(BINARY_FOLDER), folder.resolve(PYTHON_FOLDER))) {
            if (BinaryCifarSource.recognises(candidate)) {
                return Optional.of(new BinaryCifarSource(candidate));
            }
            if (PythonCifarSource.recognises(candidate)) {
                return Optional.of(new PythonCifarSource(candidate));
            }
        }
        return Optional.empty();
    }

    /** Whether {@link #open} would find CIFAR-10 in {@code folder}: a layout, or an official tarball to unpack. */
    public static boolean present(Path folder) {
        return find(folder).isPresent()
                || TARBALLS.stream().anyMatch(name -> Files.isRegularFile(folder.resolve(name)));
    }

    private static CifarSource openTarball(Path tarball) {
        Path parent = tarball.toAbsolutePath().getParent();
        Path unpacked = TarballExtractor.extractInto(tarball, parent);
        return find(unpacked).orElseThrow(() -> new InputException(tarball + ": unpacks to " + unpacked
                + ", which holds no CIFAR-10; looked for " + LOOKED_FOR));
    }
}
