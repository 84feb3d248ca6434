package cms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosAccountingTest {

    private static final ChaosAccounting.Jobs NONE = new ChaosAccounting.Jobs(10, 0, 0, 0, 0);

    @Test
    void anAcceptedJobWithoutATerminalEventIsLostAndOneRefusedIsNot() {
        ChaosAccounting.Jobs jobs = ChaosAccounting.jobs(List.of("f1-h-1", "f1-h-2", "f1-k-3", "f1-h-4"),
                Set.of("f1-h-1", "f1-h-2", "f1-k-3"), Map.of("f1-h-1", List.of("JobSucceeded"),
                        "f1-k-3", List.of("JobSucceeded")));
        assertEquals(new ChaosAccounting.Jobs(3, 1, 1, 0, 0), jobs);
    }

    @Test
    void twoTerminalEventsOfOneIdAreEndedTwiceEvenWhenItsSubmitWasNotAnswered() {
        Map<String, List<String>> terminals = Map.of("a", List.of("JobSucceeded", "JobSucceeded"),
                "b", List.of("JobFailed", "JobSucceeded"), "c", List.of("JobFailed"), "other", List.of("JobSucceeded",
                        "JobSucceeded"));
        ChaosAccounting.Jobs jobs = ChaosAccounting.jobs(List.of("a", "b", "c"), Set.of("a", "c"), terminals);
        assertEquals(new ChaosAccounting.Jobs(2, 1, 0, 2, 1), jobs, "'other' is not this fault's job");
    }

    @Test
    void aRowMeetsTheGoalsOnlyWithNothingLostNothingTwiceConvergedInTimeAndNoRestart() {
        assertEquals(List.of(), row(true, 0, NONE, 9.9, List.of()).missed());
        assertEquals(List.of("2 lost", "1 ended twice", "converged in 10.1 s", "restarted: rm exited 70"),
                row(false, 5, new ChaosAccounting.Jobs(10, 0, 2, 1, 0), 10.1, List.of("rm exited 70")).missed());
        assertEquals(List.of("not converged"), row(false, 3, NONE, null, List.of()).missed());
    }

    @Test
    void failedClientRequestsMissTheGoalOnlyWhereTheFaultIsANodesOrADaemons() {
        assertEquals(List.of(), row(false, 40, NONE, 1.0, List.of()).missed(), "HAProxy killed: clients may fail");
        assertEquals(List.of("3 client requests failed"), row(true, 3, NONE, 1.0, List.of()).missed());
    }

    @Test
    void theCellsFollowTheHeader() {
        Map<String, Long> rss = new LinkedHashMap<>();
        rss.put("kafka", 410L);
        rss.put("rm", 220L);
        ChaosAccounting.Row r = new ChaosAccounting.Row("web SIGKILL", false, 400, 0, new ChaosAccounting.Jobs(250, 40,
                0, 0, 0), 3.25, rss, List.of());
        assertEquals(List.of("FAULT", "REQUESTS FAILED", "JOBS ACCEPTED", "REFUSED", "LOST", "ENDED TWICE",
                "NOT SUCCEEDED", "CONVERGED", "PEAK RSS MB kafka/rm", "OTHER RESTARTS", "GOALS"),
                ChaosAccounting.header(rss.keySet()));
        assertEquals(List.of("web SIGKILL", "0/400", "250", "40", "0", "0", "0", "3.3 s", "410/220", "none", "met"),
                r.cells());
    }

    @Test
    void thePeakRssIsTheHighWaterMarkOfProcStatus() {
        String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmHWM:\t  312456 kB\nVmRSS:\t  300000 kB\n";
        assertEquals(312456, ChaosAccounting.peakRssKb(status));
        assertEquals(0, ChaosAccounting.peakRssKb("Name:\tgone\n"));
    }

    private static ChaosAccounting.Row row(boolean clientsMustNotFail, long failed, ChaosAccounting.Jobs jobs,
                                           Double converged, List<String> restarts) {
        return new ChaosAccounting.Row("f", clientsMustNotFail, 100, failed, jobs, converged, Map.of(), restarts);
    }
}
