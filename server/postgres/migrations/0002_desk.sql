-- The ALPR administrator's desk (policy III.B): its accounts and sessions, the administrator's
-- records (query audit outcomes, inspections, approvals, investigations aided) and the indexes
-- its pages read by. Every table carries agency_id first in its key, as in 0001.

-- Server accounts of the desk, per agency. password is an argon2id hash in the PHC string
-- format; failed counts sign-ins failed in a row, and locked_until shuts the account after too
-- many (the desk decides how many and for how long).
CREATE TABLE desk_users (
	agency_id    text NOT NULL REFERENCES agencies (id),
	name         text NOT NULL,
	role         text NOT NULL CHECK (role IN ('administrator', 'investigator', 'auditor')),
	password     text NOT NULL,
	failed       integer NOT NULL DEFAULT 0,
	locked_until timestamptz,
	disabled     boolean NOT NULL DEFAULT false,
	created_at   timestamptz NOT NULL,
	created_by   text NOT NULL,
	PRIMARY KEY (agency_id, name)
);

-- Signed-in sessions. Only the SHA-256 of the cookie's token is kept, so that a copy of the
-- database does not sign anyone in.
CREATE TABLE desk_sessions (
	token_sha256 bytea PRIMARY KEY,
	agency_id    text NOT NULL,
	user_name    text NOT NULL,
	created_at   timestamptz NOT NULL,
	last_seen_at timestamptz NOT NULL,
	FOREIGN KEY (agency_id, user_name) REFERENCES desk_users (agency_id, name) ON DELETE CASCADE
);

-- The administrator's outcome of auditing one search (III.B.1.d).
CREATE TABLE search_reviews (
	agency_id   text NOT NULL,
	search_id   text NOT NULL,
	outcome     text NOT NULL CHECK (outcome IN ('compliant', 'not compliant', 'referred')),
	note        text NOT NULL DEFAULT '',
	reviewed_by text NOT NULL,
	reviewed_at timestamptz NOT NULL,
	PRIMARY KEY (agency_id, search_id)
);
CREATE INDEX searches_operator ON searches (agency_id, operator_id, at);
-- The car's shift entries, for "outside the operator's shift".
CREATE INDEX audit_entries_shift ON audit_entries (agency_id, actor, at) WHERE action IN ('shift.start', 'shift.end');

-- A hit or a search that aided a significant investigation (III.B.1.c(3)), flagged by an
-- officer or investigator with its case.
CREATE TABLE aided_investigations (
	agency_id   text NOT NULL,
	id          uuid NOT NULL,
	hit_uuid    uuid,
	search_id   text,
	case_number text NOT NULL,
	note        text NOT NULL DEFAULT '',
	flagged_by  text NOT NULL,
	at          timestamptz NOT NULL,
	PRIMARY KEY (agency_id, id),
	CHECK ((hit_uuid IS NULL) <> (search_id IS NULL))
);

-- Approvals of hot lists, per version: a special list reaches the cars only once approved
-- (IV.C.2), a departmental list is shared only once approved for sharing (IV.C.6).
ALTER TABLE hot_lists
	ADD COLUMN approved_at timestamptz,
	ADD COLUMN approved_by text,
	ADD COLUMN share_approved_at timestamptz,
	ADD COLUMN share_approved_by text;

-- The training roster's certification (III.C.1-2): which course or certificate.
ALTER TABLE operators ADD COLUMN certification text NOT NULL DEFAULT '';

-- Quarterly inspections of each vehicle's cameras (III.B.1.a).
CREATE TABLE equipment_inspections (
	agency_id    text NOT NULL,
	id           uuid NOT NULL,
	vehicle      text NOT NULL,
	camera       text NOT NULL,
	inspected_at timestamptz NOT NULL,
	inspected_by text NOT NULL,
	result       text NOT NULL CHECK (result IN ('pass', 'fail')),
	note         text NOT NULL DEFAULT '',
	PRIMARY KEY (agency_id, id)
);
CREATE INDEX equipment_inspections_last ON equipment_inspections (agency_id, vehicle, camera, inspected_at);

CREATE INDEX server_audit_at ON server_audit (agency_id, at);
