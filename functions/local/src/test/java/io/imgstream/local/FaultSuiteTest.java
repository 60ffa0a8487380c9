package io.imgstream.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fault suite ({@code ./bench faults} runs it at full size) on a real emulator: PostgreSQL killed three times under
 * load, then hung with SIGSTOP, then the upload function killed. It fails without durable commits (acknowledged
 * uploads lost), without the database bounds (requests and /health hang for the whole stop), and without the
 * supervisor (nothing restarts PostgreSQL or the function).
 */
class FaultSuiteTest {

    /** The target: every request during a hang answered, and /health down, within 6 s. */
    private static final long BOUND_MS = 6000;

    @TempDir
    Path home;

    @Test
    void noAcknowledgedWriteLostEveryWaitBoundedAndCrashedProcessesRestarted() throws Exception {
        System.setProperty("imgstream.root", Path.of("../..").toAbsolutePath().normalize().toString());
        FaultSuite.Report report = FaultSuite.run(FaultSuite.Settings.quick(), home, System.out);

        assertTrue(report.durable(), "the embedded server runs with durable commits");
        assertTrue(report.acknowledged() > 100, "the load acknowledged uploads: " + report.acknowledged());
        assertEquals(0, report.lost(), "acknowledged uploads lost across PostgreSQL kills");
        assertEquals(0, report.liveWithoutObject(), "live rows without their object");
        assertEquals(0, report.rejectRacesWithTwoWinners(), "names with two 201s under reject");
        assertEquals(0, report.serverErrorsUnderLoad(), "5xx under load without faults");
        assertEquals(0, report.internalErrors(), "500s, or requests without an answer outside the function kill");
        assertEquals(FaultSuite.Settings.quick().killRounds(), report.postgresRestartMillis().size(),
                "PostgreSQL came back after every kill, restarted by the emulator");

        assertEquals(7, report.hangProbes().size());
        for (FaultSuite.Probe probe : report.hangProbes()) {
            assertEquals(503, probe.status(), probe::toString);
            assertTrue(probe.millis() <= BOUND_MS, probe::toString);
            if (probe.what().startsWith("health")) {
                assertTrue(probe.body().contains("\"database\":\"down\""), probe::toString);
            } else {
                assertTrue(probe.problem() && probe.retryAfter(), "a problem with Retry-After: " + probe);
            }
        }
        assertTrue(report.slowestDuringHangMillis() <= BOUND_MS, "a request during the hang took "
                + report.slowestDuringHangMillis() + " ms");
        assertTrue(report.recoveryMillis() <= 5000, "recovered " + report.recoveryMillis() + " ms after the server's return");
        assertTrue(report.functionRestartMillis() < 60_000, "the killed upload function came back");
    }
}
