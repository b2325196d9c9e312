package org.vectrain.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The CPU named in summaries and bench output: model name, family and model of the first processor. */
class RunEnvironmentTest {

    @Test
    void namesTheFirstProcessorWithItsFamilyAndModel() {
        List<String> cpuinfo = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 25",
                "model\t\t: 17", "model name\t: AMD EPYC", "stepping\t: 1", "", "processor\t: 1",
                "cpu family\t: 26", "model\t\t: 2", "model name\t: Other");
        assertEquals("AMD EPYC (family 25, model 17), 2 cores", RunEnvironment.describeCpu(cpuinfo, 2));
    }

    @Test
    void withoutFamilyOrModelOnlyTheName() {
        assertEquals("Some CPU, 4 cores", RunEnvironment.describeCpu(List.of("model name : Some CPU"), 4));
    }

    @Test
    void theFirstProcessorsEntryOnly() {
        List<String> cpuinfo = List.of("processor : 0", "cpu family : 6", "", "processor : 1", "model name : Second");
        assertNull(RunEnvironment.describeCpu(cpuinfo, 2), "a name from the second entry");
    }

    @Test
    void withoutAModelNameNothing() {
        assertNull(RunEnvironment.describeCpu(List.of("processor : 0", "cpu family : 6"), 1));
    }

    @Test
    void theCurrentMachineIsDescribed() {
        String cpu = RunEnvironment.current("kernels", 1).cpu();
        assertTrue(cpu.endsWith(" cores"), cpu);
    }
}
