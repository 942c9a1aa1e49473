package provider

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
)

func TestPriceNotReturnedWhenStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "h100")
	require.NoError(t, os.WriteFile(path, []byte("30000"), 0o600))
	p, err := New(Config{Timeout: time.Second, RefreshInterval: 5 * time.Second,
		Feeds: []FeedConfig{{ID: "gpu/h100", Sources: []SourceConfig{{File: path}}}}}, log.NewNopLogger())
	require.NoError(t, err)
	clock := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	p.now = func() time.Time { return clock }
	p.Refresh(context.Background())

	clock = clock.Add(16 * time.Second) // 3 intervals + timeout
	_, ok := p.Price("gpu/h100")
	require.True(t, ok)
	clock = clock.Add(time.Nanosecond)
	_, ok = p.Price("gpu/h100")
	require.False(t, ok, "a value the loop has not renewed for that long is not reported")
}
