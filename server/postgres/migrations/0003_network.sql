-- 0003: the network (policy III.C.5.b, IV.B, IV.C.6). Several agencies on one server;
-- agreements say who may search whose detections, who receives hits from whose detections,
-- and whose shareable lists reach whose cars.

-- agency_id shares with partner_id: the partner may search agency_id's detections, receives
-- hits when agency_id's cars see a plate on the partner's lists, and gets agency_id's
-- shareable lists. One row per direction.
CREATE TABLE sharing_agreements (
	agency_id     text NOT NULL REFERENCES agencies (id),
	partner_id    text NOT NULL REFERENCES agencies (id),
	may_search    boolean NOT NULL DEFAULT true,
	receives_hits boolean NOT NULL DEFAULT true,
	shares_lists  boolean NOT NULL DEFAULT false,
	created_at    timestamptz NOT NULL,
	created_by    text NOT NULL,
	PRIMARY KEY (agency_id, partner_id),
	CHECK (agency_id <> partner_id)
);

-- A departmental list crosses agencies only once its administrator approved it (IV.C.6):
-- hot_lists.share_approved_at, made by 0002 for the desk.

-- Where each car is, from its detections and its position reports, for the radius of a
-- network hit.
ALTER TABLE vehicles ADD COLUMN position_at timestamptz;

-- A hit found at the server: a detection of one agency (detecting) matched a list of the
-- receiving agency (agency_id). Pushed to the receiving agency's cars near the sighting.
CREATE TABLE network_hits (
	agency_id        text NOT NULL,
	id               uuid NOT NULL,
	detection_agency text NOT NULL,
	detection_uuid   uuid NOT NULL,
	detection_vehicle text NOT NULL,
	camera           text NOT NULL,
	seen_at          timestamptz NOT NULL,
	lat              double precision,
	lon              double precision,
	plate            text NOT NULL,
	list_name        text NOT NULL,
	match            jsonb NOT NULL,
	plate_sha256     bytea,
	created_at       timestamptz NOT NULL,
	PRIMARY KEY (agency_id, id)
);
CREATE INDEX network_hits_detection ON network_hits (detection_agency, detection_uuid);

-- Events for a car, in order (the id), replayed after a reconnect from Last-Event-ID within
-- the replay window.
CREATE TABLE car_events (
	agency_id  text NOT NULL,
	id         bigint GENERATED ALWAYS AS IDENTITY,
	vehicle    text NOT NULL,
	kind       text NOT NULL,
	payload    jsonb NOT NULL,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (agency_id, id)
);
CREATE INDEX car_events_vehicle ON car_events (agency_id, vehicle, id);

-- A request for an agency's data from an agency outside the network (IV.B.2): recorded for
-- the owning agency's administrator and answered only after approval.
CREATE TABLE outside_requests (
	agency_id      text NOT NULL REFERENCES agencies (id),
	id             uuid NOT NULL,
	requester      text NOT NULL,
	purpose        text NOT NULL,
	case_number    text NOT NULL,
	query          jsonb NOT NULL,
	received_at    timestamptz NOT NULL,
	received_by    text NOT NULL,
	decision       text CHECK (decision IN ('approved', 'refused')),
	decision_reason text,
	decided_at     timestamptz,
	decided_by     text,
	PRIMARY KEY (agency_id, id)
);
