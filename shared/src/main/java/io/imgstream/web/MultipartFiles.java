package io.imgstream.web;

import org.apache.commons.fileupload2.core.AbstractFileUpload;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.RequestContext;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code multipart/form-data} as a stream of parts (commons-fileupload2's streaming API): each part's
 * bytes are read once, as they arrive, never buffered whole in memory or on disk.
 */
public final class MultipartFiles {

    private MultipartFiles() {
    }

    /** One part at a time; a part's stream is valid until {@code next} is called again. */
    public interface Parts {
        boolean hasNext() throws IOException;

        FileItemInput next() throws IOException;
    }

    public static Parts open(InputStream body, String contentType, long contentLength) throws IOException {
        Upload upload = new Upload();
        FileItemInputIterator items = upload.getItemIterator(new Context(body, contentType, contentLength));
        return new Parts() {
            @Override
            public boolean hasNext() throws IOException {
                return items.hasNext();
            }

            @Override
            public FileItemInput next() throws IOException {
                return items.next();
            }
        };
    }

    public static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("multipart/form-data");
    }

    private record Context(InputStream body, String contentType, long contentLength) implements RequestContext {
        @Override
        public String getCharacterEncoding() {
            return "UTF-8";
        }

        @Override
        public long getContentLength() {
            return contentLength;
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public InputStream getInputStream() {
            return body;
        }

        @Override
        public boolean isMultipartRelated() {
            return false;
        }
    }

    /** The streaming entry of commons-fileupload2 on a plain request context; no item is ever stored. */
    private static final class Upload extends AbstractFileUpload<Context, DiskFileItem, DiskFileItemFactory> {
        Upload() {
            setHeaderCharset(java.nio.charset.StandardCharsets.UTF_8);
        }

        @Override
        public FileItemInputIterator getItemIterator(Context request) throws FileUploadException, IOException {
            return getItemIterator((RequestContext) request);
        }

        @Override
        public Map<String, List<DiskFileItem>> parseParameterMap(Context request) throws FileUploadException {
            return parseParameterMap((RequestContext) request);
        }

        @Override
        public List<DiskFileItem> parseRequest(Context request) throws FileUploadException {
            return parseRequest((RequestContext) request);
        }
    }
}
