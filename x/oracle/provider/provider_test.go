package provider_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/provider"
)

func dec(s string) math.LegacyDec { return math.LegacyMustNewDecFromStr(s) }

// options is a map-backed AppOptions, shaped as viper returns app.toml tables.
type options map[string]interface{}

func (o options) Get(key string) interface{} { return o[key] }

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	return path
}

// serve starts an httptest server on 127.0.0.1 answering with body and status.
func serve(t *testing.T, status int, body string, delay time.Duration) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if delay > 0 {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func newProvider(t *testing.T, feeds ...provider.FeedConfig) *provider.Provider {
	t.Helper()
	p, err := provider.New(provider.Config{Timeout: 300 * time.Millisecond, RefreshInterval: time.Hour, Feeds: feeds}, log.NewNopLogger())
	require.NoError(t, err)
	return p
}

func TestProviderMedianOfSources(t *testing.T) {
	dir := t.TempDir()
	json := serve(t, http.StatusOK, `{"data":{"gpus":[{"usd":"29500"},{"usd":30100.5}]}}`, 0)
	p := newProvider(t,
		provider.FeedConfig{ID: "gpu/h100", Sources: []provider.SourceConfig{
			{File: writeFile(t, dir, "h100.txt", "30000000000\n")},
			{URL: json, JSONPath: "data.gpus.1.usd", Multiplier: "1000000"},
			{URL: json, JSONPath: "data.gpus.0.usd", Multiplier: "1000000"},
		}},
		provider.FeedConfig{ID: "rate/tbill", Sources: []provider.SourceConfig{
			{File: writeFile(t, dir, "rates.json", `{"tbill": 0.0525}`), JSONPath: "tbill"},
		}},
	)
	_, ok := p.Price("gpu/h100")
	require.False(t, ok, "nothing before the first refresh")

	p.Refresh(context.Background())
	v, ok := p.Price("gpu/h100")
	require.True(t, ok)
	require.Equal(t, dec("30000000000"), v, "median of 29.5e9, 30e9, 30.1005e9")
	v, ok = p.Price("rate/tbill")
	require.True(t, ok)
	require.Equal(t, dec("0.0525"), v)
	_, ok = p.Price("fx/uusdc")
	require.False(t, ok, "an unconfigured feed has no value")
}

func TestProviderBadSourcesGiveNoValueNeverZero(t *testing.T) {
	dir := t.TempDir()
	bad := map[string]provider.SourceConfig{
		"HTTP 500":        {URL: serve(t, http.StatusInternalServerError, `{"p":1}`, 0)},
		"slow":            {URL: serve(t, http.StatusOK, `5`, 2*time.Second)},
		"garbage":         {URL: serve(t, http.StatusOK, `<html>oops</html>`, 0)},
		"missing path":    {URL: serve(t, http.StatusOK, `{"a":1}`, 0), JSONPath: "b"},
		"not a number":    {URL: serve(t, http.StatusOK, `{"a":true}`, 0), JSONPath: "a"},
		"zero":            {File: writeFile(t, dir, "zero", "0")},
		"negative":        {File: writeFile(t, dir, "neg", "-3")},
		"exponent":        {File: writeFile(t, dir, "exp", "1e5")},
		"trailing data":   {File: writeFile(t, dir, "trail", "5 6")},
		"absurdly large":  {File: writeFile(t, dir, "huge", "1000000000000000000000000000000000000000")},
		"missing file":    {File: filepath.Join(dir, "absent")},
		"empty file":      {File: writeFile(t, dir, "empty", "")},
		"unreachable URL": {URL: "http://127.0.0.1:1/price"},
	}
	for name, src := range bad {
		t.Run(name, func(t *testing.T) {
			p := newProvider(t, provider.FeedConfig{ID: "gpu/h100", Sources: []provider.SourceConfig{src}})
			start := time.Now()
			p.Refresh(context.Background())
			require.Less(t, time.Since(start), time.Second, "a refresh never outlasts the timeout by much")
			v, ok := p.Price("gpu/h100")
			require.False(t, ok)
			require.True(t, v.IsNil())
		})
	}

	// One good source among bad ones gives the good value.
	p := newProvider(t, provider.FeedConfig{ID: "gpu/h100", Sources: []provider.SourceConfig{
		bad["slow"], bad["garbage"], {File: writeFile(t, dir, "good", "31000")}, bad["zero"],
	}})
	p.Refresh(context.Background())
	v, ok := p.Price("gpu/h100")
	require.True(t, ok)
	require.Equal(t, dec("31000"), v)
}

func TestProviderForgetsAValueWhenSourcesFail(t *testing.T) {
	dir := t.TempDir()
	path := writeFile(t, dir, "h100", "30000")
	p := newProvider(t, provider.FeedConfig{ID: "gpu/h100", Sources: []provider.SourceConfig{{File: path}}})
	p.Refresh(context.Background())
	_, ok := p.Price("gpu/h100")
	require.True(t, ok)

	require.NoError(t, os.WriteFile(path, []byte("broken"), 0o600))
	p.Refresh(context.Background())
	_, ok = p.Price("gpu/h100")
	require.False(t, ok, "the old value is not kept")

	require.NoError(t, os.WriteFile(path, []byte("29000"), 0o600))
	p.Refresh(context.Background())
	v, ok := p.Price("gpu/h100")
	require.True(t, ok)
	require.Equal(t, dec("29000"), v)
}

func TestProviderRunRefreshesUntilCancelled(t *testing.T) {
	path := writeFile(t, t.TempDir(), "h100", "30000")
	p, err := provider.New(provider.Config{Timeout: 100 * time.Millisecond, RefreshInterval: 20 * time.Millisecond,
		Feeds: []provider.FeedConfig{{ID: "gpu/h100", Sources: []provider.SourceConfig{{File: path}}}}}, log.NewNopLogger())
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { p.Run(ctx); close(done) }()

	require.Eventually(t, func() bool { v, ok := p.Price("gpu/h100"); return ok && v.Equal(dec("30000")) }, 2*time.Second, 5*time.Millisecond)
	require.NoError(t, os.WriteFile(path, []byte("32000"), 0o600))
	require.Eventually(t, func() bool { v, ok := p.Price("gpu/h100"); return ok && v.Equal(dec("32000")) }, 2*time.Second, 5*time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Run did not stop")
	}
}

func TestConfigFromAppOptions(t *testing.T) {
	// The shape viper gives for the [oracle] table of app.toml.
	cfg, err := provider.ConfigFromAppOptions(options{"oracle": map[string]interface{}{
		"timeout":          "1s",
		"refresh_interval": "3s",
		"feeds": []interface{}{
			map[string]interface{}{"id": "gpu/nvidia-h100-sxm5-80gb", "sources": []interface{}{
				map[string]interface{}{"file": "/tmp/h100"},
				map[string]interface{}{"url": "https://example.com/p.json", "json_path": "h100.usd", "multiplier": "1000000"},
			}},
		},
	}})
	require.NoError(t, err)
	require.Equal(t, time.Second, cfg.Timeout)
	require.Equal(t, 3*time.Second, cfg.RefreshInterval)
	require.Equal(t, []provider.FeedConfig{{ID: "gpu/nvidia-h100-sxm5-80gb", Sources: []provider.SourceConfig{
		{File: "/tmp/h100"},
		{URL: "https://example.com/p.json", JSONPath: "h100.usd", Multiplier: "1000000"},
	}}}, cfg.Feeds)

	cfg, err = provider.ConfigFromAppOptions(options{})
	require.NoError(t, err)
	require.Empty(t, cfg.Feeds)
	require.Equal(t, provider.DefaultTimeout, cfg.Timeout)

	feed := func(id string, sources ...interface{}) map[string]interface{} {
		return map[string]interface{}{"id": id, "sources": sources}
	}
	file := map[string]interface{}{"file": "/tmp/x"}
	for name, section := range map[string]map[string]interface{}{
		"bad timeout":        {"timeout": "soon"},
		"negative interval":  {"refresh_interval": "-1s"},
		"bad feed id":        {"feeds": []interface{}{feed("GPU", file)}},
		"duplicate feed":     {"feeds": []interface{}{feed("a", file), feed("a", file)}},
		"no sources":         {"feeds": []interface{}{feed("a")}},
		"url and file":       {"feeds": []interface{}{feed("a", map[string]interface{}{"file": "/x", "url": "http://x"})}},
		"neither":            {"feeds": []interface{}{feed("a", map[string]interface{}{"json_path": "x"})}},
		"ftp":                {"feeds": []interface{}{feed("a", map[string]interface{}{"url": "ftp://x/y"})}},
		"zero multiplier":    {"feeds": []interface{}{feed("a", map[string]interface{}{"file": "/x", "multiplier": "0"})}},
		"huge multiplier":    {"feeds": []interface{}{feed("a", map[string]interface{}{"file": "/x", "multiplier": "1000000000000000001"})}},
		"feeds not an array": {"feeds": "gpu"},
	} {
		_, err := provider.ConfigFromAppOptions(options{"oracle": section})
		require.Error(t, err, name)
	}
}
