-- EXIF orientation (1-8) of each image's current version, read from its headers at upload; display size follows from
-- it (5-8 swap width and height). Rows uploaded before this version hold null until their orientation is read: the
-- first thumbnail of the image records it (the renderer reads the headers anyway), and until then answers show 1.
-- Adding a nullable column without a default rewrites nothing: instant at any table size.
alter table images add column orientation smallint check (orientation between 1 and 8);

-- Thumbnails kept in storage (users/{userId}/thumbnails/{imageId}/v{version}/{spec}-{revision}), one row each, written
-- right after the object. A row whose image is no longer live at that version names an object to delete: cleanup's
-- retired-objects task deletes those objects and then the rows (no foreign key: the rows must outlive a purged image's
-- row until its thumbnails are gone). An object whose row never got written is an orphan once its grace has passed.
create table thumbnails (
    object_name text        primary key,
    image_id    uuid        not null,
    version     integer     not null,
    created_at  timestamptz not null default now()
);
create index thumbnails_image_idx on thumbnails (image_id, version);
