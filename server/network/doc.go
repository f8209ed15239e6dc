// Package network finds hits anywhere in the network and brings them to the cars (policy
// III.C.5.b, the "Mobile Hit Hunter"): every detection reaching the server, from any car or
// fixed camera of any agency, is matched (with the car's own matcher) against the lists of
// every agency that receives that agency's hits — all of its own lists, and of another
// agency's only those that may cross agencies (not departmental, or approved, IV.C.6) — and
// each hit goes to the receiving agency's cars within the radius of the sighting, nearest
// first, through the Broker that the events stream of each car listens to.
package network
