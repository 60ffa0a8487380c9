package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.CollisionLookup;
import io.imgstream.domain.Image;
import io.imgstream.domain.ImageDetails;
import jakarta.inject.Singleton;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Singleton
class JdbcCollisionLookup implements CollisionLookup {

    /**
     * The statement, formatted once at class load, not on every call. {@code hits} is materialized: the existing
     * images' copies probe the sha256 index from the rows the key part found, instead of finding them again
     * (EXPLAIN ANALYZE at 1 M rows: +1.2 ms instead of +3–5 ms for 250 hits).
     */
    private static final String FIND = """
            with hits as materialized (
                select %1$s from images where user_id = ? and status = 'LIVE' and collision_key = any(?)
            )
            select 'match' as part, null as copy_prefix, i.* from (
                select * from hits
                union all
                select %1$s from images where user_id = ? and status = 'LIVE' and sha256 = any(?)
                union all
                select c.* from hits h cross join lateral (
                    select %1$s from images
                    where user_id = h.user_id and status = 'LIVE' and sha256 = h.sha256 and id <> h.id
                    order by created_at, id limit %2$d
                ) c
            ) i
            union all
            select 'copy', p.prefix, null, null, null, t.collision_key, null, null, null, null, null, null, null, null, null, null
            from unnest(?::text[]) as p(prefix)
            cross join lateral (
                select collision_key from images
                where user_id = ? and status = 'LIVE'
                  and collision_key collate "C" >= p.prefix and collision_key collate "C" < p.prefix || chr(1114111)
                order by collision_key collate "C" limit %3$d
            ) t""".formatted(JdbcImageCatalog.COLUMNS, ImageDetails.MAX_SAME_CONTENT, MAX_COPIES_PER_NAME);

    private final DataSource dataSource;

    JdbcCollisionLookup(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * One statement, four index-backed parts: equality on {@code images_live_name_key}, equality on
     * {@code images_sha256_idx}, the copies of each existing image the key part found (its {@code sameContentAs},
     * on the same sha256 index, oldest first), and one range scan of {@code images_listing_idx} per copy prefix.
     */
    @Override
    public Matches find(UUID userId, Collection<String> keys, Collection<byte[]> sha256s, Collection<String> copyPrefixes) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND)) {
            ps.setObject(1, userId);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.setObject(3, userId);
            ps.setArray(4, c.createArrayOf("bytea", sha256s.toArray(new byte[0][])));
            ps.setArray(5, c.createArrayOf("text", copyPrefixes.toArray()));
            ps.setObject(6, userId);
            // union all, not union: an image found by two parts comes twice and is dropped here by id, which is cheaper
            // than PostgreSQL de-duplicating every wide row by all its columns.
            Map<UUID, Image> images = new LinkedHashMap<>();
            Map<String, List<String>> taken = new HashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if ("match".equals(rs.getString("part"))) {
                        Image image = JdbcImageCatalog.read(rs);
                        images.putIfAbsent(image.id(), image);
                    } else {
                        taken.computeIfAbsent(rs.getString("copy_prefix"), k -> new ArrayList<>()).add(rs.getString("collision_key"));
                    }
                }
            }
            return new Matches(List.copyOf(images.values()), taken);
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public void record(UUID userId, Map<String, Integer> counts, List<String> detectedNames, long detectionMicros) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into collision_events (user_id, items, available, exists_count, identical, invalid,
                    duplicate_in_request, detected_names, detection_micros) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            int items = counts.values().stream().mapToInt(Integer::intValue).sum();
            ps.setObject(1, userId);
            ps.setInt(2, items);
            ps.setInt(3, counts.getOrDefault("available", 0));
            ps.setInt(4, counts.getOrDefault("exists", 0));
            ps.setInt(5, counts.getOrDefault("identical", 0));
            ps.setInt(6, counts.getOrDefault("invalid", 0));
            ps.setInt(7, counts.getOrDefault("duplicate_in_request", 0));
            ps.setArray(8, c.createArrayOf("text", detectedNames.toArray()));
            ps.setLong(9, detectionMicros);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public Stats stats(UUID userId, Instant since) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                select count(*), coalesce(sum(items), 0), coalesce(sum(available), 0), coalesce(sum(exists_count), 0),
                       coalesce(sum(identical), 0), coalesce(sum(invalid), 0), coalesce(sum(duplicate_in_request), 0),
                       coalesce(avg(detection_micros), 0)
                from collision_events where user_id = ? and checked_at >= ?""")) {
            ps.setObject(1, userId);
            ps.setTimestamp(2, Timestamp.from(since));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Map<String, Long> counts = new LinkedHashMap<>();
                counts.put("available", rs.getLong(3));
                counts.put("exists", rs.getLong(4));
                counts.put("identical", rs.getLong(5));
                counts.put("invalid", rs.getLong(6));
                counts.put("duplicate_in_request", rs.getLong(7));
                return new Stats(rs.getLong(1), rs.getLong(2), counts, rs.getDouble(8));
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }
}
