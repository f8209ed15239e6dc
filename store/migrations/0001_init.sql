-- 0001: the first schema of the car's store. Tables are named after the words of
-- General Order J-4. Times are INTEGER nanoseconds since the Unix epoch (UTC) so
-- range scans compare integers and a round trip loses nothing.

-- Operators may use the system only when trained and certified (I.B, III.C.1-2).
CREATE TABLE operators (
	id                  TEXT PRIMARY KEY,
	name                TEXT NOT NULL,
	role                TEXT NOT NULL CHECK (role IN ('operator', 'administrator', 'trainer')),
	phone               TEXT NOT NULL DEFAULT '',
	trained_at          INTEGER,
	certified_at        INTEGER,
	database_trained_at INTEGER,
	pin_salt            BLOB,
	pin_hash            BLOB,
	pin_iterations      INTEGER NOT NULL DEFAULT 0,
	failed_attempts     INTEGER NOT NULL DEFAULT 0,
	locked_until        INTEGER,
	updated_at          INTEGER NOT NULL
) STRICT;

-- A shift is one operator's tour in one vehicle (III.E.1: hits name the vehicle).
CREATE TABLE shifts (
	id             INTEGER PRIMARY KEY,
	operator_id    TEXT NOT NULL REFERENCES operators (id),
	vehicle_number TEXT NOT NULL,
	started_at     INTEGER NOT NULL,
	ended_at       INTEGER
) STRICT;

