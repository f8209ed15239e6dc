package wire

import (
	"crypto/sha256"
	"encoding/binary"
	"time"
)

// AuditRecord is one entry of a car's hash-chained audit log as it travels to the server,
// which continues the chain per vehicle and flags a gap or a broken link.
type AuditRecord struct {
	Seq      int64     `json:"seq"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor"`
	Action   string    `json:"action"`
	Detail   string    `json:"detail"`
	PrevHash string    `json:"prev_hash"` // hex
	Hash     string    `json:"hash"`      // hex of ChainHash(prev, the fields)
}

// Genesis is the previous hash of a chain's first entry.
var Genesis = make([]byte, sha256.Size)

// ChainHash is sha256(prev || seq || at || actor || action || detail), each text field
// length-prefixed so that moving text from one field to the next changes the hash.
func ChainHash(prev []byte, seq int64, at time.Time, actor, action, detail string) []byte {
	h := sha256.New()
	h.Write(prev)
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(seq))
	h.Write(n[:])
	binary.BigEndian.PutUint64(n[:], uint64(at.UnixNano()))
	h.Write(n[:])
	for _, s := range []string{actor, action, detail} {
		binary.BigEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	return h.Sum(nil)
}
