-- The agency server's schema. Every table that grows with use carries agency_id first in
-- its primary key and no key crosses agencies, so the large tables distribute by agency on
-- Citus (README, "Scaling by agency"); agencies is the one reference table.

CREATE TABLE agencies (
	id         text PRIMARY KEY,
	name       text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- Cars and fixed cameras: whatever posts detections with a certificate of the agency's CA.
CREATE TABLE vehicles (
	agency_id       text NOT NULL REFERENCES agencies (id),
	number          text NOT NULL,
	kind            text NOT NULL DEFAULT 'car' CHECK (kind IN ('car', 'fixed')),
	fixed_lat       double precision, -- a fixed camera's site
	fixed_lon       double precision,
	created_at      timestamptz NOT NULL DEFAULT now(),
	last_sync_at    timestamptz,
	last_lat        double precision,
	last_lon        double precision,
	last_fix_at     timestamptz,
	backlog         bigint NOT NULL DEFAULT 0,
	oldest_unsent_s double precision NOT NULL DEFAULT 0,
	PRIMARY KEY (agency_id, number)
);

CREATE TABLE certificates (
	agency_id  text NOT NULL,
	serial     text NOT NULL,
	vehicle    text NOT NULL,
	issued_at  timestamptz NOT NULL,
	not_after  timestamptz NOT NULL,
	revoked_at timestamptz,
	revoked_by text,
	PRIMARY KEY (agency_id, serial),
	FOREIGN KEY (agency_id, vehicle) REFERENCES vehicles (agency_id, number)
);

-- The agency's roster of ALPR operators (III.C.1-2). A record from an operator not on it is
-- refused.
CREATE TABLE operators (
	agency_id       text NOT NULL REFERENCES agencies (id),
	operator_id     text NOT NULL,
	name            text NOT NULL,
	active          boolean NOT NULL DEFAULT true,
	trained_on      date,
	certified_until date,
	updated_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (agency_id, operator_id)
);

-- Every key a car has synced, so that a batch sent again is named as stored and not
-- inserted twice (exactly once). Kept as long as the data it stands for.
CREATE TABLE sync_keys (
	agency_id   text NOT NULL,
	key         uuid NOT NULL,
	vehicle     text NOT NULL,
	kind        text NOT NULL,
	seq         bigint NOT NULL,
	received_at timestamptz NOT NULL,
	PRIMARY KEY (agency_id, key)
);
CREATE INDEX sync_keys_received ON sync_keys (agency_id, received_at);

-- Detections, partitioned by month of seen_at so that retention drops whole months.
CREATE TABLE detections (
	agency_id    text NOT NULL,
	seen_at      timestamptz NOT NULL,
	uuid         uuid NOT NULL,
	vehicle      text NOT NULL,
	operator_id  text NOT NULL,
	camera       text NOT NULL,
	plate        text NOT NULL,
	state        text NOT NULL DEFAULT '',
	confidence   real NOT NULL,
	alternates   jsonb,
	lat          double precision,
	lon          double precision,
	fix          jsonb,
	plate_sha256 bytea,
	scene_sha256 bytea,
	received_at  timestamptz NOT NULL,
	PRIMARY KEY (agency_id, seen_at, uuid)
) PARTITION BY RANGE (seen_at);
CREATE INDEX detections_plate ON detections (agency_id, plate, seen_at);
CREATE INDEX detections_uuid ON detections (agency_id, uuid);
CREATE INDEX detections_vehicle ON detections (agency_id, vehicle, seen_at);

-- Images addressed by SHA-256 (a scene with two plates is stored once). last_seen_at is the
-- newest detection that shows it: retention deletes an image once that is past the cutoff
-- and no evidence refers to it.
CREATE TABLE images (
	agency_id    text NOT NULL,
	sha256       bytea NOT NULL,
	data         bytea NOT NULL,
	size         integer NOT NULL,
	last_seen_at timestamptz NOT NULL,
	received_at  timestamptz NOT NULL,
	PRIMARY KEY (agency_id, sha256)
);
ALTER TABLE images ALTER COLUMN data SET STORAGE EXTERNAL; -- JPEG does not compress
CREATE INDEX images_last_seen ON images (agency_id, last_seen_at);

CREATE TABLE hits (
	agency_id      text NOT NULL,
	uuid           uuid NOT NULL,
	detection_uuid uuid NOT NULL,
	vehicle        text NOT NULL,
	operator_id    text NOT NULL,
	list_name      text NOT NULL,
	listed_plate   text NOT NULL,
	read_plate     text NOT NULL,
	match_kind     text NOT NULL,
	state_check    text NOT NULL,
	late           boolean NOT NULL,
	raised_at      timestamptz NOT NULL,
	match          jsonb NOT NULL,
	PRIMARY KEY (agency_id, uuid)
);
CREATE INDEX hits_detection ON hits (agency_id, detection_uuid);
CREATE INDEX hits_raised ON hits (agency_id, raised_at);

CREATE TABLE dispositions (
	agency_id     text NOT NULL,
	key           uuid NOT NULL,
	hit_uuid      uuid NOT NULL,
	outcome       text NOT NULL,
	reason        text NOT NULL DEFAULT '',
	confirmed_by  text NOT NULL DEFAULT '',
	note          text NOT NULL DEFAULT '',
	report_number text NOT NULL DEFAULT '',
	evidence      boolean NOT NULL DEFAULT false,
	operator_id   text NOT NULL,
	vehicle       text NOT NULL,
	at            timestamptz NOT NULL,
	PRIMARY KEY (agency_id, key)
);
CREATE INDEX dispositions_hit ON dispositions (agency_id, hit_uuid, at);

-- Officer-entered hot plates (III.C.3), as the car sent them.
CREATE TABLE hot_plates (
	agency_id  text NOT NULL,
	uuid       uuid NOT NULL,
	vehicle    text NOT NULL,
	entered_by text NOT NULL,
	plate      text NOT NULL,
	state      text NOT NULL DEFAULT '',
	expires_at timestamptz,
	entry      jsonb NOT NULL,
	PRIMARY KEY (agency_id, uuid)
);

-- Evidence holds (IV.A.1), placed in a car or at the server; released with a reason.
CREATE TABLE evidence_holds (
	agency_id      text NOT NULL,
	id             uuid NOT NULL,
	detection_uuid uuid NOT NULL,
	case_number    text NOT NULL,
	reason         text NOT NULL DEFAULT '',
	placed_by      text NOT NULL,
	placed_at      timestamptz NOT NULL,
	source         text NOT NULL, -- 'car' or 'server'
	released_at    timestamptz,
	released_by    text,
	release_reason text,
	PRIMARY KEY (agency_id, id)
);
CREATE INDEX evidence_holds_detection ON evidence_holds (agency_id, detection_uuid) WHERE released_at IS NULL;

-- Evidence storage: detections moved out of a partition before it was dropped.
CREATE TABLE evidence_detections (LIKE detections INCLUDING DEFAULTS);
ALTER TABLE evidence_detections ADD COLUMN moved_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE evidence_detections ADD PRIMARY KEY (agency_id, uuid);

-- Each car's audit log, its hash chain continued per vehicle.
CREATE TABLE audit_entries (
	agency_id   text NOT NULL,
	vehicle     text NOT NULL,
	seq         bigint NOT NULL,
	at          timestamptz NOT NULL,
	at_ns       bigint NOT NULL, -- the car's nanoseconds, which the hash covers
	actor       text NOT NULL,
	action      text NOT NULL,
	detail      text NOT NULL,
	prev_hash   bytea NOT NULL,
	hash        bytea NOT NULL,
	received_at timestamptz NOT NULL,
	PRIMARY KEY (agency_id, vehicle, seq)
);
CREATE TABLE audit_heads (
	agency_id text NOT NULL,
	vehicle   text NOT NULL,
	seq       bigint NOT NULL,
	hash      bytea NOT NULL,
	PRIMARY KEY (agency_id, vehicle)
);
-- A gap or a broken link in a car's chain, flagged, never silently accepted.
CREATE TABLE audit_flags (
	agency_id  text NOT NULL,
	vehicle    text NOT NULL,
	seq        bigint NOT NULL,
	problem    text NOT NULL,
	flagged_at timestamptz NOT NULL,
	PRIMARY KEY (agency_id, vehicle, seq, problem)
);

-- Searches of ALPR data (III.B.1.d): the cars' (from their audit logs) and the server's.
CREATE TABLE searches (
	agency_id   text NOT NULL,
	id          text NOT NULL, -- vehicle:seq for a car's search
	vehicle     text NOT NULL DEFAULT '',
	operator_id text NOT NULL,
	at          timestamptz NOT NULL,
	purpose     text NOT NULL,
	case_number text NOT NULL,
	query       jsonb NOT NULL,
	results     integer NOT NULL,
	PRIMARY KEY (agency_id, id)
);
CREATE INDEX searches_at ON searches (agency_id, at);

-- Equipment damage reports from the cars (III.C.4), closed with what was done.
CREATE TABLE equipment_reports (
	agency_id    text NOT NULL,
	uuid         uuid NOT NULL,
	vehicle      text NOT NULL,
	operator_id  text NOT NULL,
	camera       text NOT NULL DEFAULT '',
	problem      text NOT NULL,
	note         text NOT NULL DEFAULT '',
	at           timestamptz NOT NULL,
	closed_at    timestamptz,
	closed_by    text,
	action_taken text,
	PRIMARY KEY (agency_id, uuid)
);

-- Hot lists the administrator imported, every version kept with its hash (IV.C.1-2).
CREATE TABLE hot_lists (
	agency_id    text NOT NULL REFERENCES agencies (id),
	name         text NOT NULL,
	version      bigint NOT NULL,
	format       text NOT NULL,
	kind         text NOT NULL,
	priority     integer NOT NULL DEFAULT 50,
	departmental boolean NOT NULL DEFAULT false,
	sha256       text NOT NULL,
	body         bytea NOT NULL,
	entries      integer NOT NULL,
	imported_at  timestamptz NOT NULL,
	imported_by  text NOT NULL,
	PRIMARY KEY (agency_id, name, version)
);

-- What was done at the server: certificates, holds, list imports, purges.
CREATE TABLE server_audit (
	agency_id text NOT NULL,
	id        bigint GENERATED ALWAYS AS IDENTITY,
	at        timestamptz NOT NULL,
	actor     text NOT NULL,
	action    text NOT NULL,
	detail    text NOT NULL,
	PRIMARY KEY (agency_id, id)
);

-- Every retention run, with its counts (IV.A).
CREATE TABLE purges (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at                 timestamptz NOT NULL,
	cutoff             timestamptz NOT NULL,
	dry_run            boolean NOT NULL,
	partitions         text[] NOT NULL,
	detections_removed bigint NOT NULL,
	evidence_moved     bigint NOT NULL,
	images_removed     bigint NOT NULL,
	keys_removed       bigint NOT NULL
);
