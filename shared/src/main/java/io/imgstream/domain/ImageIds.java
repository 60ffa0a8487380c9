package io.imgstream.domain;


import java.util.UUID;

/** Image ids from URLs: anything that is not a UUID is simply an image that does not exist. */
public final class ImageIds {

    private ImageIds() {
    }

    public static UUID parse(String raw) {
        try {
            UUID id = UUID.fromString(raw);
            if (!id.toString().equalsIgnoreCase(raw)) {
                throw notFound();
            }
            return id;
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    public static ImgStreamException notFound() {
        return new ImgStreamException(ErrorCode.NOT_FOUND, "No such image.");
    }
}
