-- Resumable uploads (tus 1.0.0). One row per upload: who, which name, which policy, how long, how far. Bytes live in
-- part objects under users/{userId}/uploads/{id}/ (one per acknowledged chunk, named in part_names in order); at
-- completion they are read once, in order, through the same use case as a one-request upload, then deleted.
create table resumable_uploads (
    id            uuid        primary key,
    user_id       uuid        not null references users (id) on delete cascade,
    filename      text        not null,
    collision_key text        not null,
    policy        text        not null check (policy in ('REJECT', 'OVERWRITE', 'RENAME', 'SKIP')),
    length        bigint      not null check (length > 0),
    received      bigint      not null default 0,
    part_names    text[]      not null default '{}',
    state         text        not null default 'UPLOADING' check (state in ('UPLOADING', 'COMPLETE', 'FAILED')),
    image_id      uuid,
    problem_code  text,
    problem_detail text,
    -- One writer at a time across instances: a PATCH leases the upload (a random token until a time), so no pooled
    -- connection is held while a chunk streams; a writer that died frees it when the lease runs out.
    lease_token   uuid,
    lease_until   timestamptz,
    created_at    timestamptz not null default clock_timestamp(),
    updated_at    timestamptz not null default clock_timestamp(),
    expires_at    timestamptz not null,
    check (received between 0 and length)
);
-- Under reject, one unfinished upload per new name and user: the database decides the winner of a race.
create unique index resumable_uploads_reserved_name on resumable_uploads (user_id, collision_key)
    where state = 'UPLOADING' and policy = 'REJECT';
create index resumable_uploads_expiry_idx on resumable_uploads (expires_at);
