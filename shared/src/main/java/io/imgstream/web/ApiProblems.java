package io.imgstream.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The API document's problem schemas that every authenticated operation shares (micronaut-openapi reads them from the
 * function modules' controllers, which name them in class-level {@code @ApiResponse}s). Each narrows {@link Problem}'s
 * {@code code} to the values that status carries; an operation's own codes are in its module's {@code *Api} class.
 * Documentation only: nothing implements these types.
 */
public final class ApiProblems {

    public static final String MEDIA_TYPE = Problem.MEDIA_TYPE;

    private ApiProblems() {
    }

    @Schema(name = "UnauthorizedProblem", allOf = Problem.class)
    public interface Unauthorized {
        @Schema(allowableValues = "unauthorized")
        String getCode();
    }

    @Schema(name = "ForbiddenProblem", allOf = Problem.class)
    public interface Forbidden {
        @Schema(allowableValues = {"origin_not_allowed", "forbidden"})
        String getCode();
    }

    @Schema(name = "InternalProblem", allOf = Problem.class)
    public interface Internal {
        @Schema(allowableValues = "internal_error")
        String getCode();
    }

    @Schema(name = "UnavailableProblem", allOf = Problem.class)
    public interface Unavailable {
        @Schema(allowableValues = "service_unavailable")
        String getCode();
    }

    @Schema(name = "NotFoundProblem", allOf = Problem.class)
    public interface NotFound {
        @Schema(allowableValues = "not_found")
        String getCode();
    }
}
