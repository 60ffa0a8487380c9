package io.imgstream.domain;

/**
 * The stable machine codes of every problem the service answers. Clients switch on {@link #code()};
 * the HTTP status lives here so that every function maps a code the same way.
 */
public enum ErrorCode {
    BAD_REQUEST("bad_request", 400, "Bad request"),
    MALFORMED_JSON("malformed_json", 400, "Malformed JSON body"),
    INVALID_PARAMETER("invalid_parameter", 400, "Invalid parameter"),
    INVALID_FILENAME("invalid_filename", 400, "Invalid filename"),
    EMPTY_FILE("empty_file", 400, "Empty file"),
    CONFLICTING_API_KEYS("conflicting_api_keys", 400, "Two different API keys"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    ORIGIN_NOT_ALLOWED("origin_not_allowed", 403, "Origin not allowed"),
    NOT_FOUND("not_found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not_acceptable", 406, "Not acceptable"),
    FILENAME_CONFLICT("filename_conflict", 409, "Filename conflict"),
    UPLOAD_OFFSET_MISMATCH("upload_offset_mismatch", 409, "Upload offset mismatch"),
    UPLOAD_BUSY("upload_busy", 409, "Another request is writing this upload"),
    UPLOAD_FINISHED("upload_finished", 409, "Upload already finished"),
    PRECONDITION_FAILED("precondition_failed", 412, "Precondition failed"),
    TUS_VERSION_UNSUPPORTED("tus_version_unsupported", 412, "Tus-Resumable 1.0.0 required"),
    PAYLOAD_TOO_LARGE("payload_too_large", 413, "Payload too large"),
    BATCH_TOO_LARGE("batch_too_large", 413, "Batch too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, "Unsupported media type"),
    RANGE_NOT_SATISFIABLE("range_not_satisfiable", 416, "Range not satisfiable"),
    IMAGE_TOO_LARGE("image_too_large", 422, "Image too large"),
    UNPROCESSABLE("unprocessable", 422, "Unprocessable request"),
    THUMBNAIL_UNSUPPORTED("thumbnail_unsupported", 422, "Thumbnail unsupported for this type"),
    IMAGE_UNREADABLE("image_unreadable", 422, "Image unreadable"),
    CHECKSUM_MISMATCH("checksum_mismatch", 460, "Checksum mismatch"),
    INTERNAL_ERROR("internal_error", 500, "Internal error"),
    SERVICE_UNAVAILABLE("service_unavailable", 503, "Service unavailable");

    private final String code;
    private final int status;
    private final String title;

    ErrorCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** The code a bare HTTP status maps to when the framework itself refuses a request. */
    public static ErrorCode forStatus(int status) {
        return switch (status) {
            case 400 -> BAD_REQUEST;
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 409 -> FILENAME_CONFLICT;
            case 412 -> PRECONDITION_FAILED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 416 -> RANGE_NOT_SATISFIABLE;
            case 422 -> UNPROCESSABLE;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : BAD_REQUEST;
        };
    }
}
