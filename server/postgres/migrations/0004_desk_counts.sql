-- 0004: detections counted per day, vehicle and camera as they are filed, so that the
-- quarterly report (III.B.1.c) reads a few thousand counts instead of scanning ten million
-- detections. A statement trigger with a transition table counts every INSERT into
-- detections (an ingest batch's rows, a COPY), only the rows actually inserted (a key sent
-- again inserts nothing). Purges do not subtract: a quarter's report keeps saying what was
-- detected in it after its data is gone.
CREATE TABLE detection_counts (
	agency_id text NOT NULL,
	day       date NOT NULL, -- UTC
	vehicle   text NOT NULL,
	camera    text NOT NULL,
	n         bigint NOT NULL,
	PRIMARY KEY (agency_id, day, vehicle, camera)
);

CREATE FUNCTION count_detections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO detection_counts AS c (agency_id, day, vehicle, camera, n)
	SELECT agency_id, (seen_at AT TIME ZONE 'UTC')::date, vehicle, camera, count(*)
	FROM new_detections GROUP BY 1, 2, 3, 4
	-- In key order, so that two batches counting the same keys cannot deadlock.
	ORDER BY 1, 2, 3, 4
	ON CONFLICT (agency_id, day, vehicle, camera) DO UPDATE SET n = c.n + excluded.n;
	RETURN NULL;
END $$;

CREATE TRIGGER detections_counted AFTER INSERT ON detections
	REFERENCING NEW TABLE AS new_detections FOR EACH STATEMENT EXECUTE FUNCTION count_detections();

INSERT INTO detection_counts (agency_id, day, vehicle, camera, n)
SELECT agency_id, (seen_at AT TIME ZONE 'UTC')::date, vehicle, camera, count(*) FROM detections GROUP BY 1, 2, 3, 4;

-- Each hit's camera (its detection's), recorded as the hit is filed, so that the report's
-- hits by camera need no lookup of the detection per hit. A hit filed before its detection
-- has no row here; the report looks that one up.
CREATE TABLE hit_cameras (
	agency_id text NOT NULL,
	hit_uuid  uuid NOT NULL,
	camera    text NOT NULL,
	PRIMARY KEY (agency_id, hit_uuid)
);

CREATE FUNCTION record_hit_cameras() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO hit_cameras (agency_id, hit_uuid, camera)
	SELECT h.agency_id, h.uuid, d.camera FROM new_hits h
	JOIN LATERAL (SELECT camera FROM detections d WHERE d.agency_id = h.agency_id AND d.uuid = h.detection_uuid
		LIMIT 1) d ON true
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

CREATE TRIGGER hits_camera AFTER INSERT ON hits
	REFERENCING NEW TABLE AS new_hits FOR EACH STATEMENT EXECUTE FUNCTION record_hit_cameras();

INSERT INTO hit_cameras (agency_id, hit_uuid, camera)
SELECT h.agency_id, h.uuid, d.camera FROM hits h
JOIN LATERAL (SELECT camera FROM detections d WHERE d.agency_id = h.agency_id AND d.uuid = h.detection_uuid LIMIT 1) d ON true
ON CONFLICT DO NOTHING;

-- How far each car's audit chain has been verified from its first entry, so that the query
-- audit page verifies only what arrived since (the administrator can start over).
CREATE TABLE audit_chain_checks (
	agency_id     text NOT NULL,
	vehicle       text NOT NULL,
	verified_seq  bigint NOT NULL,
	verified_hash bytea NOT NULL,
	checked_at    timestamptz NOT NULL,
	PRIMARY KEY (agency_id, vehicle)
);
