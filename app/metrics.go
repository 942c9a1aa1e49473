package app

import (
	"errors"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cast"

	servertypes "github.com/cosmos/cosmos-sdk/server/types"

	"github.com/infrafi/infrafi/x/metrics"
)

// The node serves one default Prometheus registry (CometBFT's /metrics and
// the API's /metrics?format=prometheus both gather it), so the protocol
// gauges are registered there once per process.
var (
	registerMetricsOnce sync.Once
	registerMetricsErr  error
)

// newProtocolMetrics returns the collector of the protocol gauges, registered
// on the default registry, when the node exports metrics (telemetry or
// CometBFT's Prometheus on); nil otherwise, and then nothing is read.
func newProtocolMetrics(appOpts servertypes.AppOptions, keepers metrics.Keepers) (*metrics.Collector, error) {
	if !cast.ToBool(appOpts.Get("telemetry.enabled")) && !cast.ToBool(appOpts.Get("instrumentation.prometheus")) {
		return nil, nil
	}
	c := metrics.NewCollector(keepers)
	registered := false
	registerMetricsOnce.Do(func() {
		registerMetricsErr = prometheus.DefaultRegisterer.Register(c)
		registered = true
	})
	if !registered {
		return nil, errors.New("protocol metrics are already registered by another app in this process")
	}
	return c, registerMetricsErr
}
