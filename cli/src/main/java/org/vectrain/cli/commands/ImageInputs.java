package org.vectrain.cli.commands;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.CifarBinaryReader;
import org.vectrain.engine.data.LabeledImages;
import org.vectrain.engine.io.Npy;

/**
 * The images {@code vectrain predict} classifies, as 32 x 32 RGB in CIFAR-10 record order (3072 bytes: the
 * red plane, then green, then blue, each row by row from the top left), from:
 * <ul>
 * <li>a PNG or JPEG image of any size: scaled to 32 x 32 by area averaging (each output pixel is the mean of
 *     the source pixels its square covers, partly covered ones weighted by the part covered; the same for
 *     enlarging a smaller image), rounded to the nearest integer; an alpha channel is ignored (the colour
 *     values are taken as stored, as PIL's {@code convert("RGB")} does); grey images give R = G = B;
 * <li>a folder: its PNG and JPEG files ({@code .png}, {@code .jpg}, {@code .jpeg}, any case), in name order;
 *     other files are passed over, and an image that cannot be read is reported and skipped;
 * <li>a CIFAR-10 binary batch ({@code .bin}): every record, with its label;
 * <li>a {@code .npy} of uint8 images, shape (N, 3072) in CIFAR record order or (N, 32, 32, 3) height x width
 *     x RGB (also a single image, (3072,) or (32, 32, 3)).
 * </ul>
 */
