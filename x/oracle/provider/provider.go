// Package provider is the validator's price provider: outside the state machine,
// a goroutine fetches each configured feed's sources (HTTP(S) JSON endpoints or
// local files) every refresh interval and caches the median per feed, which
// ExtendVote reads without waiting.
package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// maxBodyBytes bounds what one source may return.
const maxBodyBytes = 1 << 20

// Source fetches one value. An error means no value this round.
type Source interface {
	Fetch(ctx context.Context) (math.LegacyDec, error)
}

type feedSources struct {
	id      string
	sources []Source
}

type entry struct {
	value     math.LegacyDec
	fetchedAt time.Time
}

// Provider keeps the latest median per feed. It is safe for concurrent use.
type Provider struct {
	feeds    []feedSources
	timeout  time.Duration
	interval time.Duration
	logger   log.Logger
	now      func() time.Time

	mu    sync.RWMutex
	cache map[string]entry
}

// New builds a provider from a validated config.
func New(cfg Config, logger log.Logger) (*Provider, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	client := &http.Client{Timeout: cfg.Timeout}
	p := &Provider{
		timeout:  cfg.Timeout,
		interval: cfg.RefreshInterval,
		logger:   logger.With(log.ModuleKey, "oracle-provider"),
		now:      time.Now,
		cache:    map[string]entry{},
	}
	for _, f := range cfg.Feeds {
		fs := feedSources{id: f.ID}
		for _, s := range f.Sources {
			m, err := s.multiplier()
			if err != nil {
				return nil, err
			}
			if s.URL != "" {
				fs.sources = append(fs.sources, HTTPSource{URL: s.URL, JSONPath: s.JSONPath, Multiplier: m, Client: client})
			} else {
				fs.sources = append(fs.sources, FileSource{Path: s.File, JSONPath: s.JSONPath, Multiplier: m})
			}
		}
		p.feeds = append(p.feeds, fs)
	}
	return p, nil
}

// Price returns the cached median of a feed. A value older than three refresh
// intervals (the fetch loop is stuck or every source failed for that long) is
// not returned: no value beats a stale one.
func (p *Provider) Price(feedID string) (math.LegacyDec, bool) {
	p.mu.RLock()
	e, ok := p.cache[feedID]
	p.mu.RUnlock()
	if !ok || p.now().Sub(e.fetchedAt) > 3*p.interval+p.timeout {
		return math.LegacyDec{}, false
	}
	return e.value, true
}

// Run refreshes the cache now and then every refresh interval until ctx ends.
func (p *Provider) Run(ctx context.Context) {
	if len(p.feeds) == 0 {
		return
	}
	ticker := time.NewTicker(p.interval)
	defer ticker.Stop()
	for {
		p.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}
	}
}

// Refresh fetches every source of every feed concurrently, each bounded by the
// timeout, and replaces each feed's cached value with the median of the values
// received; a feed with none loses its value.
func (p *Provider) Refresh(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	results := make([][]math.LegacyDec, len(p.feeds))
	var wg sync.WaitGroup
	var mu sync.Mutex
	for i, f := range p.feeds {
		for _, s := range f.sources {
			wg.Add(1)
			go func(i int, feedID string, s Source) {
				defer wg.Done()
				v, err := fetchChecked(ctx, s)
				if err != nil {
					p.logger.Debug("price source gave no value", "feed_id", feedID, "source", s, "error", err)
					return
				}
				mu.Lock()
				results[i] = append(results[i], v)
				mu.Unlock()
			}(i, f.id, s)
		}
	}
	wg.Wait()

	now := p.now()
	p.mu.Lock()
	defer p.mu.Unlock()
	for i, f := range p.feeds {
		if len(results[i]) == 0 {
			delete(p.cache, f.id)
			continue
		}
		median, err := types.Median(results[i])
		if err != nil {
			delete(p.cache, f.id)
			continue
		}
		p.cache[f.id] = entry{value: median, fetchedAt: now}
	}
}

