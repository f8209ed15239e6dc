package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestMainUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // in stdout or stderr
	}{
		{[]string{"--help"}, 0, "car add"},
		{nil, 0, "lists import"},
		{[]string{"--version"}, 0, "patrol-alpr-server"},
		{[]string{"fly"}, 2, `unknown command "fly"`},
		{[]string{"car", "add"}, 2, "want 1 argument(s), got 0"},
		{[]string{"share", "A"}, 2, "want 2 argument(s), got 1"},
		{[]string{"purge", "-bogus"}, 2, "flag provided but not defined"},
		{[]string{"serve", "-filers", "-1"}, 2, "counts are 0 (the default) or more"},
		{[]string{"serve", "-max-inflight", "0"}, 2, "-max-inflight at least 1"},
		{[]string{"serve", "-filers", "4", "-db-conns", "4"}, 2, "the pool needs room beyond the filers"},
	}
	for _, tc := range tests {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), tc.args, &out, &errOut)
		if code != tc.code || !strings.Contains(out.String()+errOut.String(), tc.out) {
			t.Errorf("%v: exit %d, output %q%q; want %d with %q", tc.args, code, out.String(), errOut.String(), tc.code, tc.out)
		}
	}
}
