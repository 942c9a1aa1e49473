package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
)

// DefaultGenesis returns an empty vault with default params. The epoch and
// the treasury clocks start at the first block.
func DefaultGenesis() *GenesisState {
	return &GenesisState{
		Params:      DefaultParams(),
		Vault:       NewVaultState(),
		Book:        NewSeniorBook(),
		Treasury:    NewTreasuryState(),
		Epoch:       EpochInfo{},
		Round:       NewServingRound(),
		Requests:    []RedeemRequest{},
		Checkpoints: []Checkpoint{},
		Committed:   math.ZeroInt(),
	}
}

// Validate checks the genesis state: params and every record valid; request
// ids unique and below next_request_id; the queued shares sum to the
// escrowed shares; checkpoints in strictly increasing time; committed (unset
// reads as zero) within [0, MaxAssets]. The bank
// balances are checked against the vault by InitGenesis.
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if err := gs.Vault.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	if err := gs.Book.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	if err := gs.Treasury.Validate(); err != nil {
		return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
	}
	if gs.Epoch.End.Before(gs.Epoch.Start) {
		return errorsmod.Wrap(ErrInvalidGenesis, "epoch ends before it starts")
	}
	if gs.Round.Paid.IsNil() || gs.Round.SharesBurned.IsNil() || gs.Round.Paid.IsNegative() || gs.Round.SharesBurned.IsNegative() {
		return errorsmod.Wrap(ErrInvalidGenesis, "serving round totals must be set and not negative")
	}
	if gs.Round.CutoffId > gs.Vault.NextRequestId {
		return errorsmod.Wrap(ErrInvalidGenesis, "serving round cutoff is beyond next_request_id")
	}

	// An unset committed (a genesis from before commitments) means zero.
	if !gs.Committed.IsNil() {
		if err := CheckAmount("committed", gs.Committed, MaxAssets); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
	}

	seen := make(map[uint64]bool, len(gs.Requests))
	queued := math.ZeroInt()
	for _, r := range gs.Requests {
		if err := r.Validate(); err != nil {
			return errorsmod.Wrap(ErrInvalidGenesis, err.Error())
		}
		if seen[r.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate request %d", r.Id)
		}
		if r.Id >= gs.Vault.NextRequestId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "request %d is not below next_request_id %d", r.Id, gs.Vault.NextRequestId)
		}
		seen[r.Id] = true
		queued = queued.Add(r.Shares)
	}
	if !queued.Equal(gs.Vault.EscrowedShares) {
		return errorsmod.Wrapf(ErrInvalidGenesis, "queued shares %s differ from escrowed shares %s", queued, gs.Vault.EscrowedShares)
	}

	for i, c := range gs.Checkpoints {
		if i > 0 && !c.Time.After(gs.Checkpoints[i-1].Time) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "checkpoint %d is not after the previous one", i)
		}
		if checkTime("checkpoint time", c.Time) != nil || c.Nav.IsNil() || c.ConservativeNav.IsNil() || c.TotalShares.IsNil() ||
			c.Nav.IsNegative() || c.ConservativeNav.IsNegative() || c.TotalShares.IsNegative() ||
			c.SharePrice.IsNil() || !c.SharePrice.IsPositive() {
			return errorsmod.Wrapf(ErrInvalidGenesis, "checkpoint %d is malformed", i)
		}
	}
	return nil
}
