package io.imgstream.web;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The API document's problem schemas, one table for every function's part of it (micronaut-openapi reads them from the
 * function modules' controllers, which name them in their {@code @ApiResponse}s; a part holds those its operations
 * name). Each narrows {@link Problem}'s {@code code} to the values its answers carry: first the shared ones, one per
 * status every keyed request may meet, then one per operation listing every code the operation answers.
 * Documentation only: nothing implements these types.
 */
public final class ApiProblems {

    public static final String MEDIA_TYPE = Problem.MEDIA_TYPE;

    private ApiProblems() {
    }

    @Schema(name = "UnauthorizedProblem", allOf = Problem.class)
    public interface Unauthorized { @Schema(allowableValues = "unauthorized") String getCode(); }

    @Schema(name = "ForbiddenProblem", allOf = Problem.class)
    public interface Forbidden { @Schema(allowableValues = {"origin_not_allowed", "forbidden"}) String getCode(); }

    @Schema(name = "NotFoundProblem", allOf = Problem.class)
    public interface NotFound { @Schema(allowableValues = "not_found") String getCode(); }

    @Schema(name = "InternalProblem", allOf = Problem.class)
    public interface Internal { @Schema(allowableValues = "internal_error") String getCode(); }

    @Schema(name = "UnavailableProblem", allOf = Problem.class)
    public interface Unavailable { @Schema(allowableValues = "service_unavailable") String getCode(); }

    @Schema(name = "UploadImageProblem", allOf = Problem.class)
    public interface UploadImage { @Schema(allowableValues = {"bad_request", "invalid_parameter", "invalid_filename",
            "empty_file", "conflicting_api_keys", "filename_conflict", "precondition_failed", "payload_too_large",
            "unsupported_media_type", "image_too_large"}) String getCode(); }

    @Schema(name = "DeleteImageProblem", allOf = Problem.class)
    public interface DeleteImage { @Schema(allowableValues = {"bad_request", "conflicting_api_keys", "not_found",
            "precondition_failed", "unsupported_media_type"}) String getCode(); }

    /** Every answer under {@code /uploads} (tus). */
    @Schema(name = "UploadsProblem", allOf = Problem.class)
    public interface Uploads { @Schema(allowableValues = {"bad_request", "invalid_parameter", "invalid_filename",
            "empty_file", "conflicting_api_keys", "not_found", "method_not_allowed", "filename_conflict",
            "upload_offset_mismatch", "upload_busy", "upload_finished", "tus_version_unsupported", "payload_too_large",
            "unsupported_media_type", "image_too_large", "checksum_mismatch"}) String getCode(); }

    @Schema(name = "ListImagesProblem", allOf = Problem.class)
    public interface ListImages { @Schema(allowableValues = {"bad_request", "invalid_parameter", "conflicting_api_keys",
            "unsupported_media_type"}) String getCode(); }

    /** Every read of one image: its metadata (by id or name), content or thumbnail. */
    @Schema(name = "ReadImageProblem", allOf = Problem.class)
    public interface ReadImage { @Schema(allowableValues = {"bad_request", "invalid_parameter", "invalid_filename",
            "conflicting_api_keys", "not_found", "precondition_failed", "unsupported_media_type",
            "range_not_satisfiable", "thumbnail_unsupported", "image_unreadable"}) String getCode(); }

    @Schema(name = "CheckCollisionsProblem", allOf = Problem.class)
    public interface CheckCollisions { @Schema(allowableValues = {"bad_request", "malformed_json",
            "conflicting_api_keys", "batch_too_large", "payload_too_large",
            "unsupported_media_type"}) String getCode(); }

    @Schema(name = "CollisionStatsProblem", allOf = Problem.class)
    public interface CollisionStats { @Schema(allowableValues = {"bad_request", "invalid_parameter",
            "conflicting_api_keys", "unsupported_media_type"}) String getCode(); }
}
