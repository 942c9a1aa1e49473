package types

import (
	"time"

	errorsmod "cosmossdk.io/errors"

	sdk "github.com/cosmos/cosmos-sdk/types"

	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
)

const (
	// DefaultEpochLength is a monthly redemption window.
	DefaultEpochLength = 30 * 24 * time.Hour
	// DefaultCancelCutoff freezes the queue a day before the close, so the
	// liquidity to prepare is known.
	DefaultCancelCutoff = 24 * time.Hour
	// DefaultMaxRedemptionsPerBlock bounds the EndBlock serving work.
	DefaultMaxRedemptionsPerBlock = 50
	// DefaultProtocolBidShareBps sends 10% of every bid to the protocol.
	DefaultProtocolBidShareBps = 1_000
	// DefaultAdminFeeBps is 1% of realized interest and yield (as USD.AI).
	DefaultAdminFeeBps = 100
	// DefaultLiquidityBufferBps keeps 5% of NAV idle.
	DefaultLiquidityBufferBps = 500
	// DefaultRebalanceInterval rebalances with the treasury once a day.
	DefaultRebalanceInterval = 24 * time.Hour
	// DefaultTreasuryRateFeed is the oracle's T-bill APR feed.
	DefaultTreasuryRateFeed = "rate/tbill"
	// DefaultCheckpointInterval records one share price a day.
	DefaultCheckpointInterval = 24 * time.Hour
	// DefaultMaxCheckpoints keeps a little more than a year of daily prices.
	DefaultMaxCheckpoints = 400

	// MaxRedemptionsPerBlockLimit is the largest max_redemptions_per_block.
	MaxRedemptionsPerBlockLimit = 1_000
	// MaxCheckpointsLimit is the largest max_checkpoints.
	MaxCheckpointsLimit = 100_000
	// MaxDurationParam bounds every duration parameter (10 years).
	MaxDurationParam = 10 * 365 * 24 * time.Hour
)

// DefaultParams returns the default module parameters. The treasury is off
// until governance names a custodian and a reserve denom.
func DefaultParams() Params {
	return Params{
		EpochLength:            DefaultEpochLength,
		CancelCutoff:           DefaultCancelCutoff,
		MaxRedemptionsPerBlock: DefaultMaxRedemptionsPerBlock,
		ProtocolBidShareBps:    DefaultProtocolBidShareBps,
		AdminFeeBps:            DefaultAdminFeeBps,
		LiquidityBufferBps:     DefaultLiquidityBufferBps,
		RebalanceInterval:      DefaultRebalanceInterval,
		TreasuryRateFeed:       DefaultTreasuryRateFeed,
		CheckpointInterval:     DefaultCheckpointInterval,
		MaxCheckpoints:         DefaultMaxCheckpoints,
	}
}

// TreasuryEnabled reports whether a treasury custodian is configured.
func (p Params) TreasuryEnabled() bool { return p.TreasuryCustodian != "" }

// Validate checks the parameters on their own; the keeper also refuses to
// change the treasury custodian or reserve while a position is open.
func (p Params) Validate() error {
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"epoch_length", p.EpochLength}, {"rebalance_interval", p.RebalanceInterval},
		{"checkpoint_interval", p.CheckpointInterval},
	} {
		if d.v < time.Second || d.v > MaxDurationParam {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be in [1s, %s], got %s", d.name, MaxDurationParam, d.v)
		}
	}
	if p.CancelCutoff < 0 || p.CancelCutoff >= p.EpochLength {
		return errorsmod.Wrapf(ErrInvalidParams, "cancel_cutoff must be in [0, epoch_length %s), got %s", p.EpochLength, p.CancelCutoff)
	}
	if p.MaxRedemptionsPerBlock == 0 || p.MaxRedemptionsPerBlock > MaxRedemptionsPerBlockLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_redemptions_per_block must be in [1, %d], got %d", MaxRedemptionsPerBlockLimit, p.MaxRedemptionsPerBlock)
	}
	for _, b := range []struct {
		name string
		v    uint32
	}{
		{"protocol_bid_share_bps", p.ProtocolBidShareBps}, {"admin_fee_bps", p.AdminFeeBps},
		{"liquidity_buffer_bps", p.LiquidityBufferBps},
	} {
		if b.v > BpsDenominator {
			return errorsmod.Wrapf(ErrInvalidParams, "%s must be at most %d, got %d", b.name, BpsDenominator, b.v)
		}
	}
	if err := oracletypes.ValidateFeedID(p.TreasuryRateFeed); err != nil {
		return errorsmod.Wrapf(ErrInvalidParams, "treasury_rate_feed: %s", err)
	}
	if p.TreasuryCustodian != "" {
		if _, err := sdk.AccAddressFromBech32(p.TreasuryCustodian); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "treasury_custodian %q: %s", p.TreasuryCustodian, err)
		}
		if p.TreasuryReserveDenom == "" {
			return errorsmod.Wrap(ErrInvalidParams, "treasury_reserve_denom is required with a treasury_custodian")
		}
	}
	if p.TreasuryReserveDenom != "" {
		if err := sdk.ValidateDenom(p.TreasuryReserveDenom); err != nil {
			return errorsmod.Wrapf(ErrInvalidParams, "treasury_reserve_denom: %s", err)
		}
		if p.TreasuryReserveDenom == AssetDenom || p.TreasuryReserveDenom == ShareDenom {
			return errorsmod.Wrapf(ErrInvalidParams, "treasury_reserve_denom cannot be %s", p.TreasuryReserveDenom)
		}
	}
	if p.MaxCheckpoints == 0 || p.MaxCheckpoints > MaxCheckpointsLimit {
		return errorsmod.Wrapf(ErrInvalidParams, "max_checkpoints must be in [1, %d], got %d", MaxCheckpointsLimit, p.MaxCheckpoints)
	}
	return nil
}
