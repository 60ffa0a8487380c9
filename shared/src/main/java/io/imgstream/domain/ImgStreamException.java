package io.imgstream.domain;

/**
 * A refusal or failure the client must hear about, carrying a stable machine {@link ErrorCode}.
 * The detail is written for the client: it never holds SQL, bucket names, paths or stack traces.
 */
public class ImgStreamException extends RuntimeException {

    private final ErrorCode code;
    private final transient Object extension;

    public ImgStreamException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public ImgStreamException(ErrorCode code, String detail, Throwable cause) {
        this(code, detail, null, cause);
    }

    /**
     * @param extension an extra member for the problem body (for example the existing image of a conflict)
     */
    public ImgStreamException(ErrorCode code, String detail, Object extension, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.extension = extension;
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    public Object extension() {
        return extension;
    }
}
