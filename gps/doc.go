// Package gps tells every detection where the car was when its frame was captured
// (policy II.C: a detection includes the camera's location at the time of the read) and
// drives the GPS light (III.C.6: the light is green only when the system really has a fix).
//
// A Receiver reads NMEA 0183 from a Source — a serial GPS puck (Serial), an in-car modem
// sending NMEA over UDP (UDP), a recording (Replay) or the classroom's simulated patrol
// (Route) — and every one of them goes through the same scanner and parser, so classroom
// mode exercises the code that runs in the car. Bytes the receiver cannot use are counted
// and skipped; a source that fails is reopened with backoff; nothing on this path blocks
// the caller or panics.
package gps
