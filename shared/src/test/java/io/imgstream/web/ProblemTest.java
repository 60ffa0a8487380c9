package io.imgstream.web;

import io.imgstream.domain.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProblemTest {

    @Test
    void writesTheProblemWithoutASerializerAndEscapesTheDetail() {
        assertEquals("{\"type\":\"https://imgstream.dev/problems/bad_request\",\"title\":\"Bad request\",\"status\":400,"
                        + "\"detail\":\"every '%' needs \\\"two\\\" hex digits\\n\",\"code\":\"bad_request\"}",
                Problem.json(ErrorCode.BAD_REQUEST, "every '%' needs \"two\" hex digits\n"));
    }
}
