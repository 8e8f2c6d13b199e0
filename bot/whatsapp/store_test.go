package whatsapp

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"go.mau.fi/whatsmeow/store/sqlstore/upgrades"
)

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// The session store works on the pure-Go SQLite driver: it is created,
// its schema upgraded to whatsmeow's latest version, and it opens again.
func TestStoreSchemaOnModernc(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "whatsapp.db")
	for range 2 {
		c, err := OpenStore(ctx, path, discard())
		if err != nil {
			t.Fatal(err)
		}
		dev, err := c.GetFirstDevice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if dev.ID != nil {
			t.Errorf("a new store has device %s, want an unpaired one", dev.ID)
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, tables int
	if err := db.QueryRow("SELECT version FROM whatsmeow_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if latest := len(upgrades.Table); version != latest {
		t.Errorf("schema version %d, want whatsmeow's latest %d", version, latest)
	}
	err = db.QueryRow("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('whatsmeow_device', 'whatsmeow_lid_map')").Scan(&tables)
	if err != nil || tables != 2 {
		t.Errorf("device and LID tables: %d found (%v), want 2", tables, err)
	}
}

func TestOpenWithoutPairing(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "whatsapp.db")
	if _, err := Open(ctx, Config{Path: path, Log: discard()}); !errors.Is(err, ErrNotPaired) {
		t.Fatalf("Open without a store = %v, want ErrNotPaired", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Open created %s: %v", path, err)
	}
	c, err := OpenStore(ctx, path, discard())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	if _, err := Open(ctx, Config{Path: path, Log: discard()}); !errors.Is(err, ErrNotPaired) {
		t.Fatalf("Open with an unpaired store = %v, want ErrNotPaired", err)
	}
}

// whatsmeow's logs reach slog without its debug chatter.
func TestWhatsmeowLogs(t *testing.T) {
	var buf bytes.Buffer
	log := waLogger(slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo})), "client").Sub("Socket")
	log.Debugf("frame %d", 1)
	log.Infof("Successfully authenticated")
	log.Warnf("keepalive %s", "slow")
	log.Errorf("failed: %v", errors.New("boom"))
	got := buf.String()
	for _, want := range []string{`level=WARN msg="keepalive slow" whatsmeow=client whatsmeow_sub=Socket`, `level=ERROR msg="failed: boom"`} {
		if !bytes.Contains([]byte(got), []byte(want)) {
			t.Errorf("logs %q lack %q", got, want)
		}
	}
	for _, unwanted := range []string{"frame", "authenticated"} {
		if bytes.Contains([]byte(got), []byte(unwanted)) {
			t.Errorf("logs %q contain %q at info level", got, unwanted)
		}
	}
}
