package car

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"patrol-alpr/alpr"
	"patrol-alpr/config"
	"patrol-alpr/engine"
	"patrol-alpr/hotlist"
	"patrol-alpr/learn"
	"patrol-alpr/wire"
)

// TestServerListsJoinTheConfiguredOnes: the server's lists are added to the car's sources as
// local copies; a configured "server:NAME" list reads the server's copy; a car that starts
// without network keeps using the copies and the index it kept.
func TestServerListsJoinTheConfiguredOnes(t *testing.T) {
	files := map[string]string{"NCIC": "7ABC123;CA\n", "SVS": "8XYZ999;NV\n"}
	mux := http.NewServeMux()
	mux.HandleFunc(wire.ListsPath, func(w http.ResponseWriter, r *http.Request) {
		idx := wire.ListIndex{Agency: "DEMO"}
		for _, name := range []string{"NCIC", "SVS"} {
			sum := sha256.Sum256([]byte(files[name]))
			idx.Lists = append(idx.Lists, wire.ListInfo{Name: name, SHA256: hex.EncodeToString(sum[:]),
				Size: int64(len(files[name])), Format: "plate-state", Kind: "general", Priority: 70, Path: wire.ListsPath + "/" + name})
		}
		_ = json.NewEncoder(w).Encode(idx)
	})
	mux.HandleFunc(wire.ListsPath+"/{name}", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, files[r.PathValue("name")])
	})
	hs := httptest.NewServer(mux)
	dir := t.TempDir()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	configured := []hotlist.Source{{List: alpr.HotList{Name: "STOLEN", Kind: alpr.General, Priority: 90}, URL: "server:NCIC",
		Format: hotlist.FormatPlateState}}
	sources, prepare := withServerLists(context.Background(), dir, learn.Client{BaseURL: hs.URL}, configured, log)
	if len(sources) != 2 || sources[0].List.Name != "STOLEN" || !strings.HasSuffix(sources[0].URL, "NCIC.list") ||
		sources[1].List.Name != "SVS" || sources[1].List.Priority != 70 {
		t.Fatalf("sources %+v", sources)
	}
	if b, err := os.ReadFile(sources[1].URL); err != nil || string(b) != files["SVS"] {
		t.Fatalf("local copy of SVS: %q, %v", b, err)
	}
	if err := prepare(context.Background()); err != nil {
		t.Fatalf("prepare: %v", err)
	}
	hs.Close() // the car starts again, out of reach
	sources, _ = withServerLists(context.Background(), dir, learn.Client{BaseURL: hs.URL}, nil, log)
	if len(sources) != 2 {
		t.Fatalf("offline start: sources %+v, want the two lists from the kept index", sources)
	}
}

// TestLearnLight maps the sync's health to the light's colours.
func TestLearnLight(t *testing.T) {
	tests := []struct {
		state learn.State
		want  engine.Level
	}{{learn.Synced, engine.Green}, {learn.CatchingUp, engine.Amber}, {learn.Failing, engine.Red}}
	for _, tc := range tests {
		if got := levelOf(learn.Health{State: tc.state}); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.state, got, tc.want)
		}
	}
}

// TestCheckConfigReadsTheBundle: a server_bundle that cannot be read is named by the check,
// before the car would stop at start on it.
func TestCheckConfigReadsTheBundle(t *testing.T) {
	cfg := config.Config{ServerURL: "https://alpr.example:8443", ServerBundle: t.TempDir()}
	err := CheckConfig(cfg)
	if err == nil || !strings.Contains(err.Error(), "server_bundle") || !strings.Contains(err.Error(), "car.crt") {
		t.Fatalf("CheckConfig with an empty bundle folder: %v", err)
	}
}
