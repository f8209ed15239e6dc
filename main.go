// Command patrol-alpr is the in-car Automated License Plate Reader of the patrol car's mobile
// data computer. It only wires the packages together; see README.md for the layout.
package main

import (
	"fmt"
	"os"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "patrol-alpr:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	return nil
}
