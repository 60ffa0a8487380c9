-- Collision keys compare byte by byte ("C"), whatever the database's default collation (Cloud SQL creates databases
-- in en_US.UTF8; the embedded PostgreSQL of tests and the emulator uses C). Equality is the same under every
-- deterministic collation, so no answer changes. What changes is that images_live_name_key, the arbiter of "one live
-- image per name", no longer depends on the C library's linguistic sort order: that order changes between glibc
-- versions (2.28 reordered punctuation and spaces, which filenames are full of), and an index built under the old
-- order then misses keys that are in it, so a second live image of one name could be admitted. The listing index
-- already sorted in "C".
-- Rebuilds the two indexes on the column (no table rewrite: the type stays text) under an exclusive lock on images,
-- about a second per million images; run `imgstream admin db migrate` before deploying this version.
alter table images alter column collision_key type text collate "C";