final class ImageInputs {
    static final int SIDE = LabeledImages.SIDE;
    static final int PIXELS = LabeledImages.PIXELS;
    /** Larger images are refused before they are decoded: 4 bytes a pixel would take 400 MB of heap. */
    static final long MAX_SOURCE_PIXELS = 100_000_000L;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};

    /** One image ready to classify: its name for the output, its pixels, and its label when the file has one. */
    record Image(String name, byte[] pixels, int label) {
    }

    /** An image of a folder that was passed over, and why. */
    record Skipped(String name, String reason) {
    }

    /** What the inputs gave: the images in input order, and the folder images passed over. */
    record Decoded(List<Image> images, List<Skipped> skipped) {
    }

    private ImageInputs() {
    }

    /**
     * Reads every input; an input named on the command line that cannot be read is an {@link InputException}
     * naming it, as is any unreadable image in a folder when {@code strict}.
     */
    static Decoded read(List<Path> inputs, boolean strict) {
        List<Image> images = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (Path input : inputs) {
            if (Files.isDirectory(input)) {
                List<Path> files = imagesIn(input);
                if (files.isEmpty()) {
                    throw new InputException(input + ": no .png, .jpg or .jpeg files in this folder");
                }
                // decoded in parallel (each image is independent), reported in name order
                Object[] results = new Object[files.size()];
                IntStream.range(0, files.size()).parallel().forEach(i -> {
                    try {
                        results[i] = readImage(files.get(i));
                    } catch (InputException e) {
                        results[i] = e;
                    }
                });
                for (int i = 0; i < results.length; i++) {
                    String name = files.get(i).toString();
                    if (results[i] instanceof InputException e) {
                        if (strict) {
                            throw e;
                        }
                        skipped.add(new Skipped(name, e.getMessage()));
                    } else {
                        images.add(new Image(name, (byte[]) results[i], -1));
                    }
                }
            } else {
                images.addAll(readFile(input));
            }
        }
        return new Decoded(images, skipped);
    }

    private static List<Path> imagesIn(Path folder) {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path p : entries) {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if ((name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"))
                        && !Files.isDirectory(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new InputException(folder + ": cannot list the folder (" + e.getMessage() + ")", e);
        }
        files.sort(null);
        return files;
    }

    private static List<Image> readFile(Path file) {
        if (!Files.exists(file)) {
            throw new InputException(file + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new InputException(file + ": cannot read (permission denied)");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".npy")) {
            return fromNpy(file);
        }
        if (name.endsWith(".bin")) {
            LabeledImages batch = CifarBinaryReader.read(file);
            List<Image> images = new ArrayList<>(batch.count());
            for (int i = 0; i < batch.count(); i++) {
                images.add(new Image(file + "[" + i + "]",
                        Arrays.copyOfRange(batch.pixels(), i * PIXELS, (i + 1) * PIXELS), batch.label(i)));
            }
            return images;
        }
        return List.of(new Image(file.toString(), readImage(file), -1));
    }

    private static List<Image> fromNpy(Path file) {
        Npy.ByteArray a = Npy.readBytes(file);
        int[] shape = a.shape();
        boolean records = shape.length == 2 && shape[1] == PIXELS || shape.length == 1 && shape[0] == PIXELS;
        boolean hwc = shape.length == 4 && shape[1] == SIDE && shape[2] == SIDE && shape[3] == 3
                || shape.length == 3 && shape[0] == SIDE && shape[1] == SIDE && shape[2] == 3;
        if (!records && !hwc) {
            throw new InputException(file + ": shape " + Arrays.toString(shape) + " is not one of uint8 images: "
                    + "expected (N, 3072) in CIFAR-10 record order or (N, 32, 32, 3) height x width x RGB");
        }
        int n = a.data().length / PIXELS;
        if (n == 0) {
            throw new InputException(file + ": holds no images (shape " + Arrays.toString(shape) + ")");
        }
        List<Image> images = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] pixels = new byte[PIXELS];
            int from = i * PIXELS;
            if (records) {
                System.arraycopy(a.data(), from, pixels, 0, PIXELS);
            } else {
                for (int p = 0; p < SIDE * SIDE; p++) {
                    for (int c = 0; c < 3; c++) {
                        pixels[c * SIDE * SIDE + p] = a.data()[from + 3 * p + c];
                    }
                }
            }
            images.add(new Image(file + "[" + i + "]", pixels, -1));
        }
        return images;
    }

    /** Decodes a PNG or JPEG file and scales it to 32 x 32, CIFAR record order. */
    static byte[] readImage(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        // the format by its signature: asking every installed reader whether it can decode costs more than
        // decoding a small image
        String format = startsWith(bytes, PNG_SIGNATURE) ? "png" : startsWith(bytes, JPEG_SIGNATURE) ? "jpeg" : null;
        if (format == null) {
            throw new InputException(file + ": not a PNG or JPEG image");
        }
        BufferedImage image;
        ImageReader reader = ImageIO.getImageReadersByFormatName(format).next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
            if (pixels > MAX_SOURCE_PIXELS) {
                throw new InputException(file + ": " + reader.getWidth(0) + " x " + reader.getHeight(0)
                        + " pixels is more than the " + MAX_SOURCE_PIXELS / 1_000_000 + " megapixels accepted");
            }
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            if (e instanceof InputException input) {
                throw input;
            }
            // decoders report a damaged file in their own words: an IIOException, an EOFException, at times
            // an unchecked exception from deep inside; all of them mean this file cannot be decoded
            throw new InputException(file + ": cannot decode the " + format.toUpperCase(Locale.ROOT) + " image ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")", e);
        } finally {
            reader.dispose();
        }
        if (image == null || image.getWidth() < 1 || image.getHeight() < 1) {
            throw new InputException(file + ": cannot decode the image (no picture in it)");
        }
        return scaleToCifar(image);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** {@code image} scaled to 32 x 32 by area averaging, in CIFAR record order. */
    static byte[] scaleToCifar(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        Weights columns = Weights.of(w, SIDE);
        Weights rows = Weights.of(h, SIDE);
        double[] acc = new double[3 * SIDE * SIDE];
        double[] rowOut = new double[3 * SIDE];
        int[] argb = new int[w];
        int[] grey = new int[w];
        boolean isGrey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getColorModel().getNumColorComponents() == 1;
        Raster raster = image.getRaster();
        double greyScale = isGrey ? 255.0 / ((1 << image.getColorModel().getComponentSize(0)) - 1) : 1;
        for (int y = 0; y < h; y++) {
            // grey images are read as stored: converting them through sRGB would brighten them (a gamma step)
            if (isGrey) {
                raster.getSamples(0, y, w, 1, 0, grey);
            } else {
                image.getRGB(0, y, w, 1, argb, 0, w);
            }
            Arrays.fill(rowOut, 0);
            for (int ox = 0; ox < SIDE; ox++) {
                double r = 0;
                double g = 0;
                double b = 0;
                for (int t = columns.start[ox]; t < columns.start[ox + 1]; t++) {
                    int x = columns.source[t];
                    double wt = columns.weight[t];
                    if (isGrey) {
                        double v = grey[x] * greyScale;
                        r += wt * v;
                        g += wt * v;
                        b += wt * v;
                    } else {
                        int p = argb[x];
                        r += wt * ((p >>> 16) & 0xFF);
                        g += wt * ((p >>> 8) & 0xFF);
                        b += wt * (p & 0xFF);
                    }
                }
                rowOut[ox] = r;
                rowOut[SIDE + ox] = g;
                rowOut[2 * SIDE + ox] = b;
            }
            for (int t = rows.firstOf[y]; t < rows.firstOf[y + 1]; t++) {
                int oy = rows.target[t];
                double wt = rows.targetWeight[t];
                for (int c = 0; c < 3; c++) {
                    for (int ox = 0; ox < SIDE; ox++) {
                        acc[c * SIDE * SIDE + oy * SIDE + ox] += wt * rowOut[c * SIDE + ox];
                    }
                }
            }
        }
        byte[] out = new byte[PIXELS];
        for (int i = 0; i < PIXELS; i++) {
            long v = Math.round(acc[i]);
            out[i] = (byte) Math.max(0, Math.min(255, v));
        }
        return out;
    }

    /**
     * Area-averaging weights along one axis of {@code from} source pixels onto {@code to} output pixels: output
     * pixel o covers the source interval [o from / to, (o + 1) from / to); source pixel i counts with the length
     * of its overlap with that interval, divided by the interval's length, so the weights of each output sum
     * to 1. Kept both ways: by output ({@code start}, {@code source}, {@code weight}) and by source pixel
     * ({@code firstOf}, {@code target}, {@code targetWeight}).
     */
    private record Weights(int[] start, int[] source, double[] weight, int[] firstOf, int[] target,
            double[] targetWeight) {
        static Weights of(int from, int to) {
            List<int[]> pairs = new ArrayList<>();
            List<Double> values = new ArrayList<>();
            int[] start = new int[to + 1];
            double box = (double) from / to;
            for (int o = 0; o < to; o++) {
                start[o] = pairs.size();
                // exact in integers: output o spans [o * from, (o + 1) * from) in units of 1 / to source pixels
                long lo = (long) o * from;
                long hi = (long) (o + 1) * from;
                for (long i = lo / to; i * to < hi; i++) {
                    long overlap = Math.min(hi, (i + 1) * to) - Math.max(lo, i * to);
                    if (overlap > 0) {
                        pairs.add(new int[] {o, (int) i});
                        values.add(overlap / (double) to / box);
                    }
                }
            }
            start[to] = pairs.size();
            int m = pairs.size();
            int[] source = new int[m];
            double[] weight = new double[m];
            for (int t = 0; t < m; t++) {
                source[t] = pairs.get(t)[1];
                weight[t] = values.get(t);
            }
            // the same pairs by source pixel: the outputs each source pixel contributes to
            int[] firstOf = new int[from + 1];
            for (int t = 0; t < m; t++) {
                firstOf[source[t] + 1]++;
            }
            for (int i = 0; i < from; i++) {
                firstOf[i + 1] += firstOf[i];
            }
            int[] fill = Arrays.copyOf(firstOf, from);
            int[] target = new int[m];
            double[] targetWeight = new double[m];
            for (int t = 0; t < m; t++) {
                int slot = fill[source[t]]++;
                target[slot] = pairs.get(t)[0];
                targetWeight[slot] = weight[t];
            }
            return new Weights(start, source, weight, firstOf, target, targetWeight);
        }
    }
}
