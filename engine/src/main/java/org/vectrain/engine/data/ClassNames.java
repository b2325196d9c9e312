package org.vectrain.engine.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.vectrain.engine.InputException;

/** The CIFAR-10 class names and the check applied to names read from a meta file. */
public final class ClassNames {
    /** The official names, in label order, used when a data folder has no meta file. */
    public static final List<String> DEFAULT = List.of("airplane", "automobile", "bird", "cat", "deer",
            "dog", "frog", "horse", "ship", "truck");
    /** Largest meta file read; the official ones are under 200 bytes. */
    public static final long MAX_META_BYTES = 64 << 10;
    /** Longest class name accepted: names label plots and table columns. */
    static final int MAX_NAME_CHARS = 64;

    private ClassNames() {
    }

    /** Reads a text meta file ({@code batches.meta.txt}): one name per line, blank lines ignored. */
    static List<String> readText(Path meta) {
        long size;
        try {
            size = Files.size(meta);
        } catch (IOException e) {
            throw new InputException(meta + ": cannot read (" + e.getMessage() + ")", e);
        }
        checkSize(size, meta.toString());
        try {
            return fromText(Files.readAllBytes(meta), meta.toString());
        } catch (IOException e) {
            throw new InputException(meta + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Refuses a meta file larger than {@link #MAX_META_BYTES} before it is read. */
    static void checkSize(long size, String source) {
        if (size > MAX_META_BYTES) {
            throw new InputException(source + ": " + size + " bytes, more than the " + MAX_META_BYTES
                    + " a meta file of ten class names may have");
        }
    }

    /** The names in the UTF-8 text {@code bytes}, one per line; {@code source} names it in messages. */
    public static List<String> fromText(byte[] bytes, String source) {
        checkSize(bytes.length, source);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(source + ": not UTF-8 text");
        }
        return check(text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList(), source);
    }

    static List<String> check(List<String> names, String source) {
        if (names.size() != LabeledImages.CLASSES) {
            throw new InputException(source + ": expected " + LabeledImages.CLASSES + " class names, found "
                    + names.size());
        }
        for (int k = 0; k < names.size(); k++) {
            String name = names.get(k);
            if (name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
                throw new InputException(source + ": class name " + k + " is longer than " + MAX_NAME_CHARS
                        + " characters or holds control characters");
            }
        }
        return List.copyOf(names);
    }
}
