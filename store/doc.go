// Package store keeps everything the patrol car records in one SQLite file
// (modernc.org/sqlite, no cgo): operators and shifts, detections with their
// images, hot lists, hits and dispositions, evidence holds, equipment reports,
// a hash-chained audit log and the outbox that a sync loop drains to the agency
// server.
//
// Every write is one transaction with synchronous=FULL in WAL mode, so a
// detection is on disk when SaveDetection returns, even if the car loses power
// the next instant. Retention (General Order J-4 I.E, IV.A.1) is enforced by
// Purge; searches require a purpose and case number and are audited (I.C).
package store
