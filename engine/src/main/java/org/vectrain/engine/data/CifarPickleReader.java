package org.vectrain.engine.data;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.vectrain.engine.InputException;
import org.vectrain.engine.data.pickle.NumpyArray;
import org.vectrain.engine.data.pickle.PyBytes;
import org.vectrain.engine.data.pickle.RestrictedUnpickler;

/**
 * Reads the files of the official Python layout ({@code cifar-10-batches-py/}) through the
 * {@link RestrictedUnpickler}, and checks that what it finds is a CIFAR-10 batch.
 *
 * <p>A batch is a dict with {@code data}, a count x 3072 uint8 array in C order, and {@code labels},
 * a list of count ints in 0..9; its {@code batch_label} and {@code filenames} are not used. The meta
 * file is a dict whose {@code label_names} lists the ten class names. Keys may be byte strings (as
 * Python 2 wrote them) or text (as a Python 3 re-pickle may).
 */
public final class CifarPickleReader {
    private CifarPickleReader() {
    }

    /** Pickle bytes per image beyond its pixels, with room to spare: its label, file name and framing. */
    static final int OVERHEAD_PER_IMAGE = 256;
    /** Pickle bytes of a batch beyond its images: the dict, its keys, the array's header. */
    static final int OVERHEAD_PER_BATCH = 1 << 20;

    /** Reads one batch file, for example {@code data_batch_1}, of at most {@link RecordLimit#BATCH_RECORDS} images. */
    public static LabeledImages readBatch(Path file) {
        return readBatch(file, RecordLimit.DEFAULT);
    }

    /**
     * Reads one batch file of at most {@code limit} images; a file larger than such a batch can be is
     * refused before it is read.
     */
    public static LabeledImages readBatch(Path file, RecordLimit limit) {
        long maxBytes = Math.min(Integer.MAX_VALUE - 8,
                (long) limit.max() * (LabeledImages.PIXELS + OVERHEAD_PER_IMAGE) + OVERHEAD_PER_BATCH);
        if (CifarSource.fileSize(file) > maxBytes) {
            limit.check(CifarSource.fileSize(file) / LabeledImages.PIXELS, file.toString());
        }
        LabeledImages images = toImages(RestrictedUnpickler.load(file, maxBytes, "a batch of at most " + limit.max()
                + " images"), file.toString());
        limit.check(images.count(), file.toString());
        return images;
    }

    /** Reads the ten class names from a {@code batches.meta} file. */
    public static List<String> readLabelNames(Path file) {
        return labelNames(RestrictedUnpickler.load(file, ClassNames.MAX_META_BYTES, "a meta file"), file.toString());
    }

    /** The ten class names of an unpickled meta dict; {@code source} names it in messages. */
    static List<String> labelNames(Object root, String source) {
        Map<?, ?> meta = dict(root, source);
        Object value = entry(meta, "label_names", source);
        if (!(value instanceof List<?> names)) {
            throw new InputException(source + ": label_names is a " + RestrictedUnpickler.typeName(value)
                    + ", expected a list of names");
        }
        List<String> out = new ArrayList<>();
        for (Object name : names) {
            if (name instanceof PyBytes bytes) {
                out.add(new String(bytes.bytes(), StandardCharsets.UTF_8));
            } else if (name instanceof String text) {
                out.add(text);
            } else {
                throw new InputException(source + ": label_names holds a " + RestrictedUnpickler.typeName(name)
                        + ", expected names");
            }
        }
        return ClassNames.check(out, source);
    }

    /** Checks an unpickled batch and turns it into images; {@code source} names it in messages. */
    static LabeledImages toImages(Object root, String source) {
        Map<?, ?> batch = dict(root, source);
        Object data = entry(batch, "data", source);
        if (!(data instanceof NumpyArray array)) {
            throw new InputException(source + ": data is a " + RestrictedUnpickler.typeName(data)
                    + ", expected a numpy array");
        }
        if (!array.complete()) {
            throw new InputException(source + ": data is a numpy array whose content was never given (corrupt pickle)");
        }
        if (!"|u1".equals(array.dtype())) {
            throw new InputException(source + ": data has dtype '" + array.dtype() + "', expected '|u1' (uint8)");
        }
        long[] shape = array.shape();
        if (shape.length != 2 || shape[1] != LabeledImages.PIXELS) {
            throw new InputException(source + ": data has shape " + shapeText(shape) + ", expected (n, "
                    + LabeledImages.PIXELS + ")");
        }
        if (array.fortranOrder()) {
            throw new InputException(source + ": data is stored in Fortran (column-major) order, expected C order");
        }
        // Compare by division first: n comes from the file and n * 3072 could overflow a long.
        long count = shape[0];
        if (count > array.data().length / LabeledImages.PIXELS || count * LabeledImages.PIXELS != array.data().length) {
            throw new InputException(source + ": data holds " + array.data().length + " bytes, but shape "
                    + shapeText(shape) + " needs " + count + " x " + LabeledImages.PIXELS);
        }
        Object labelValue = entry(batch, "labels", source);
        if (!(labelValue instanceof List<?> labelList)) {
            throw new InputException(source + ": labels is a " + RestrictedUnpickler.typeName(labelValue)
                    + ", expected a list of ints");
        }
        if (labelList.size() != count) {
            throw new InputException(source + ": " + labelList.size() + " labels for " + count + " images");
        }
        byte[] labels = new byte[labelList.size()];
        for (int i = 0; i < labels.length; i++) {
            Object label = labelList.get(i);
            if (!(label instanceof Long value) || value < 0 || value >= LabeledImages.CLASSES) {
                throw new InputException(source + ": label " + i + " is "
                        + (label instanceof Long ? label : "a " + RestrictedUnpickler.typeName(label))
                        + ", expected 0.." + (LabeledImages.CLASSES - 1));
            }
            labels[i] = (byte) (long) value;
        }
        return new LabeledImages(array.data(), labels, source);
    }

    private static Map<?, ?> dict(Object root, String source) {
        if (!(root instanceof Map<?, ?> map)) {
            throw new InputException(source + ": the pickle holds a " + RestrictedUnpickler.typeName(root)
                    + ", expected a dict");
        }
        return map;
    }

    /** The value under {@code b'key'} or {@code 'key'}. */
    private static Object entry(Map<?, ?> dict, String key, String source) {
        Object value = dict.get(PyBytes.ascii(key));
        if (value == null) {
            value = dict.get(key);
        }
        if (value == null) {
            throw new InputException(source + ": the dict has no '" + key + "' entry");
        }
        return value;
    }

    private static String shapeText(long[] shape) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            out.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return out.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
