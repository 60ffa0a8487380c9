package io.imgstream.adapter.jdbc;

import io.imgstream.application.port.CleanupStore;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

@Singleton
class JdbcCleanupStore implements CleanupStore {

    /** The advisory lock key of cleanup: "imgstream-cleanup" hashed once, a constant so every instance agrees. */
    static final long LOCK_KEY = 0x696d67636c6e7570L;

    private final DataSource dataSource;

    JdbcCleanupStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean withExclusiveLock(Runnable work) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
                ps.setLong(1, LOCK_KEY);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (!rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try {
                work.run();
                return true;
            } finally {
                // A pooled connection outlives the run: release the session lock explicitly.
                try (PreparedStatement ps = c.prepareStatement("select pg_advisory_unlock(?)")) {
                    ps.setLong(1, LOCK_KEY);
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public List<String> stalePendingUploads(Instant before, int limit) {
        return strings("select object_name from pending_uploads where created_at < ? order by created_at limit ?",
                before, limit);
    }

    @Override
    public int forgetPendingUploads(Collection<String> objectNames) {
        return updateAll("delete from pending_uploads where object_name = any(?)", objectNames);
    }

    @Override
    public List<DeletedImage> deletedImagesBefore(Instant before, int limit) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select user_id, id, object_name from images where status = 'DELETED' and deleted_at < ? order by deleted_at limit ?")) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, limit);
            List<DeletedImage> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeletedImage(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public List<String> retiredObjectsBefore(Instant before, int limit) {
        return strings("select object_name from retired_objects where retired_at < ? order by retired_at limit ?",
                before, limit);
    }

    @Override
    public Set<String> liveAmong(Collection<String> objectNames) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select object_name from images where object_name = any(?) and status = 'LIVE'")) {
            ps.setArray(1, c.createArrayOf("text", objectNames.toArray()));
            Set<String> live = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    live.add(rs.getString(1));
                }
            }
            return live;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public int removeDeletedImages(Collection<UUID> imageIds) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from images where id = any(?) and status = 'DELETED'")) {
            ps.setArray(1, c.createArrayOf("uuid", imageIds.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public int forgetRetiredObjects(Collection<String> objectNames) {
        return updateAll("delete from retired_objects where object_name = any(?)", objectNames);
    }

    @Override
    public Set<String> knownObjects(Collection<String> objectNames) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     select object_name from images where object_name = any(?)
                     union select object_name from pending_uploads where object_name = any(?)
                     union select object_name from retired_objects where object_name = any(?)""")) {
            var array = c.createArrayOf("text", objectNames.toArray());
            ps.setArray(1, array);
            ps.setArray(2, array);
            ps.setArray(3, array);
            Set<String> known = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
            return known;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    @Override
    public long pruneCollisionEvents(Instant before, int limit, boolean dryRun) {
        String sql = dryRun
                ? "select count(*) from (select 1 from collision_events where checked_at < ? limit ?) c"
                : "with old as (select id from collision_events where checked_at < ? order by checked_at limit ?)"
                + " delete from collision_events e using old where e.id = old.id";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, limit);
            if (dryRun) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private List<String> strings(String sql, Instant before, int limit) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setTimestamp(1, Timestamp.from(before));
            ps.setInt(2, limit);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }

    private int updateAll(String sql, Collection<String> names) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseException(e);
        }
    }
}
