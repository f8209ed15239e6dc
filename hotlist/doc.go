// Package hotlist brings hot lists into the car and keeps them current (policy IV.C,
// IV.D): it parses the formats agencies send (the FBI NCIC LPR extract, California DOJ's
// fixed-width lists, CSV with a header, PLATE;STATE), downloads the General and Special
// lists at shift start and at least daily, swaps each new list into the matcher's index
// atomically, keeps the last good file of each list on disk for a start without network,
// validates officer-entered hot plates, and matches recent reads again when a list
// changes so a plate that went by before the list arrived still raises a (late) hit.
//
// A list is applied whole or not at all: a file that fails to download or parse leaves
// the previous version in force, and the failure (which file, which line, why) is kept
// for Status, which turns the System light red.
package hotlist
