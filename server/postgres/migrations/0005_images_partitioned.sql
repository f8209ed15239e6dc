-- 0005: images spread over 16 partitions by their SHA-256.
--
-- Under load (500 cars, two images a detection: 15 MB/s of JPEG) every filing backend was
-- waiting on one lock: PostgreSQL 15 extends a relation a page at a time under its
-- extension lock, and all images went into one TOAST relation, whose index grows at its
-- right-most page as well. Sampling pg_stat_activity during `make loadtest` found two thirds
-- of the active backends in Lock:extend. Sixteen partitions are sixteen TOAST relations,
-- sixteen extension locks and sixteen right-hand index pages; a hash of a SHA-256 is even by
-- construction. The key, the queries and the retention job are unchanged; on Citus the
-- table is still distributed by agency_id (each shard is hash-partitioned the same way).
ALTER TABLE images RENAME TO images_unpartitioned;
ALTER INDEX images_pkey RENAME TO images_unpartitioned_pkey;
ALTER INDEX images_last_seen RENAME TO images_unpartitioned_last_seen;

CREATE TABLE images (
	agency_id    text NOT NULL,
	sha256       bytea NOT NULL,
	data         bytea NOT NULL,
	size         integer NOT NULL,
	last_seen_at timestamptz NOT NULL,
	received_at  timestamptz NOT NULL,
	PRIMARY KEY (agency_id, sha256)
) PARTITION BY HASH (sha256);

DO $$
BEGIN
	FOR i IN 0..15 LOOP
		EXECUTE format('CREATE TABLE images_h%s PARTITION OF images FOR VALUES WITH (MODULUS 16, REMAINDER %s)', lpad(i::text, 2, '0'), i);
		-- JPEG does not compress: do not try.
		EXECUTE format('ALTER TABLE images_h%s ALTER COLUMN data SET STORAGE EXTERNAL', lpad(i::text, 2, '0'));
		-- Images are written once and deleted by retention. Vacuuming them for their inserts
		-- only marks pages all-visible, which no query of images uses, and at 15 MB/s of JPEG
		-- each visit put sync's p99 at 0.4-0.5 s for ten seconds, once a minute. Updates and
		-- retention's deletes still trigger vacuum, and anti-wraparound vacuum still freezes.
		EXECUTE format('ALTER TABLE images_h%s SET (autovacuum_vacuum_insert_threshold = -1, toast.autovacuum_vacuum_insert_threshold = -1)', lpad(i::text, 2, '0'));
	END LOOP;
END $$;
CREATE INDEX images_last_seen ON images (agency_id, last_seen_at);

INSERT INTO images SELECT agency_id, sha256, data, size, last_seen_at, received_at FROM images_unpartitioned;
DROP TABLE images_unpartitioned;