// fetchChecked fetches and keeps only positive values, also when a source
// implementation returns a zero without an error.
func fetchChecked(ctx context.Context, s Source) (math.LegacyDec, error) {
	v, err := s.Fetch(ctx)
	if err != nil {
		return math.LegacyDec{}, err
	}
	if v.IsNil() || !v.IsPositive() {
		return math.LegacyDec{}, fmt.Errorf("not a positive value: %v", v)
	}
	return v, nil
}

// HTTPSource GETs a JSON document.
type HTTPSource struct {
	URL        string
	JSONPath   string
	Multiplier math.LegacyDec
	Client     *http.Client
}

func (s HTTPSource) String() string { return s.URL }

// Fetch implements Source.
func (s HTTPSource) Fetch(ctx context.Context) (math.LegacyDec, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	if err != nil {
		return math.LegacyDec{}, err
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		return math.LegacyDec{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return math.LegacyDec{}, fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBodyBytes+1))
	if err != nil {
		return math.LegacyDec{}, err
	}
	if len(body) > maxBodyBytes {
		return math.LegacyDec{}, errors.New("response too large")
	}
	return extract(body, s.JSONPath, s.Multiplier)
}

// FileSource reads a local file: for localnets, tests, or a value another
// process keeps up to date.
type FileSource struct {
	Path       string
	JSONPath   string
	Multiplier math.LegacyDec
}

func (s FileSource) String() string { return s.Path }

// Fetch implements Source.
func (s FileSource) Fetch(context.Context) (math.LegacyDec, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return math.LegacyDec{}, err
	}
	defer f.Close()
	body, err := io.ReadAll(io.LimitReader(f, maxBodyBytes+1))
	if err != nil {
		return math.LegacyDec{}, err
	}
	if len(body) > maxBodyBytes {
		return math.LegacyDec{}, errors.New("file too large")
	}
	return extract(body, s.JSONPath, s.Multiplier)
}

// extract reads the number at path in a JSON document (a JSON number or a
// decimal string; the whole document when path is empty) and scales it.
func extract(body []byte, path string, multiplier math.LegacyDec) (math.LegacyDec, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc interface{}
	if err := dec.Decode(&doc); err != nil {
		return math.LegacyDec{}, fmt.Errorf("not JSON or a number: %w", err)
	}
	if dec.More() {
		return math.LegacyDec{}, errors.New("trailing data after the value")
	}
	node := doc
	if path != "" {
		for _, key := range strings.Split(path, ".") {
			switch n := node.(type) {
			case map[string]interface{}:
				v, ok := n[key]
				if !ok {
					return math.LegacyDec{}, fmt.Errorf("json_path %q: no key %q", path, key)
				}
				node = v
			case []interface{}:
				i, err := strconv.Atoi(key)
				if err != nil || i < 0 || i >= len(n) {
					return math.LegacyDec{}, fmt.Errorf("json_path %q: no index %q", path, key)
				}
				node = n[i]
			default:
				return math.LegacyDec{}, fmt.Errorf("json_path %q: %q is not inside an object or array", path, key)
			}
		}
	}
	var text string
	switch v := node.(type) {
	case json.Number:
		text = v.String()
	case string:
		text = strings.TrimSpace(v)
	default:
		return math.LegacyDec{}, fmt.Errorf("value at %q is not a number", path)
	}
	value, err := math.LegacyNewDecFromStr(text)
	if err != nil {
		return math.LegacyDec{}, fmt.Errorf("value %q: %w", text, err)
	}
	// Bounding before scaling keeps the product far from LegacyDec's limit
	// (the multiplier is at most maxMultiplier).
	if value.GT(types.MaxValueLimit) {
		return math.LegacyDec{}, fmt.Errorf("value %s is absurdly large", value)
	}
	value = value.Mul(multiplier)
	if !value.IsPositive() {
		return math.LegacyDec{}, fmt.Errorf("value %s is not positive", value)
	}
	if value.GT(types.MaxValueLimit) {
		return math.LegacyDec{}, fmt.Errorf("value %s is absurdly large", value)
	}
	return value, nil
}
