// Package matcher decides whether a plate read hits a hot list, and explains why.
//
// It is pure: no I/O, no goroutines, no clock (the caller passes the instant of the
// read). An Index is immutable once built, so one Index may serve any number of
// goroutines while the hot-list manager builds the next one beside it.
//
// Matching follows the tolerance of each list (alpr.Tolerance):
//
//   - Exact: the best read must equal the listed plate. Alternates are not tried,
//     because an alternate is the reader's guess at a look-alike, which is exactly the
//     false alarm an exact-only list exists to avoid.
//   - LookAlike: the best read or any alternate may differ from the listed plate in
//     OCR look-alike characters (0/O/D/Q, 1/I/L/T, 2/Z, 5/S, 8/B, 6/G).
//   - LookAlikeOrIndel: as LookAlike, and the reading may also have one character
//     missing or one extra (plates of at least MinIndelLen characters), for lists of
//     up to MaxIndelEntries entries; larger lists match with look-alikes only.
//
// How it scales: every plate is reduced to a canonical key in which each look-alike
// class is one character. A read hits a listed plate with look-alikes exactly when their
// keys are equal, so one lookup finds exact and look-alike candidates. An extra character
// in the read is found by deleting each character of the read's key in turn and looking
// the result up; a missing character by a second table holding, for every listed plate,
// its key with each character deleted (the deletion neighbourhood). That second table is
// built only for lists whose tolerance needs it. Tables are bucketed arrays of 32-bit
// fingerprints (see table.go) and entries are packed into one byte arena (see record.go),
// so a million NCIC entries fit in well under the 150 MB budget with look-alike matching
// kept (other readers fall back to exact matching for NCIC-scale lists).
package matcher
