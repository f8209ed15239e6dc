package store

import (
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Sentinel errors, compared with errors.Is.
var (
	// ErrNotFound means no record has the requested id.
	ErrNotFound = errors.New("not found")
	// ErrNotDatabase means the file exists but is not an SQLite database.
	ErrNotDatabase = errors.New("file is not an ALPR database")
	// ErrSchemaTooNew means the file was written by a newer version of this program.
	ErrSchemaTooNew = errors.New("database was written by a newer version of the program")
	// ErrDiskFull means the disk (or the database size limit) is full: nothing was saved.
	ErrDiskFull = errors.New("disk full")
	// ErrBadCredentials means the operator id or PIN is wrong.
	ErrBadCredentials = errors.New("wrong operator id or PIN")
	// ErrLockedOut means too many wrong PINs were entered; the operator must wait.
	ErrLockedOut = errors.New("operator locked out after too many wrong PINs")
	// ErrPurposeRequired means a search was attempted without a purpose and case number (I.C).
	ErrPurposeRequired = errors.New("a search needs a purpose and a case number")
	// ErrExists means a record with that id is already stored.
	ErrExists = errors.New("already exists")
	// ErrInvalid means the caller passed a record that cannot be stored as given.
	ErrInvalid = errors.New("invalid record")
)

// AuditBreak reports the first audit entry that was changed or removed.
type AuditBreak struct {
	Seq    int64  // sequence number of the first entry that does not verify
	Reason string // what did not match
}

func (e *AuditBreak) Error() string {
	return fmt.Sprintf("audit log broken at entry %d: %s", e.Seq, e.Reason)
}

// classify turns SQLite result codes that a person must act on into the package's
// sentinels, keeping the driver's error in the chain for the log.
func classify(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_FULL:
		return fmt.Errorf("%w: %w", ErrDiskFull, err)
	case sqlite3.SQLITE_NOTADB:
		return fmt.Errorf("%w: %w", ErrNotDatabase, err)
	}
	return err
}
