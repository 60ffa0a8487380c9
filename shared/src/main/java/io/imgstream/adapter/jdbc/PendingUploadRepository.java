package io.imgstream.adapter.jdbc;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;

@JdbcRepository(dialect = Dialect.POSTGRES)
interface PendingUploadRepository extends GenericRepository<PendingUpload, String> {

    PendingUpload save(PendingUpload intent);

    void deleteById(String objectName);

    @Query("select object_name from pending_uploads where created_at < :before order by created_at limit :limit")
    List<String> staleBefore(Instant before, int limit);

    @Query("delete from pending_uploads where object_name = any(:objectNames::text[])")
    int deleteAll(String[] objectNames);
}
