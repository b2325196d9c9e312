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
                String model = lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).strip())
                        .findFirst().orElse(null);
                if (model != null) {
                    return model + ", " + cores + " cores";
                }
            } catch (IOException | java.io.UncheckedIOException e) {
                // fall through to the architecture name
            }
        }
        return System.getProperty("os.arch") + ", " + cores + " cores";
    }
}
