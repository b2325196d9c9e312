package org.vectrain.cli.report;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.vectrain.engine.io.AtomicFiles;

/**
 * Writes images as PNG files, atomically, with a small encoder of its own: 8-bit RGB, or RGBA when some
 * pixel is not opaque, no interlacing, one IDAT chunk.
 */
final class Png {
    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    /** Colour types of the IHDR chunk (PNG specification, section 11.2.2). */
    static final int COLOUR_TYPE_RGB = 2;
    static final int COLOUR_TYPE_RGBA = 6;

    /** Length, type and CRC: the bytes a chunk takes besides its data. */
    private static final int CHUNK_OVERHEAD = 12;
    private static final int HEADER_LENGTH = 13;

    /**
     * Rows unfiltered and deflate level 3, because on the report's charts, montages and galleries that was
     * the fastest combination measured whose files stay near ImageIO's size (Sub, Up, a per-row choice of
     * filter and higher levels each cost more time than they saved bytes).
     */
    private static final int DEFLATE_LEVEL = 3;

    private Png() {
    }

    /**
     * Encodes {@code image} in memory, then writes the bytes with {@link AtomicFiles}. Encoding first
     * keeps the file system's own error (say, "No space left on device") in the message: an encoder writing
     * to a stream can replace it with a generic one, as ImageIO's does.
     *
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    static void write(Path png, BufferedImage image) {
        AtomicFiles.write(png, encode(image));
    }

    /** The PNG file of {@code image}. */
    static byte[] encode(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = argbPixels(image);
        boolean translucent = image.getColorModel().hasAlpha() && anyTranslucent(argb);
        byte[] compressed = deflate(scanlines(argb, width, height, translucent ? 4 : 3));

        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH);
        header.putInt(width).putInt(height);
        header.put((byte) 8); // bits per channel
        header.put((byte) (translucent ? COLOUR_TYPE_RGBA : COLOUR_TYPE_RGB));
        header.put((byte) 0); // compression method: deflate, the only one defined
        header.put((byte) 0); // filter method: the five adaptive filters, the only one defined
        header.put((byte) 0); // no interlacing

        ByteBuffer png = ByteBuffer.allocate(SIGNATURE.length + 3 * CHUNK_OVERHEAD + HEADER_LENGTH + compressed.length);
        png.put(SIGNATURE);
        putChunk(png, "IHDR", header.array());
        putChunk(png, "IDAT", compressed);
        putChunk(png, "IEND", new byte[0]);
        return png.array();
    }

    /** Every pixel of {@code image} as 0xAARRGGBB, row by row (alpha is meaningless when the image has none). */
    private static int[] argbPixels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        if (image.getType() == BufferedImage.TYPE_INT_RGB || image.getType() == BufferedImage.TYPE_INT_ARGB) {
            // These types store each pixel as such an int already: copying the raster's elements in one call
            // skips the colour-model conversion getRGB makes pixel by pixel.
            return (int[]) image.getRaster().getDataElements(0, 0, width, height, null);
        }
        return image.getRGB(0, 0, width, height, null, 0, width);
    }

    private static boolean anyTranslucent(int[] argb) {
        for (int pixel : argb) {
            if (pixel >>> 24 != 0xFF) {
                return true;
            }
        }
        return false;
    }

    /** The image data before compression: each row is its filter type (0, none) and then its pixels' channels. */
    private static byte[] scanlines(int[] argb, int width, int height, int channels) {
        long size = height * (1 + (long) width * channels);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("image too large to encode: " + width + " x " + height);
        }
        byte[] rows = new byte[(int) size];
        int at = 0;
        int pixel = 0;
        for (int y = 0; y < height; y++) {
            rows[at++] = 0;
            if (channels == 3) {
                for (int x = 0; x < width; x++) {
                    int p = argb[pixel++];
                    rows[at] = (byte) (p >> 16);
                    rows[at + 1] = (byte) (p >> 8);
                    rows[at + 2] = (byte) p;
                    at += 3;
                }
            } else {
                for (int x = 0; x < width; x++) {
                    int p = argb[pixel++];
                    rows[at] = (byte) (p >> 16);
                    rows[at + 1] = (byte) (p >> 8);
                    rows[at + 2] = (byte) p;
                    rows[at + 3] = (byte) (p >>> 24);
                    at += 4;
                }
            }
        }
        return rows;
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(DEFLATE_LEVEL);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 8 + 64);
            byte[] buffer = new byte[64 * 1024];
            while (!deflater.finished()) {
                out.write(buffer, 0, deflater.deflate(buffer));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** Appends a chunk: data length, type, data, and the CRC-32 of type and data. */
    private static void putChunk(ByteBuffer png, String type, byte[] data) {
        int typeStart = png.position() + 4;
        png.putInt(data.length);
        png.put(type.getBytes(StandardCharsets.US_ASCII));
        png.put(data);
        CRC32 crc = new CRC32();
        crc.update(png.array(), typeStart, 4 + data.length);
        png.putInt((int) crc.getValue());
    }
}
