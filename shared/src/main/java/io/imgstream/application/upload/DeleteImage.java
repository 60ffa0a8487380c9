package io.imgstream.application.upload;

import io.imgstream.application.PublishEvents;
import io.imgstream.application.port.ImageCatalog;
import io.imgstream.application.port.ImageCatalog.OutboxEntry;
import io.imgstream.application.port.ImageEvents;
import io.imgstream.domain.Caller;
import io.imgstream.domain.ErrorCode;
import io.imgstream.domain.ImgStreamException;
import jakarta.inject.Singleton;

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

    public void delete(Caller caller, String imageId) {
        UUID id = ImageIds.parse(imageId);
        OutboxEntry deleted = OutboxEntry.of(ImageEvents.DELETED);
        catalog.softDelete(caller.userId(), id, deleted).orElseThrow(ImageIds::notFound);
        events.afterCommit(deleted.eventId());
    }
}
