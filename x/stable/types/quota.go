package types

import (
	"strings"

	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

// ValidateChannelID checks an IBC v1 channel identifier ("channel-<n>"), as
// the quota keys and queries take them.
func ValidateChannelID(channel string) error {
	n, ok := strings.CutPrefix(channel, "channel-")
	if !ok || n == "" || len(n) > 20 || strings.Trim(n, "0123456789") != "" {
		return errorsmod.Wrapf(ErrInvalidChannel, "%q is not channel-<n>", channel)
	}
	return nil
}

// MaxOutflowQuotas bounds params.outflow_quotas (one per native denom that travels).
const MaxOutflowQuotas = 4

// Validate checks one quota: a native denom, a positive window and at least
// one positive cap.
func (q OutflowQuota) Validate() error {
	if err := sdk.ValidateDenom(q.Denom); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota denom %q: %s", q.Denom, err)
	}
	if strings.HasPrefix(q.Denom, "ibc/") {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota denom %s: quotas apply to native denoms only", q.Denom)
	}
	if q.WindowSeconds == 0 {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota %s: window_seconds must be positive", q.Denom)
	}
	if q.MaxSupplyBps > BpsDenominator {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota %s: max_supply_bps %d above %d", q.Denom, q.MaxSupplyBps, BpsDenominator)
	}
	if q.MaxAmount.IsNil() || q.MaxAmount.IsNegative() {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota %s: max_amount must be set and not negative", q.Denom)
	}
	if q.MaxSupplyBps == 0 && q.MaxAmount.IsZero() {
		return errorsmod.Wrapf(ErrInvalidParams, "outflow quota %s: set max_supply_bps or max_amount", q.Denom)
	}
	return nil
}

// Limit is the most that may be out (net) over the window at this supply:
// the tighter of the absolute cap and the share of supply, each when positive.
func (q OutflowQuota) Limit(supply math.Int) math.Int {
	limit := math.Int{}
	if q.MaxAmount.IsPositive() {
		limit = q.MaxAmount
	}
	if q.MaxSupplyBps > 0 {
		share := supply.MulRaw(int64(q.MaxSupplyBps)).QuoRaw(BpsDenominator)
		if limit.IsNil() || share.LT(limit) {
			limit = share
		}
	}
	return limit
}

// OutflowQuota returns the quota of denom, if any.
func (p Params) OutflowQuota(denom string) (OutflowQuota, bool) {
	for _, q := range p.OutflowQuotas {
		if q.Denom == denom {
			return q, true
		}
	}
	return OutflowQuota{}, false
}

// NewOutflowWindow is an empty window starting at the window boundary at or
// before now.
func NewOutflowWindow(now int64, windowSeconds uint64) OutflowWindow {
	w := int64(windowSeconds)
	start := now
	if w > 0 && now >= 0 {
		start = now - now%w
	}
	return OutflowWindow{Start: start, Current: math.ZeroInt(), Previous: math.ZeroInt()}
}

// Roll moves the window forward to now: one window later the current count
// becomes the previous one; two or more windows later both are gone.
func (w OutflowWindow) Roll(now int64, windowSeconds uint64) OutflowWindow {
	length := int64(windowSeconds)
	switch {
	case now < w.Start+length:
		return w
	case now < w.Start+2*length:
		return OutflowWindow{Start: w.Start + length, Current: math.ZeroInt(), Previous: w.Current}
	default:
		return NewOutflowWindow(now, windowSeconds)
	}
}

// Used is the rolling net outflow at now (the window already rolled to now):
// previous × (share of the previous window still inside the rolling window,
// rounded up) + current, never below zero.
func (w OutflowWindow) Used(now int64, windowSeconds uint64) math.Int {
	length := int64(windowSeconds)
	elapsed := now - w.Start
	if elapsed < 0 {
		elapsed = 0
	}
	used := w.Current
	if remaining := length - elapsed; remaining > 0 && w.Previous.IsPositive() {
		weighted := w.Previous.MulRaw(remaining).AddRaw(length - 1).QuoRaw(length)
		used = used.Add(weighted)
	}
	if used.IsNegative() {
		return math.ZeroInt()
	}
	return used
}
