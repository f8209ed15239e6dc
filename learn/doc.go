// Package learn sends the car's outbox to the agency's LEARN server and tells the LEARN light
// whether that is working (policy III.C.6, IV.A.1).
//
// Delivery is at-least-once on the wire and exactly-once at the server: every outbox item
// carries a key (the record's UUID) that the server stores uniquely, and the car removes an
// item from its outbox only after the server has named its key as stored. A batch lost in
// either direction is simply sent again.
package learn
