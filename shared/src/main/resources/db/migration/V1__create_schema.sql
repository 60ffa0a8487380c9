-- ImgStream schema, version 1. Constraints live here, not only in Java.

create table users (
    id          uuid primary key,
    name        text        not null check (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$'),
    status      text        not null default 'ACTIVE' check (status in ('ACTIVE', 'DISABLED')),
    created_at  timestamptz not null default now()
);
create unique index users_name_key on users (lower(name));

-- Only the SHA-256 of a key is stored; the hint is a non-secret prefix for listings.
create table api_keys (
    id           uuid primary key,
    user_id      uuid        not null references users (id) on delete cascade,
    key_hash     bytea       not null unique check (octet_length(key_hash) = 32),
    key_hint     text        not null,
    label        text,
    created_at   timestamptz not null default now(),
    revoked_at   timestamptz
);
create index api_keys_user_idx on api_keys (user_id, created_at);

-- One row per image; a replaced image keeps its id and bumps version. Objects are named by id and
-- version (users/{userId}/images/{imageId}/v{version}), never by the user's filename.
create table images (
    id             uuid primary key,
    user_id        uuid        not null references users (id),
    filename       text        not null check (octet_length(filename) between 1 and 255),
    collision_key  text        not null,
    status         text        not null check (status in ('LIVE', 'DELETED')),
    version        integer     not null default 1 check (version >= 1),
    size_bytes     bigint      not null check (size_bytes > 0),
    sha256         bytea       not null check (octet_length(sha256) = 32),
    content_type   text        not null,
    width          integer     check (width is null or width > 0),
    height         integer     check (height is null or height > 0),
    taken_at       timestamptz,
    object_name    text        not null,
    created_at     timestamptz not null default now(),
    updated_at     timestamptz not null default now(),
    deleted_at     timestamptz,
    check ((status = 'DELETED') = (deleted_at is not null))
);
-- The arbiter of "one live image per user per collision key": concurrent uploads race on this index.
create unique index images_live_name_key on images (user_id, collision_key) where status = 'LIVE';
-- Keyset listing in name order (prefix search is a range on collision_key), stable through id.
create index images_listing_idx on images (user_id, collision_key collate "C", id) where status = 'LIVE';
-- Content lookups: sameContentAs and collision-check's sha256 matches.
create index images_sha256_idx on images (user_id, sha256) where status = 'LIVE';
-- Cleanup scans soft-deleted images by age.
create index images_deleted_idx on images (deleted_at) where status = 'DELETED';
create index images_object_idx on images (object_name);

-- Write-ahead intent of an upload: inserted before the bytes are streamed, removed when the image row
-- commits. A row that outlives the grace period marks an upload that crashed; cleanup deletes its object.
create table pending_uploads (
    object_name  text primary key,
    user_id      uuid        not null references users (id),
    image_id     uuid        not null,
    created_at   timestamptz not null default now()
);
create index pending_uploads_age_idx on pending_uploads (created_at);

-- Objects no live row points to any more (replaced versions, purged images), deleted by cleanup after
-- a grace period so that a download in flight is not cut.
create table retired_objects (
    object_name  text primary key,
    image_id     uuid        not null,
    retired_at   timestamptz not null default now()
);
create index retired_objects_age_idx on retired_objects (retired_at);

-- One row per collision check when monitoring is enabled.
create table collision_events (
    id                    bigint generated always as identity primary key,
    user_id               uuid        not null references users (id) on delete cascade,
    checked_at            timestamptz not null default now(),
    items                 integer     not null check (items >= 0),
    available             integer     not null default 0,
    exists_count          integer     not null default 0,
    identical             integer     not null default 0,
    invalid               integer     not null default 0,
    duplicate_in_request  integer     not null default 0,
    detected_names        text[]      not null default '{}',
    detection_micros      bigint      not null check (detection_micros >= 0)
);
create index collision_events_user_idx on collision_events (user_id, checked_at);
create index collision_events_age_idx on collision_events (checked_at);

-- Transactional outbox: an event is written in the transaction of the change it describes and published
-- after commit; unsent rows are relayed by cleanup, so no event is lost while Pub/Sub is down.
create table event_outbox (
    id            bigint generated always as identity primary key,
    event_id      uuid        not null unique,
    event_type    text        not null check (event_type in ('image.uploaded', 'image.replaced', 'image.deleted')),
    user_id       uuid        not null,
    image_id      uuid        not null,
    payload       jsonb       not null,
    created_at    timestamptz not null default now(),
    published_at  timestamptz,
    attempts      integer     not null default 0,
    last_error    text
);
create index event_outbox_unsent_idx on event_outbox (id) where published_at is null;
