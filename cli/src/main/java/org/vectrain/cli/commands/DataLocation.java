package org.vectrain.cli.commands;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarSource;
import org.vectrain.engine.data.CifarSources;

/**
 * Where the command line looks for CIFAR-10, and where {@code vectrain download} puts it: the {@code --data}
 * flag if given, else the {@code VECTRAIN_DATA} environment variable, else a per-user cache folder
 * ({@code $XDG_CACHE_HOME/vectrain}, or {@code ~/.cache/vectrain}).
 *
 * @param folder the path chosen (a folder, or a {@code .tar.gz} when the user named one)
 * @param origin what chose it, for messages: the caller's name for a path it was given (the command line
 *     passes {@code --data}), {@code VECTRAIN_DATA} or {@code cache}
 */
public record DataLocation(Path folder, String origin) {
    /** The environment variable that names the data folder when {@code --data} is not given. */
    public static final String ENV = "VECTRAIN_DATA";
    /** How to get the data, appended to every "not found" message. */
    public static final String HOW_TO_GET = "run 'vectrain download' to fetch it, or pass --data DIR or set "
            + ENV + " to where it is";

    /**
     * The location for this process: {@code path} (may be null), then its environment, then its cache.
     *
     * @param pathOrigin what gave {@code path}, the origin named in messages
     */
    public static DataLocation locate(String path, String pathOrigin) {
        return locate(path, pathOrigin, System.getenv(), Path.of(System.getProperty("user.home")));
    }

    /**
     * The location from an explicit path, environment and home folder.
     *
     * @param path the path the caller was given, or null when it was given none
     * @param pathOrigin what gave {@code path} (the command line passes its flag, {@code --data}); it
     *     starts the message when {@code path} is empty and is the location's {@link #origin()}
     */
    public static DataLocation locate(String path, String pathOrigin, Map<String, String> env, Path home) {
        if (path != null) {
            if (path.isBlank()) {
                throw new InputException(pathOrigin + ": the path is empty");
            }
            return new DataLocation(Path.of(path), pathOrigin);
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new DataLocation(Path.of(fromEnv), ENV);
        }
        return new DataLocation(cacheFolder(env, home), "cache");
    }

    /**
     * The per-user cache folder: {@code $XDG_CACHE_HOME/vectrain} when that is absolute, else
     * {@code ~/.cache/vectrain}.
     */
    public static Path cacheFolder(Map<String, String> env, Path home) {
        String xdg = env.get("XDG_CACHE_HOME");
        // The XDG specification says a relative value is invalid and must be ignored.
        if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return Path.of(xdg, "vectrain");
        }
        return home.resolve(".cache").resolve("vectrain");
    }

    /** CIFAR-10 found at {@code path}, {@code VECTRAIN_DATA} or the cache, whichever comes first. */
    public static CifarSource resolve(String path, String pathOrigin) {
        return locate(path, pathOrigin).open();
    }

    /**
     * Opens the data at this location (see {@link CifarSources#open}).
     *
     * @throws InputException when nothing is there; the message says how to get the data
     */
    public CifarSource open() {
        if (!Files.exists(folder)) {
            throw new InputException(folder + " (from " + origin + "): no such folder; " + howToGet());
        }
        if (Files.isDirectory(folder) && !CifarSources.present(folder)) {
            throw new InputException(folder + " (from " + origin + "): no CIFAR-10 found (looked for "
                    + CifarSources.LOOKED_FOR + "); " + howToGet());
        }
        return CifarSources.open(folder);
    }

    /**
     * What to do next, for the way this location was chosen: a user who named the folder needs the path
     * checked or the data fetched there, not the advice to name a folder.
     */
    String howToGet() {
        return switch (origin) {
            case ENV -> "check " + ENV + ", or run 'vectrain download' to fetch CIFAR-10 into it";
            case "cache" -> HOW_TO_GET;
            default -> "check the path, or run 'vectrain download --data " + folder + "' to fetch CIFAR-10 into it";
        };
    }
}
