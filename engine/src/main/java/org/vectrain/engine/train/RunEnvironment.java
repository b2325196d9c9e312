package org.vectrain.engine.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Where a run ran: JDK, kernels and vector species, threads and CPU. Recorded in every summary and
 * benchmark output so that figures can be traced to the machine that produced them.
 */
public record RunEnvironment(String jdk, String kernels, int threads, String cpu, String os) {

    public static RunEnvironment current(String kernels, int threads) {
        String jdk = System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
                + System.getProperty("java.vendor") + ")";
        String os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        return new RunEnvironment(jdk, kernels, threads, cpuModel(), os);
    }

    private static String cpuModel() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        int cores = Runtime.getRuntime().availableProcessors();
        if (Files.isReadable(cpuinfo)) {
            try (Stream<String> lines = Files.lines(cpuinfo)) {
                String described = describeCpu(lines::iterator, cores);
                if (described != null) {
                    return described;
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall through to the architecture name
            }
        }
        return System.getProperty("os.arch") + ", " + cores + " cores";
    }

    /**
     * The first processor's model name in /proc/cpuinfo {@code lines}, with its family and model numbers when
     * given: a virtual machine's name ("AMD EPYC") often hides the generation, which the numbers tell (family
     * 25 Zen 3 and 4, 26 Zen 5; Intel's family 6 models). Reads up to the blank line that ends the first
     * processor's entry. Null without a model name.
     */
    static String describeCpu(Iterable<String> lines, int cores) {
        String name = null;
        String family = null;
        String model = null;
        boolean inEntry = false;
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && inEntry) {
                    break;
                }
                continue;
            }
            inEntry = true;
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("model name") && name == null) {
                name = value;
            } else if (key.equals("cpu family") && family == null) {
                family = value;
            } else if (key.equals("model") && model == null) {
                model = value;
            }
        }
        if (name == null) {
            return null;
        }
        String numbers = family != null && model != null ? " (family " + family + ", model " + model + ")" : "";
        return name + numbers + ", " + cores + " cores";
    }
}
