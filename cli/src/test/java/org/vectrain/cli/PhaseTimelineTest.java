package org.vectrain.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhaseTimelineTest {
    @Test
    void phasesOnSeveralThreadsComeBackInTheOrderTheyBegan() throws InterruptedException {
        PhaseTimeline.restart();
        PhaseTimeline timeline = PhaseTimeline.process();
        try (var outer = timeline.begin("outer")) {
            Thread other = new Thread(() -> {
                try (var inner = timeline.begin("beside")) {
                    sleep(20);
                }
            }, "helper-thread");
            other.start();
            other.join();
        }
        long start = System.nanoTime();
        timeline.add("measured elsewhere", "main", start, start + 5_000_000);

        List<PhaseTimeline.Phase> phases = timeline.phases();
        List<String> names = phases.stream().map(PhaseTimeline.Phase::name).toList();
        assertTrue(names.containsAll(List.of("outer", "beside", "measured elsewhere")), names.toString());
        for (int i = 1; i < phases.size(); i++) {
            assertTrue(phases.get(i).startSeconds() >= phases.get(i - 1).startSeconds(), names.toString());
        }
        PhaseTimeline.Phase outer = phases.stream().filter(p -> p.name().equals("outer")).findFirst().orElseThrow();
        PhaseTimeline.Phase beside = phases.stream().filter(p -> p.name().equals("beside")).findFirst().orElseThrow();
        assertEquals("helper-thread", beside.thread());
        assertTrue(beside.seconds() >= 0.015, "the helper's phase lasted its sleep: " + beside);
        assertTrue(outer.seconds() >= beside.seconds(), "the outer phase holds the inner one");
        assertTrue(outer.startSeconds() <= beside.startSeconds());
        PhaseTimeline.Phase elsewhere = phases.stream().filter(p -> p.name().equals("measured elsewhere"))
                .findFirst().orElseThrow();
        assertEquals(0.005, elsewhere.seconds(), 1e-9);
    }

    @Test
    void jsonAndTextCarryEveryPhaseAndTheMachinesIdleTime() {
        PhaseTimeline.restart();
        PhaseTimeline timeline = PhaseTimeline.process();
        try (var phase = timeline.begin("work")) {
            double sink = 0;
            for (int i = 0; i < 2_000_000; i++) {
                sink += Math.sqrt(i);
            }
            assertTrue(sink > 0);
        }
        JsonNode json = timeline.toJson();
        assertTrue(json.get("wall_s").asDouble() > 0);
        assertTrue(json.get("cpu_s").asDouble() > 0, "this process has used CPU time");
        assertEquals(Runtime.getRuntime().availableProcessors(), json.get("cores").asInt());
        assertEquals(json.get("cores").asDouble() * json.get("wall_s").asDouble() - json.get("cpu_s").asDouble(),
                json.get("idle_core_s").asDouble(), 1e-3);
        boolean found = false;
        for (JsonNode p : json.get("phases")) {
            found |= p.get("name").asText().equals("work") && p.get("s").asDouble() > 0
                    && p.get("thread").asText().equals(Thread.currentThread().getName());
        }
        assertTrue(found, json.toString());
        String text = timeline.toText();
        assertTrue(text.startsWith("phase"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("work ")), text);
        assertTrue(text.lines().reduce((a, b) -> b).orElseThrow().startsWith("wall "), text);
    }

    @Test
    void theProcessAgeAgreesWithTheJvmsOwnUptime() {
        // the JVM records its own start to the millisecond; the process began a little before it (the launcher
        // loading the JVM), never a sizeable fraction of a second before or after
        double jvmUptime = ManagementFactory.getRuntimeMXBean().getUptime() / 1e3;
        double processAge = PhaseTimeline.secondsSinceProcessStart();
        assertTrue(processAge >= jvmUptime - 0.03 && processAge <= jvmUptime + 0.25,
                "process age " + processAge + " s against the JVM's uptime " + jvmUptime + " s");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
