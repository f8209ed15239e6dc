package alarm

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// beep's speaker can be opened once per process, so each case runs the test binary
// again with its own ALSA configuration.
func TestOpenSpeaker(t *testing.T) {
	if os.Getenv("ALARM_SPEAKER_CHILD") == "1" {
		speakerChild()
		return
	}
	tests := []struct {
		name string
		alsa string
		want string
	}{
		{"null device opens", "pcm.!default { type null }\n", "opened"},
		{"no device is reported", "# no pcm defined\n", "no sound device"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conf := filepath.Join(t.TempDir(), "asound.conf")
			if err := os.WriteFile(conf, []byte(tt.alsa), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestOpenSpeaker$")
			cmd.Env = append(os.Environ(), "ALARM_SPEAKER_CHILD=1", "ALSA_CONFIG_PATH="+conf)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("child: %v\n%s", err, out)
			}
			if !strings.Contains(string(out), "RESULT: "+tt.want) {
				t.Fatalf("child output lacks %q:\n%s", tt.want, out)
			}
		})
	}
}

func speakerChild() {
	s, err := OpenSpeaker(testRate, 100*time.Millisecond)
	switch {
	case errors.Is(err, ErrNoDevice):
		os.Stdout.WriteString("RESULT: no sound device\n")
	case err != nil:
		os.Stdout.WriteString("RESULT: other error: " + err.Error() + "\n")
	default:
		p, perr := NewPlayer(s, testRate)
		if perr != nil {
			os.Stdout.WriteString("RESULT: " + perr.Error() + "\n")
			return
		}
		p.Raise(1, 3, false)
		time.Sleep(50 * time.Millisecond)
		p.Ack(1)
		s.Close()
		os.Stdout.WriteString("RESULT: opened\n")
	}
}
