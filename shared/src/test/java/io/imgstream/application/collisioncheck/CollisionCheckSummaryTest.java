package io.imgstream.application.collisioncheck;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The structured line each collision check logs (the dashboard's and log-based metrics' source). */
class CollisionCheckSummaryTest {

    static CheckCollisions.Result result(CheckCollisions.Status status) {
        return new CheckCollisions.Result("a.png", status, null, null, List.of(), null);
    }

    @Test
    @SuppressWarnings("unchecked")
    void countsEveryStatusIncludingTheAbsentOnes() throws Exception {
        String json = CheckCollisions.summary(List.of(result(CheckCollisions.Status.EXISTS),
                result(CheckCollisions.Status.EXISTS), result(CheckCollisions.Status.AVAILABLE),
                result(CheckCollisions.Status.INVALID)), 1234);

        Map<String, Object> parsed = ObjectMapper.getDefault().readValue(json, Map.class);
        assertEquals(4, ((Number) parsed.get("batchSize")).intValue());
        assertEquals(1234, ((Number) parsed.get("micros")).intValue());
        Map<String, Object> results = (Map<String, Object>) parsed.get("results");
        assertEquals(Map.of("available", 1, "exists", 2, "identical", 0, "invalid", 1, "duplicate_in_request", 0),
                Map.of("available", ((Number) results.get("available")).intValue(),
                        "exists", ((Number) results.get("exists")).intValue(),
                        "identical", ((Number) results.get("identical")).intValue(),
                        "invalid", ((Number) results.get("invalid")).intValue(),
                        "duplicate_in_request", ((Number) results.get("duplicate_in_request")).intValue()));
    }
}
