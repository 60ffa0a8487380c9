package io.imgstream.application.delete;

import io.imgstream.application.ImageEvents;
import io.imgstream.application.PublishEvents;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ImageIds;
import io.imgstream.domain.Precondition;
import jakarta.inject.Singleton;

import java.util.Optional;
import java.util.UUID;

/**
 * Soft delete: the image disappears from fetch and its name is free at once; cleanup purges the bytes after
 * {@code DELETED_RETENTION_HOURS}. Another user's image answers exactly as a missing one.
 */
@Singleton
public class DeleteImage {

    private final ImageCatalog catalog;
    private final PublishEvents events;

    public DeleteImage(ImageCatalog catalog, PublishEvents events) {
        this.catalog = catalog;
        this.events = events;
    }

    /**
     * @param precondition {@code If-Match} / {@code If-Unmodified-Since}: delete only the version the client saw;
     *                     {@link Precondition#NONE} deletes whatever version is live
     */
    public void delete(Caller caller, String imageId, Precondition precondition) {
        UUID id = ImageIds.parse(imageId);
        Optional<ImageCatalog.Change> deleted = catalog.softDelete(caller.userId(), id, precondition, ImageEvents.deleted());
        if (deleted.isPresent()) {
            events.afterCommit(deleted.get().event());
            return;
        }
        if (precondition.isNone()) {
            throw ImageIds.notFound();
        }
        // Gone (404) or live but no longer the version named (412). A failed condition stays failed: versions and
        // modification times only grow, so this second read cannot turn a 412 into a wrong answer.
        throw Precondition.failed(catalog.describeLiveById(caller.userId(), id).orElseThrow(ImageIds::notFound));
    }
}
