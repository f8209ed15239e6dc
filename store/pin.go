package store

import (
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
)

// pinKeyLen is the length of a stored PIN hash.
const pinKeyLen = 32

// hashPIN derives the stored hash of a PIN. PBKDF2 with a per-operator salt makes
// each guess at a stolen file cost the attacker as much as a login costs the car.
func hashPIN(pin string, salt []byte, iterations int) ([]byte, error) {
	k, err := pbkdf2.Key(sha256.New, pin, salt, iterations, pinKeyLen)
	if err != nil {
		return nil, fmt.Errorf("hash PIN: %w", err)
	}
	return k, nil
}

// newSalt returns 16 random bytes.
func newSalt() []byte {
	s := make([]byte, 16)
	rand.Read(s) // never fails on Linux
	return s
}

// pinMatches compares in constant time so the time taken leaks nothing.
func pinMatches(pin string, salt, hash []byte, iterations int) bool {
	if len(hash) == 0 || iterations <= 0 {
		return false
	}
	k, err := hashPIN(pin, salt, iterations)
	return err == nil && subtle.ConstantTimeCompare(k, hash) == 1
}
