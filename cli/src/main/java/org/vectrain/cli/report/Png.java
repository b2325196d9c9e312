package org.vectrain.cli.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.vectrain.engine.io.AtomicFiles;

/** Writes images as PNG files, atomically. */
final class Png {
    private Png() {
    }

    /**
     * Encodes {@code image} in memory, then writes the bytes with {@link AtomicFiles}. Encoding first
     * keeps the file system's own error (say, "No space left on device") in the message: ImageIO writing
     * to a stream replaces it with a generic one.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    static void write(Path png, BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", bytes)) {
                throw new IllegalStateException("no PNG writer in this JDK");
            }
        } catch (IOException e) {
            // Encoding into memory does no I/O; a failure here is a bug in the image encoder.
            throw new IllegalStateException("PNG encoding failed", e);
        }
        AtomicFiles.write(png, bytes.toByteArray());
    }
}
