package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"patrol-alpr/car"
	"patrol-alpr/config"
)

// cmdConfigCheck checks a configuration file as the app would at start, listing every
// problem on its own line so the whole file is mended in one pass.
func cmdConfigCheck(_ context.Context, args []string, _ *os.File, stdout io.Writer) error {
	if len(args) != 1 || args[0] == "-h" || args[0] == "--help" {
		return errors.New("config check: name one configuration file: patrol-alpr config check FILE")
	}
	cfg, err := car.CheckFile(args[0])
	var ps config.Problems
	if errors.As(err, &ps) {
		fmt.Fprintf(stdout, "%s: %d problem%s\n", args[0], len(ps), plural(len(ps)))
		for _, p := range ps {
			fmt.Fprintf(stdout, "  %s\n", p)
		}
		return fmt.Errorf("config check: %s is not usable", args[0])
	}
	if err != nil {
		return fmt.Errorf("config check: %w", err)
	}
	_, err = fmt.Fprintf(stdout, "%s: OK (vehicle %q, %d camera%s, %d hot list%s, data in %s)\n", args[0],
		cfg.VehicleNumber, len(cfg.Cameras), plural(len(cfg.Cameras)), len(cfg.HotLists), plural(len(cfg.HotLists)), cfg.DataDir)
	return err
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
