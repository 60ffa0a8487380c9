-- EXIF orientation (1-8) of each image's current version, read from its headers at upload; display size follows from
-- it (5-8 swap width and height). Rows uploaded before this version hold null until their orientation is read: the
-- first thumbnail of the image records it (the renderer reads the headers anyway), and until then answers show 1.
-- Adding a nullable column without a default rewrites nothing: instant at any table size.
alter table images add column orientation smallint check (orientation between 1 and 8);
