package backtest

import (
	"fmt"

	"github.com/infrafi/infrafi/backtest/report"
)

// Preset is the localnet's gpu-senior product and H100 class as shipped
// before the backtest (max LTV 70%, 20%/year, 10% first loss, 50% insured,
// the middle of its 12–18% APR range).
func Preset() report.Params {
	return report.Params{Name: "preset", MaxLTV: 0.70, DepreciationPerYear: 0.20, FirstLoss: 0.10, MinInsurance: 0.50, APR: 0.15}
}

// USDAI is USD.AI's published terms: LTV 70–80% (75%), GPUs assumed to
// lose 15–20% a year (17.5%), loan APR 12%+ (12%). Its first-loss and
// insurance terms are not published: the preset's are used.
func USDAI() report.Params {
	return report.Params{Name: "usdai", MaxLTV: 0.75, DepreciationPerYear: 0.175, FirstLoss: 0.10, MinInsurance: 0.50, APR: 0.12}
}

// Sweep grid (README "Backtest"): max LTV × depreciation × loan APR at the
// preset's first loss and insurance, then first loss × insurance minimum at
// the preset's LTV, depreciation and APR.
var (
	SweepLTV          = []float64{0.50, 0.60, 0.70, 0.80}
	SweepDepreciation = []float64{0.15, 0.25, 0.40}
	SweepAPR          = []float64{0.12, 0.18, 0.25}
	SweepFirstLoss    = []float64{0.05, 0.20}
	SweepInsurance    = []float64{0, 0.25, 0.75}
)

// SweepPoints lists the sweep's parameter sets, named "s01", "s02", ...
func SweepPoints() []report.Params {
	var out []report.Params
	base := Preset()
	for _, ltv := range SweepLTV {
		for _, dep := range SweepDepreciation {
			for _, apr := range SweepAPR {
				p := base
				p.MaxLTV, p.DepreciationPerYear, p.APR = ltv, dep, apr
				out = append(out, p)
			}
		}
	}
	for _, fl := range SweepFirstLoss {
		for _, ins := range SweepInsurance {
			p := base
			p.FirstLoss, p.MinInsurance = fl, ins
			out = append(out, p)
		}
	}
	for i := range out {
		out[i].Name = fmt.Sprintf("s%02d", i+1)
	}
	return out
}
