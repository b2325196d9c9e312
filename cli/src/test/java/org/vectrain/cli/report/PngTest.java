package org.vectrain.cli.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNG encoder: ImageIO decodes every pixel back as it was, and the file's structure is sound. */
class PngTest {
    /** Widths and heights chosen to catch off-by-one errors in rows and channels: single pixels, odd sizes. */
    private static final int[][] SIZES = {{1, 1}, {1, 7}, {7, 1}, {33, 17}, {640, 480}};

    @TempDir
    Path dir;

    @Test
    void opaqueIntRgbImagesDecodeToTheSamePixels() throws IOException {
        for (int[] size : SIZES) {
            BufferedImage image = randomImage(size[0], size[1], BufferedImage.TYPE_INT_RGB, false);
            byte[] png = Png.encode(image);
            assertEquals(Png.COLOUR_TYPE_RGB, colourType(png), sizeName(size));
            assertSamePixels(image, decode(png), sizeName(size));
        }
    }

    @Test
    void translucentIntArgbImagesKeepTheirAlpha() throws IOException {
        for (int[] size : SIZES) {
            BufferedImage image = randomImage(size[0], size[1], BufferedImage.TYPE_INT_ARGB, true);
            byte[] png = Png.encode(image);
            assertEquals(Png.COLOUR_TYPE_RGBA, colourType(png), sizeName(size));
            assertSamePixels(image, decode(png), sizeName(size));
        }
    }

    @Test
    void anArgbImageWhosePixelsAreAllOpaqueIsWrittenAsRgb() throws IOException {
        BufferedImage image = randomImage(33, 17, BufferedImage.TYPE_INT_ARGB, false);
        byte[] png = Png.encode(image);
        assertEquals(Png.COLOUR_TYPE_RGB, colourType(png));
        assertSamePixels(image, decode(png), "33 x 17");
    }

    /** No report image is of this type; it takes the encoder's getRGB path, which any other type takes too. */
    @Test
    void threeByteBgrImagesDecodeToTheSamePixels() throws IOException {
        for (int[] size : SIZES) {
            BufferedImage image = randomImage(size[0], size[1], BufferedImage.TYPE_3BYTE_BGR, false);
            byte[] png = Png.encode(image);
            assertEquals(Png.COLOUR_TYPE_RGB, colourType(png), sizeName(size));
            assertSamePixels(image, decode(png), sizeName(size));
        }
    }

    @Test
    void theFileIsTheSignatureThenIhdrIdatAndIendEachWithItsCrc() {
        for (BufferedImage image : List.of(randomImage(33, 17, BufferedImage.TYPE_INT_RGB, false),
                randomImage(640, 480, BufferedImage.TYPE_INT_ARGB, true))) {
            byte[] png = Png.encode(image);
            assertArrayEquals(Png.SIGNATURE, Arrays.copyOf(png, Png.SIGNATURE.length));
            ByteBuffer bytes = ByteBuffer.wrap(png);
            bytes.position(Png.SIGNATURE.length);
            List<String> types = new ArrayList<>();
            while (bytes.hasRemaining()) {
                int length = bytes.getInt();
                int typeStart = bytes.position();
                String type = new String(png, typeStart, 4, StandardCharsets.US_ASCII);
                bytes.position(typeStart + 4 + length);
                CRC32 crc = new CRC32();
                crc.update(png, typeStart, 4 + length);
                assertEquals((int) crc.getValue(), bytes.getInt(), type + " chunk's CRC");
                types.add(type);
                if (type.equals("IHDR")) {
                    assertEquals(13, length);
                    assertEquals(image.getWidth(), ByteBuffer.wrap(png, typeStart + 4, 4).getInt());
                    assertEquals(image.getHeight(), ByteBuffer.wrap(png, typeStart + 8, 4).getInt());
                } else if (type.equals("IEND")) {
                    assertEquals(0, length);
                }
            }
            assertEquals(List.of("IHDR", "IDAT", "IEND"), types);
        }
    }

    @Test
    void writeStoresTheEncodedBytes() throws IOException {
        BufferedImage image = randomImage(33, 17, BufferedImage.TYPE_INT_RGB, false);
        Path file = dir.resolve("sub/image.png");
        Png.write(file, image);
        assertArrayEquals(Png.encode(image), Files.readAllBytes(file));
    }

    /**
     * An image of the given type whose pixels are random (seeded), with random alpha if {@code translucent},
     * else opaque. Half the rows are runs of one colour, as in charts, so the compressor's matches are tried
     * as well as its literals.
     */
    private static BufferedImage randomImage(int width, int height, int type, boolean translucent) {
        SplittableRandom random = new SplittableRandom(width * 31L + height);
        BufferedImage image = new BufferedImage(width, height, type);
        for (int y = 0; y < height; y++) {
            int runColour = random.nextInt();
            for (int x = 0; x < width; x++) {
                int rgb = (y % 2 == 0 ? random.nextInt() : runColour) & 0xFFFFFF;
                int alpha = translucent ? random.nextInt(256) : 0xFF;
                image.setRGB(x, y, alpha << 24 | rgb);
            }
        }
        return image;
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "ImageIO does not recognise the bytes as an image");
        return image;
    }

    /** The colour type byte of the IHDR chunk, which follows the signature, length, type, width and height. */
    private static int colourType(byte[] png) {
        return png[Png.SIGNATURE.length + 4 + 4 + 4 + 4 + 1];
    }

    private static void assertSamePixels(BufferedImage expected, BufferedImage actual, String what) {
        assertEquals(expected.getWidth(), actual.getWidth(), what + ": width");
        assertEquals(expected.getHeight(), actual.getHeight(), what + ": height");
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int want = expected.getRGB(x, y);
                int got = actual.getRGB(x, y);
                if (want != got) {
                    assertEquals(Integer.toHexString(want), Integer.toHexString(got),
                            what + ": pixel (" + x + ", " + y + ")");
                }
            }
        }
    }

    private static String sizeName(int[] size) {
        return size[0] + " x " + size[1];
    }
}
