package keeper

import (
	"context"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
)

// InitGenesis validates gs, writes it and rebuilds every secondary index: the
// title indexes (by the IndexedMap), parties by role, serials of live titles,
// the custody expiry queue (fresh records), the policy expiry queue and the
// request-by-title map. It also checks that the module account holds exactly
// the sum of the pool balances in uusdai (bank's genesis runs first).
func (k Keeper) InitGenesis(ctx context.Context, gs *types.GenesisState) error {
	if err := gs.Validate(); err != nil {
		return err
	}
	if err := k.Params.Set(ctx, gs.Params); err != nil {
		return err
	}
	for _, p := range gs.Parties {
		addr := sdk.MustAccAddressFromBech32(p.Address)
		p.Address = addr.String()
		if err := k.setParty(ctx, addr, p); err != nil {
			return err
		}
	}
	for _, c := range gs.AssetClasses {
		if err := k.AssetClasses.Set(ctx, c.Id, c); err != nil {
			return err
		}
	}
	for _, t := range gs.Titles {
		if err := k.Titles.Set(ctx, t.Id, t); err != nil {
			return err
		}
		if !types.IsLive(t.Status) {
			continue
		}
		for _, s := range t.Serials {
			if err := k.Serials.Set(ctx, s, t.Id); err != nil {
				return err
			}
		}
	}
	if err := k.NextTitleID.Set(ctx, gs.NextTitleId); err != nil {
		return err
	}
	for _, c := range gs.Custody {
		if err := k.Custody.Set(ctx, c.TitleId, c); err != nil {
			return err
		}
		if !c.Stale {
			if err := k.CustodyExpiry.Set(ctx, collections.Join(c.ExpiresAt, c.TitleId)); err != nil {
				return err
			}
		}
	}
	for _, a := range gs.Appraisals {
		a.Appraiser = sdk.MustAccAddressFromBech32(a.Appraiser).String() // canonical text: the record's order
		if err := k.setAppraisal(ctx, a); err != nil {
			return err
		}
	}
	total, reserved := math.ZeroInt(), math.ZeroInt()
	for _, p := range gs.Pools {
		if err := k.Pools.Set(ctx, sdk.MustAccAddressFromBech32(p.Insurer), p); err != nil {
			return err
		}
		total = total.Add(p.Balance)
		reserved = reserved.Add(p.Reserved)
	}
	if err := k.InsuranceReserved.Set(ctx, reserved); err != nil {
		return err
	}
	if held := k.bank.GetBalance(ctx, k.account.GetModuleAddress(types.ModuleName), types.InsuranceDenom).Amount; !held.Equal(total) {
		return errorsmod.Wrapf(types.ErrInvalidGenesis, "module account holds %s%s, pools hold %s", held, types.InsuranceDenom, total)
	}
	for _, p := range gs.Policies {
		if err := k.Policies.Set(ctx, p.TitleId, p); err != nil {
			return err
		}
		if err := k.PolicyExpiry.Set(ctx, collections.Join(p.ExpiresAt, p.TitleId)); err != nil {
			return err
		}
	}
	for _, r := range gs.PolicyRequests {
		if err := k.PolicyRequests.Set(ctx, r.Id, r); err != nil {
			return err
		}
		if err := k.PolicyRequestByTitle.Set(ctx, r.TitleId, r.Id); err != nil {
			return err
		}
	}
	return k.NextPolicyRequestID.Set(ctx, gs.NextPolicyRequestId)
}

// ExportGenesis returns the module state, each collection in key order.
// Secondary indexes are not exported: InitGenesis rebuilds them.
func (k Keeper) ExportGenesis(ctx context.Context) (*types.GenesisState, error) {
	params, err := k.Params.Get(ctx)
	if err != nil {
		return nil, err
	}
	gs := types.DefaultGenesis()
	gs.Params = params
	if gs.Parties, err = values(ctx, k.Parties); err != nil {
		return nil, err
	}
	if gs.AssetClasses, err = values(ctx, k.AssetClasses); err != nil {
		return nil, err
	}
	err = k.Titles.Walk(ctx, nil, func(_ uint64, t types.Title) (bool, error) {
		gs.Titles = append(gs.Titles, t)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if gs.NextTitleId, err = k.NextTitleID.Peek(ctx); err != nil {
		return nil, err
	}
	if gs.Custody, err = values(ctx, k.Custody); err != nil {
		return nil, err
	}
	// Ordered by title, then appraiser address text, as the record holds them.
	gs.Appraisals = []types.Appraisal{}
	err = k.Appraisals.Walk(ctx, nil, func(_ uint64, rec types.TitleAppraisals) (bool, error) {
		gs.Appraisals = append(gs.Appraisals, rec.Appraisals...)
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	if gs.Pools, err = values(ctx, k.Pools); err != nil {
		return nil, err
	}
	if gs.Policies, err = values(ctx, k.Policies); err != nil {
		return nil, err
	}
	if gs.PolicyRequests, err = values(ctx, k.PolicyRequests); err != nil {
		return nil, err
	}
	if gs.NextPolicyRequestId, err = k.NextPolicyRequestID.Peek(ctx); err != nil {
		return nil, err
	}
	return gs, nil
}

// values returns every value of a map in key order (never nil).
func values[K, V any](ctx context.Context, m collections.Map[K, V]) ([]V, error) {
	out := []V{}
	err := m.Walk(ctx, nil, func(_ K, v V) (bool, error) {
		out = append(out, v)
		return false, nil
	})
	return out, err
}
