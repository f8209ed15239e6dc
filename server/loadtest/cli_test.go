package loadtest

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestMainRefusesBadValues: a value that would make a meaningless run is a usage error
// (exit 2) naming the flag, before any server starts.
func TestMainRefusesBadValues(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-every", "0s"}, "-every 0s: want a positive duration"},
		{[]string{"-duration", "-1s"}, "-duration -1s: want a positive duration"},
		{[]string{"-growth", "-growth-duration", "0s"}, "-growth-duration 0s"},
		{[]string{"-cars", "0"}, "-cars 0: want at least one car"},
		{[]string{"-growth", "-growth-cars", "100,x"}, "want positive numbers"},
	} {
		var out, errOut bytes.Buffer
		code := Main(context.Background(), append(tc.args, "-server", "/nonexistent"), &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), tc.want) {
			t.Errorf("Main(%q) = %d, %q; want 2 and %q", tc.args, code, errOut.String(), tc.want)
		}
	}
}
