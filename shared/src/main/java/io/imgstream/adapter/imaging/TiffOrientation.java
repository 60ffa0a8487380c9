package io.imgstream.adapter.imaging;

import io.imgstream.domain.Orientation;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import java.io.IOException;
import java.util.Optional;

/** TIFF tag 274 of the first directory, from the TIFF reader's native metadata tree. */
final class TiffOrientation {

    private static final String TAG = "274";

    private TiffOrientation() {
    }

    static Optional<Integer> of(ImageReader reader) throws IOException {
        IIOMetadata metadata = reader.getImageMetadata(0);
        if (metadata == null || metadata.getNativeMetadataFormatName() == null) {
            return Optional.empty();
        }
        return find(metadata.getAsTree(metadata.getNativeMetadataFormatName()));
    }

    private static Optional<Integer> find(Node node) {
        NamedNodeMap attributes = node.getAttributes();
        if (attributes != null && attributes.getNamedItem("number") != null
                && TAG.equals(attributes.getNamedItem("number").getNodeValue())) {
            return firstValue(node).map(Orientation::of);
        }
        for (Node child = node.getFirstChild(); child != null; child = child.getNextSibling()) {
            Optional<Integer> found = find(child);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    private static Optional<Integer> firstValue(Node field) {
        for (Node child = field.getFirstChild(); child != null; child = child.getNextSibling()) {
            NamedNodeMap attributes = child.getAttributes();
            if (attributes != null && attributes.getNamedItem("value") != null) {
                try {
                    return Optional.of(Integer.parseInt(attributes.getNamedItem("value").getNodeValue().trim()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
            Optional<Integer> deeper = firstValue(child);
            if (deeper.isPresent()) {
                return deeper;
            }
        }
        return Optional.empty();
    }
}
