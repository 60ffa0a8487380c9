package io.imgstream.adapter.jdbc;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** {@code thumbnails}: the thumbnail objects kept in storage, each with the image version it shows. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ThumbnailRepository extends GenericRepository<ThumbnailRepository.ThumbnailRow, String> {

    @MappedEntity("thumbnails")
    record ThumbnailRow(@Id String objectName, UUID imageId, int version, @Nullable @GeneratedValue Instant createdAt) {
    }

    /** Records a thumbnail once: two instances rendering the same one both record it, harmlessly. */
    @Query("insert into thumbnails (object_name, image_id, version) values (:objectName, :imageId, :version)"
            + " on conflict do nothing")
    void record(String objectName, UUID imageId, int version);

    /** Thumbnails whose image is not live at their version any more (replaced, deleted or purged), oldest first. */
    @Query("""
            select t.object_name from thumbnails t
            where not exists (select 1 from images i where i.id = t.image_id and i.status = 'LIVE' and i.version = t.version)
            order by t.created_at limit :limit""")
    List<String> stale(int limit);

    @Query("delete from thumbnails where object_name = any(:objectNames::text[])")
    int deleteAll(String[] objectNames);
}
