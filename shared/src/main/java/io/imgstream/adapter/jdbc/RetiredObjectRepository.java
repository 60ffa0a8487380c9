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

/** {@code retired_objects}: objects no live row points to any more, deleted by cleanup after the grace period. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface RetiredObjectRepository extends GenericRepository<RetiredObjectRepository.RetiredObject, String> {

    @MappedEntity("retired_objects")
    record RetiredObject(@Id String objectName, UUID imageId, @Nullable @GeneratedValue Instant retiredAt) {
    }

    /** Retires an object once: a second retirement of the same object (a retried change) is no error. */
    @Query("insert into retired_objects (object_name, image_id) values (:objectName, :imageId) on conflict do nothing")
    void retire(String objectName, UUID imageId);

    @Query("select object_name from retired_objects where retired_at < :before order by retired_at limit :limit")
    List<String> retiredBefore(Instant before, int limit);

    @Query("delete from retired_objects where object_name = any(:objectNames::text[])")
    int deleteAll(String[] objectNames);
}
