package cmem

import "testing"

func TestLimitArenas(t *testing.T) {
	if err := LimitArenas(0); err == nil {
		t.Error("LimitArenas(0) succeeded, want an error")
	}
	if err := LimitArenas(2); err != nil {
		t.Errorf("LimitArenas(2): %v", err)
	}
}