-- Detections (II.C). The images live in detection_images so that searches, which
-- never need them, read small rows.
CREATE TABLE detections (
	id          INTEGER PRIMARY KEY,
	uuid        TEXT NOT NULL UNIQUE,
	shift_id    INTEGER REFERENCES shifts (id) ON DELETE SET NULL,
	camera      TEXT NOT NULL,
	seen_at     INTEGER NOT NULL,
	plate       TEXT NOT NULL,
	state       TEXT NOT NULL DEFAULT '',
	confidence  REAL NOT NULL,
	alternates  TEXT NOT NULL DEFAULT '[]', -- JSON [{"plate":..,"score":..}]
	box         TEXT NOT NULL DEFAULT '[]', -- JSON [{"X":..,"Y":..}]
	lat         REAL,                       -- NULL when there was no fix
	lon         REAL,
	fix_time    INTEGER,
	speed_ms    REAL NOT NULL DEFAULT 0,
	heading     REAL NOT NULL DEFAULT 0,
	fix_quality INTEGER NOT NULL DEFAULT 0,
	satellites  INTEGER NOT NULL DEFAULT 0,
	hdop        REAL NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX detections_seen_at ON detections (seen_at);
CREATE INDEX detections_plate ON detections (plate, seen_at);
CREATE INDEX detections_camera ON detections (camera, seen_at);
CREATE INDEX detections_lat ON detections (lat) WHERE lat IS NOT NULL;

CREATE TABLE detection_images (
	detection_id INTEGER PRIMARY KEY REFERENCES detections (id) ON DELETE CASCADE,
	plate_jpeg   BLOB,
	scene_jpeg   BLOB
) STRICT;

-- Partial-plate search: an FTS5 trigram index over '^PLATE$'. The anchors turn a
-- prefix (7AB*) or suffix (*123) pattern into trigrams too. Contentless: the plate
-- text itself stays in detections; rowid = detections.id.
CREATE VIRTUAL TABLE detection_plate_grams USING fts5 (
	plate, tokenize = 'trigram case_sensitive 1', content = '', contentless_delete = 1
);
CREATE TRIGGER detections_grams_insert AFTER INSERT ON detections BEGIN
	INSERT INTO detection_plate_grams (rowid, plate) VALUES (new.id, '^' || new.plate || '$');
END;
CREATE TRIGGER detections_grams_delete AFTER DELETE ON detections BEGIN
	DELETE FROM detection_plate_grams WHERE rowid = old.id;
END;

-- Hot lists (IV.C) are replaced whole; hot entries belong to one list.
CREATE TABLE hot_lists (
	name           TEXT PRIMARY KEY,
	kind           TEXT NOT NULL CHECK (kind IN ('general', 'special', 'officer', 'training')),
	priority       INTEGER NOT NULL DEFAULT 0,
	informational  INTEGER NOT NULL DEFAULT 0,
	covert         INTEGER NOT NULL DEFAULT 0,
	tolerance      INTEGER NOT NULL DEFAULT 0,
	departmental   INTEGER NOT NULL DEFAULT 0,
	share_approved INTEGER NOT NULL DEFAULT 0,
	source         TEXT NOT NULL DEFAULT '',
	version        TEXT NOT NULL DEFAULT '',
	loaded_at      INTEGER NOT NULL,
	entries        INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE hot_entries (
	id            INTEGER PRIMARY KEY,
	uuid          TEXT UNIQUE, -- set for officer hot plates, which are synced
	list          TEXT NOT NULL REFERENCES hot_lists (name) ON DELETE CASCADE,
	plate         TEXT NOT NULL,
	state         TEXT NOT NULL DEFAULT '',
	code          TEXT NOT NULL DEFAULT '',
	reason        TEXT NOT NULL DEFAULT '',
	ncic_number   TEXT NOT NULL DEFAULT '',
	vehicle_year  TEXT NOT NULL DEFAULT '',
	vehicle_make  TEXT NOT NULL DEFAULT '',
	vehicle_model TEXT NOT NULL DEFAULT '',
	vehicle_color TEXT NOT NULL DEFAULT '',
	entered_by    TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	dr_number     TEXT NOT NULL DEFAULT '',
	synopsis      TEXT NOT NULL DEFAULT '',
	entered_at    INTEGER,
	expires_at    INTEGER,
	priority      INTEGER NOT NULL DEFAULT 0,
	informational INTEGER NOT NULL DEFAULT 0,
	covert        INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX hot_entries_list ON hot_entries (list, plate);

-- Hits (II.D). detection_id is NULL for a hit pushed from the agency server about a
-- detection this car does not hold; detection_uuid always names it.
CREATE TABLE hits (
	id             INTEGER PRIMARY KEY,
	uuid           TEXT NOT NULL UNIQUE,
	detection_id   INTEGER REFERENCES detections (id) ON DELETE CASCADE,
	detection_uuid TEXT NOT NULL,
	match          TEXT NOT NULL, -- JSON alpr.Match
	list           TEXT NOT NULL,
	plate          TEXT NOT NULL,
	raised_at      INTEGER NOT NULL,
	late           INTEGER NOT NULL DEFAULT 0,
	vehicle_number TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX hits_raised_at ON hits (raised_at);
CREATE INDEX hits_detection ON hits (detection_id);

-- Dispositions (III.D, III.E): the history of the officer's decisions; the newest is current.
CREATE TABLE dispositions (
	id             INTEGER PRIMARY KEY,
	hit_id         INTEGER NOT NULL REFERENCES hits (id) ON DELETE CASCADE,
	outcome        TEXT NOT NULL CHECK (outcome IN ('confirmed', 'rejected')),
	reason         TEXT NOT NULL DEFAULT '',
	confirmed_by   TEXT NOT NULL DEFAULT '',
	note           TEXT NOT NULL DEFAULT '',
	report_number  TEXT NOT NULL DEFAULT '',
	evidence       INTEGER NOT NULL DEFAULT 0,
	operator_id    TEXT NOT NULL,
	vehicle_number TEXT NOT NULL DEFAULT '',
	at             INTEGER NOT NULL
) STRICT;
CREATE INDEX dispositions_hit ON dispositions (hit_id, id);

-- Evidence holds keep a detection past retention (I.E, IV.A.1).
CREATE TABLE evidence_holds (
	id           INTEGER PRIMARY KEY,
	detection_id INTEGER NOT NULL REFERENCES detections (id) ON DELETE CASCADE, -- only released holds reach a purge
	case_number  TEXT NOT NULL,
	operator_id  TEXT NOT NULL,
	held_at      INTEGER NOT NULL,
	released_at  INTEGER
) STRICT;
CREATE INDEX evidence_holds_detection ON evidence_holds (detection_id);

-- Equipment reports (III.C.4): damaged or inoperable equipment.
CREATE TABLE equipment_reports (
	id             INTEGER PRIMARY KEY,
	uuid           TEXT NOT NULL UNIQUE,
	camera         TEXT NOT NULL DEFAULT '',
	problem        TEXT NOT NULL,
	note           TEXT NOT NULL DEFAULT '',
	operator_id    TEXT NOT NULL DEFAULT '',
	vehicle_number TEXT NOT NULL DEFAULT '',
	at             INTEGER NOT NULL
) STRICT;

-- The audit log is append-only and hash-chained: hash = sha256(prev_hash || fields).
-- audit_head keeps the last link so that removing the newest entries is detected too.
CREATE TABLE audit_log (
	seq       INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	actor     TEXT NOT NULL,
	action    TEXT NOT NULL,
	detail    TEXT NOT NULL,
	prev_hash BLOB NOT NULL,
	hash      BLOB NOT NULL
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE audit_head (
	one  INTEGER PRIMARY KEY CHECK (one = 1),
	seq  INTEGER NOT NULL,
	hash BLOB NOT NULL
) STRICT;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN
	SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- The sync outbox: written in the same transaction as the change it carries. seq is
-- AUTOINCREMENT so it is never reused, even after acknowledged rows are removed; key is
-- the idempotency key the agency server deduplicates on (exactly-once delivery).
CREATE TABLE outbox (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	key        TEXT NOT NULL UNIQUE,
	kind       TEXT NOT NULL,
	payload    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	attempts   INTEGER NOT NULL DEFAULT 0,
	acked_at   INTEGER
) STRICT;
CREATE INDEX outbox_pending ON outbox (seq) WHERE acked_at IS NULL;
