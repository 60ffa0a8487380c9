package io.imgstream.adapter.jdbc;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.UUID;

/** {@code collision_events}: one row per collision check while monitoring is on. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface CollisionEventRepository extends GenericRepository<CollisionEventRepository.CollisionEvent, Long> {

    @MappedEntity("collision_events")
    record CollisionEvent(@Id @GeneratedValue Long id, UUID userId, int items) {
    }

    /** A user's checks in a window, summed. */
    @Introspected
    record Totals(long checks, long items, long available, long existsCount, long identical, long invalid,
                  long duplicateInRequest, double averageMicros) {
    }

    @Query("""
            insert into collision_events (user_id, items, available, exists_count, identical, invalid, duplicate_in_request,
                detected_names, detection_micros)
            values (:userId, :items, :available, :existsCount, :identical, :invalid, :duplicateInRequest,
                :detectedNames::text[], :detectionMicros)""")
    void append(UUID userId, int items, int available, int existsCount, int identical, int invalid, int duplicateInRequest,
                String[] detectedNames, long detectionMicros);

    @Query("""
            select count(*) as checks, coalesce(sum(items), 0) as items, coalesce(sum(available), 0) as available,
                   coalesce(sum(exists_count), 0) as exists_count, coalesce(sum(identical), 0) as identical,
                   coalesce(sum(invalid), 0) as invalid, coalesce(sum(duplicate_in_request), 0) as duplicate_in_request,
                   coalesce(avg(detection_micros), 0)::float8 as average_micros
            from collision_events where user_id = :userId and checked_at >= :since""")
    Totals totals(UUID userId, Instant since);

    @Query("select count(*) from (select 1 from collision_events where checked_at < :before limit :limit) c")
    long countBefore(Instant before, int limit);

    @Query("""
            with old as (select id from collision_events where checked_at < :before order by checked_at limit :limit)
            delete from collision_events e using old where e.id = old.id""")
    int deleteBefore(Instant before, int limit);
}
