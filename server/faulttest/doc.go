// Package faulttest holds the end-to-end fault test of the sync: the real patrol-alpr-server
// binary, killed again and again mid-batch, behind a loopback proxy that cuts connections at
// random points, fed by a real car store drained by learn.Syncer in a car process that is
// itself killed mid-sync. Afterwards every detection and image must be on the server exactly
// once. The package has nothing but its tests.
package faulttest
