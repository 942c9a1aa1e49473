package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/types"
)

const (
	// DefaultTimeout bounds one fetch of one source.
	DefaultTimeout = 2 * time.Second
	// DefaultRefreshInterval is how often every source is fetched again.
	DefaultRefreshInterval = 5 * time.Second
	// maxSourcesPerFeed keeps a refresh's fan-out small.
	maxSourcesPerFeed = 16
)

// maxMultiplier (10^18) is far above any unit conversion (USD to uusdai is 10^6).
var maxMultiplier = math.LegacyNewDecFromInt(math.NewIntWithDecimal(1, 18))

// Config is the [oracle] section of app.toml.
type Config struct {
	// Timeout bounds one fetch; a slower source gives no value this round.
	Timeout time.Duration
	// RefreshInterval is the time between two rounds of fetches.
	RefreshInterval time.Duration
	Feeds           []FeedConfig
}

// FeedConfig lists the sources of one feed; the cached value is the median of
// the sources that answered in the latest round.
type FeedConfig struct {
	ID      string         `json:"id"`
	Sources []SourceConfig `json:"sources"`
}

// SourceConfig is an HTTP(S) JSON endpoint (URL) or a local file (File), exactly
// one of them. JSONPath picks the number out of a JSON document ("data.h100.price",
// array elements by index: "prices.0"); empty means the whole document is the
// number. Multiplier scales it into the feed's unit (e.g. 1000000 for USD to uusdai).
type SourceConfig struct {
	URL        string `json:"url"`
	File       string `json:"file"`
	JSONPath   string `json:"json_path"`
	Multiplier string `json:"multiplier"`
}

// rawConfig is the [oracle] section as app.toml spells it.
type rawConfig struct {
	Timeout         string       `json:"timeout"`
	RefreshInterval string       `json:"refresh_interval"`
	Feeds           []FeedConfig `json:"feeds"`
}

// AppOptions is the part of servertypes.AppOptions the provider reads.
type AppOptions interface {
	Get(string) interface{}
}

// ConfigFromAppOptions reads the [oracle] section. A missing section is a
// validator without sources: a Config with no feeds.
func ConfigFromAppOptions(opts AppOptions) (Config, error) {
	section := opts.Get("oracle")
	if section == nil {
		return Config{Timeout: DefaultTimeout, RefreshInterval: DefaultRefreshInterval}, nil
	}
	// viper hands the TOML tables over as maps and slices: a JSON round trip
	// turns them into the typed config.
	bz, err := json.Marshal(section)
	if err != nil {
		return Config{}, fmt.Errorf("oracle config: %w", err)
	}
	var raw rawConfig
	if err := json.Unmarshal(bz, &raw); err != nil {
		return Config{}, fmt.Errorf("oracle config: %w", err)
	}
	cfg := Config{Timeout: DefaultTimeout, RefreshInterval: DefaultRefreshInterval, Feeds: raw.Feeds}
	if raw.Timeout != "" {
		if cfg.Timeout, err = time.ParseDuration(raw.Timeout); err != nil {
			return Config{}, fmt.Errorf("oracle.timeout: %w", err)
		}
	}
	if raw.RefreshInterval != "" {
		if cfg.RefreshInterval, err = time.ParseDuration(raw.RefreshInterval); err != nil {
			return Config{}, fmt.Errorf("oracle.refresh_interval: %w", err)
		}
	}
	return cfg, cfg.Validate()
}

// Validate checks the configuration before the provider starts.
func (c Config) Validate() error {
	if c.Timeout <= 0 {
		return errors.New("oracle.timeout must be positive")
	}
	if c.RefreshInterval <= 0 {
		return errors.New("oracle.refresh_interval must be positive")
	}
	seen := map[string]bool{}
	for _, f := range c.Feeds {
		if err := types.ValidateFeedID(f.ID); err != nil {
			return fmt.Errorf("oracle.feeds: %w", err)
		}
		if seen[f.ID] {
			return fmt.Errorf("oracle.feeds: %s listed twice", f.ID)
		}
		seen[f.ID] = true
		if len(f.Sources) == 0 || len(f.Sources) > maxSourcesPerFeed {
			return fmt.Errorf("oracle.feeds %s: 1 to %d sources needed, got %d", f.ID, maxSourcesPerFeed, len(f.Sources))
		}
		for i, s := range f.Sources {
			if err := s.validate(); err != nil {
				return fmt.Errorf("oracle.feeds %s source %d: %w", f.ID, i, err)
			}
		}
	}
	return nil
}

func (s SourceConfig) validate() error {
	if (s.URL == "") == (s.File == "") {
		return errors.New("exactly one of url and file must be set")
	}
	if s.URL != "" {
		u, err := url.Parse(s.URL)
		if err != nil {
			return err
		}
		if u.Scheme != "http" && u.Scheme != "https" {
			return fmt.Errorf("url %q: only http and https are supported", s.URL)
		}
	}
	if _, err := s.multiplier(); err != nil {
		return err
	}
	return nil
}

func (s SourceConfig) multiplier() (math.LegacyDec, error) {
	if s.Multiplier == "" {
		return math.LegacyOneDec(), nil
	}
	m, err := math.LegacyNewDecFromStr(s.Multiplier)
	if err != nil {
		return math.LegacyDec{}, fmt.Errorf("multiplier %q: %w", s.Multiplier, err)
	}
	if !m.IsPositive() || m.GT(maxMultiplier) {
		return math.LegacyDec{}, fmt.Errorf("multiplier %q must be in (0, 10^18]", s.Multiplier)
	}
	return m, nil
}

// DefaultConfigTemplate is the [oracle] section appended to app.toml. It is
// written with no feeds: a validator configures its own sources.
const DefaultConfigTemplate = `
###############################################################################
###                         Oracle price provider                           ###
###############################################################################

# The validator's price sources for x/oracle feeds whose source is
# FEED_SOURCE_VOTE_EXTENSIONS. A background task fetches every source each
# refresh_interval and keeps, per feed, the median of the sources that answered;
# vote extensions report that cached value. A source that fails, times out or
# returns something that is not a positive number gives no value (never zero).
# A feed without any answering source is left out of the vote extension.
[oracle]

# Longest wait for one source.
timeout = "2s"

# Time between two rounds of fetches.
refresh_interval = "5s"

# One [[oracle.feeds]] table per feed, each with one or more sources:
#   url = "https://..."   an HTTP(S) endpoint returning JSON, or
#   file = "/path"        a local file (a plain number, or JSON),
#   json_path = "a.b.0"   where the number is in the JSON (empty: the whole document),
#   multiplier = "1000000" scales the number into the feed's unit (default 1).
#
# [[oracle.feeds]]
# id = "gpu/nvidia-h100-sxm5-80gb"
# sources = [
#   { url = "https://prices.example.com/gpu.json", json_path = "h100.usd", multiplier = "1000000" },
#   { file = "/var/lib/infrafi/h100-uusdai.txt" },
# ]
`

// FeedFileName is the file name for a feed's value in a directory of one file
// per feed (feed ids contain "/"), as localnets lay out their price files.
func FeedFileName(feedID string) string {
	return strings.ReplaceAll(feedID, "/", "_")
}
