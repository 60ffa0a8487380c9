package io.imgstream.application.port;

/** Cheap reachability check of the metadata database. */
public interface DatabaseProbe {

    /**
     * @return the applied schema version, or -1 when the database answers but has no schema
     * @throws RuntimeException when the database cannot be reached
     */
    int schemaVersion();
}
