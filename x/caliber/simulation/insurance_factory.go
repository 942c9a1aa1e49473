package simulation

import (
	"context"

	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

// Insurance life cycle: FundInsurancePool (insurer, uusdai minted by x/stable)
// → RequestPolicy (title owner) → IssuePolicy (insurer) | CancelPolicyRequest
// (owner); WithdrawInsurancePool takes free capacity back.

// MsgFundInsurancePoolFactory moves part of an active insurer's uusdai into its pool.
func MsgFundInsurancePoolFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgFundInsurancePool] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgFundInsurancePool) {
		var funded []simsx.SimAccount
		for _, a := range roleAccounts(ctx, k, testData, reporter, types.RoleInsurer) {
			if usdaiOf(a).IsPositive() {
				funded = append(funded, a)
			}
		}
		if len(funded) == 0 {
			reporter.Skip("no active insurer holds uusdai (x/stable's MsgMint gives it)")
			return nil, nil
		}
		r := testData.Rand()
		insurer := simsx.OneOf(r, funded)
		bal := usdaiOf(insurer)
		lo, hi := math.MaxInt(bal.QuoRaw(4), math.OneInt()), math.MaxInt(bal.MulRaw(3).QuoRaw(4), math.OneInt())
		amount := intIn(r.Rand, lo, hi)
		if !insurer.LiquidBalance().BlockAmount(sdk.NewCoin(types.InsuranceDenom, amount)) {
			reporter.Skip("insurer balance changed")
			return nil, nil
		}
		return []simsx.SimAccount{insurer}, &types.MsgFundInsurancePool{Insurer: insurer.AddressBech32, Amount: amount}
	}
}

// MsgFundInsurancePoolInvalidFactory funds a pool from an account that is no
// active insurer, or an insurer's pool with more uusdai than it holds.
func MsgFundInsurancePoolInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgFundInsurancePool](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgFundInsurancePool, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		insurers := roleAccounts(ctx, k, testData, reporter, types.RoleInsurer)
		if r.Intn(2) == 0 && len(insurers) > 0 {
			insurer := simsx.OneOf(r, insurers)
			amount := usdaiOf(insurer).AddRaw(1 + r.Int63n(1_000_000_000))
			return []simsx.SimAccount{insurer}, &types.MsgFundInsurancePool{Insurer: insurer.AddressBech32, Amount: amount},
				simutil.ExpectError(sdkerrors.ErrInsufficientFunds)
		}
		signer, ok := nonRoleAccount(ctx, k, testData, reporter, types.RoleInsurer)
		if !ok {
			reporter.Skip("every account is an insurer")
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgFundInsurancePool{Insurer: signer.AddressBech32, Amount: math.NewInt(1 + r.Int63n(1_000_000))},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// simPools are the pools of simulated insurers with free capacity.
func simPools(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource) []types.InsurancePool {
	var out []types.InsurancePool
	for _, p := range pools(ctx, k) {
		if testData.HasAccount(p.Insurer) && p.Free().IsPositive() {
			out = append(out, p)
		}
	}
	return out
}

// MsgWithdrawInsurancePoolFactory takes back up to a quarter of a pool's free capacity.
func MsgWithdrawInsurancePoolFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgWithdrawInsurancePool] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawInsurancePool) {
		ps := simPools(ctx, k, testData)
		if len(ps) == 0 {
			reporter.Skip("no pool with free capacity")
			return nil, nil
		}
		r := testData.Rand()
		p := simsx.OneOf(r, ps)
		insurer := testData.GetAccount(reporter, p.Insurer)
		amount := intIn(r.Rand, math.OneInt(), math.MaxInt(p.Free().QuoRaw(4), math.OneInt()))
		return []simsx.SimAccount{insurer}, &types.MsgWithdrawInsurancePool{Insurer: insurer.AddressBech32, Amount: amount}
	}
}

// MsgWithdrawInsurancePoolInvalidFactory withdraws more than a pool's free
// capacity, or from an account without a pool.
func MsgWithdrawInsurancePoolInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgWithdrawInsurancePool](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgWithdrawInsurancePool, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		var simOwned []types.InsurancePool
		for _, p := range pools(ctx, k) {
			if testData.HasAccount(p.Insurer) {
				simOwned = append(simOwned, p)
			}
		}
		if r.Intn(2) == 0 && len(simOwned) > 0 {
			p := simsx.OneOf(r, simOwned)
			insurer := testData.GetAccount(reporter, p.Insurer)
			return []simsx.SimAccount{insurer}, &types.MsgWithdrawInsurancePool{Insurer: insurer.AddressBech32, Amount: p.Free().AddRaw(1 + r.Int63n(1_000_000))},
				simutil.ExpectError(types.ErrInsufficientCapacity)
		}
		signer := testData.AnyAccountN(10, reporter, simsx.SimAccountFilterFn(func(a simsx.SimAccount) bool {
			has, err := k.Pools.Has(ctx, a.Address)
			return err == nil && !has
		}))
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgWithdrawInsurancePool{Insurer: signer.AddressBech32, Amount: math.NewInt(1 + r.Int63n(1_000_000))},
			simutil.ExpectError(types.ErrPoolNotFound)
	})
}

// insurable are the ACTIVE or PLEDGED titles owned by simulated accounts.
func insurable(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource) []types.Title {
	return filterTitles(titlesIn(ctx, k, types.StatusActive, types.StatusPledged), ownedBySim(testData))
}

// insuredValue is the title's valuation, or a nominal value when it has none.
func insuredValue(ctx context.Context, k *keeper.Keeper, t types.Title) math.Int {
	if v, err := k.GetValuation(ctx, t.Id); err == nil && !v.Value.IsNil() && v.Value.IsPositive() {
		return v.Value
	}
	return minUnitValue.MulRaw(int64(t.Units))
}

// MsgRequestPolicyFactory asks an active insurer, preferably one with free
// capacity, for a policy on an insurable title, on terms the pool can cover.
func MsgRequestPolicyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRequestPolicy] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestPolicy) {
		r := testData.Rand()
		titles := insurable(ctx, k, testData)
		if len(titles) == 0 {
			reporter.Skip("no insurable title owned by a simulated account")
			return nil, nil
		}
		insurers := roleAccounts(ctx, k, testData, reporter, types.RoleInsurer)
		if len(insurers) == 0 {
			reporter.Skip("no active insurer")
			return nil, nil
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		insurer := simsx.OneOf(r, insurers)
		free := math.ZeroInt()
		var withCapacity []types.InsurancePool
		for _, p := range simPools(ctx, k, testData) {
			if k.HasRole(ctx, sdk.MustAccAddressFromBech32(p.Insurer), types.RoleInsurer) {
				withCapacity = append(withCapacity, p)
			}
		}
		if len(withCapacity) > 0 && r.Intn(10) != 0 {
			p := simsx.OneOf(r, withCapacity)
			insurer = testData.GetAccount(reporter, p.Insurer)
			free = p.Free()
		}
		t := simsx.OneOf(r, titles)
		owner := testData.GetAccount(reporter, t.Owner)
		insured := insuredValue(ctx, k, t)
		coverage := fraction(r, insured, 50, 100)
		if free.IsPositive() {
			coverage = math.MinInt(coverage, free)
		}
		coverage = math.MaxInt(coverage, math.OneInt())
		now := blockTime(ctx)
		return []simsx.SimAccount{owner}, &types.MsgRequestPolicy{
			Owner:        owner.AddressBech32,
			TitleId:      t.Id,
			Insurer:      insurer.AddressBech32,
			InsuredValue: insured,
			Coverage:     coverage,
			ExpiresAt:    now.Add(durationIn(r.Rand, params.MaxPolicyDuration/4, params.MaxPolicyDuration)),
			MaxPremium:   fraction(r, coverage, 1, 3),
		}
	}
}

// MsgRequestPolicyInvalidFactory asks for a policy on another owner's title,
// from an account that is no insurer, or beyond params.max_policy_duration.
func MsgRequestPolicyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgRequestPolicy](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestPolicy, simsx.SimDeliveryResultHandler) {
		signers, msg := MsgRequestPolicyFactory(k)(ctx, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			signer, ok := otherAccount(testData, reporter, msg.Owner)
			if !ok {
				return nil, nil, nil
			}
			msg.Owner = signer.AddressBech32
			return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		case 1:
			notInsurer, ok := nonRoleAccount(ctx, k, testData, reporter, types.RoleInsurer)
			if !ok {
				reporter.Skip("every account is an insurer")
				return nil, nil, nil
			}
			msg.Insurer = notInsurer.AddressBech32
			return signers, msg, simutil.ExpectError(types.ErrInvalidPolicy)
		default:
			params, err := k.Params.Get(ctx)
			if err != nil {
				reporter.Skip(err.Error())
				return nil, nil, nil
			}
			msg.ExpiresAt = blockTime(ctx).Add(params.MaxPolicyDuration + durationIn(r.Rand, 60e9, 30*24*3600e9))
			return signers, msg, simutil.ExpectError(types.ErrInvalidExpiry)
		}
	})
}

// MsgCancelPolicyRequestFactory withdraws a pending request, signed by its owner.
func MsgCancelPolicyRequestFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgCancelPolicyRequest] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelPolicyRequest) {
		var reqs []types.PolicyRequest
		for _, req := range policyRequests(ctx, k) {
			if testData.HasAccount(req.Owner) {
				reqs = append(reqs, req)
			}
		}
		if len(reqs) == 0 {
			reporter.Skip("no pending policy request")
			return nil, nil
		}
		req := simsx.OneOf(testData.Rand(), reqs)
		owner := testData.GetAccount(reporter, req.Owner)
		return []simsx.SimAccount{owner}, &types.MsgCancelPolicyRequest{Owner: owner.AddressBech32, RequestId: req.Id}
	}
}

// MsgCancelPolicyRequestInvalidFactory cancels an unknown request, or another owner's request.
func MsgCancelPolicyRequestInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgCancelPolicyRequest](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelPolicyRequest, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if reqs := policyRequests(ctx, k); len(reqs) > 0 && r.Intn(2) == 0 {
			req := simsx.OneOf(r, reqs)
			signer, ok := otherAccount(testData, reporter, req.Owner)
			if !ok {
				return nil, nil, nil
			}
			return []simsx.SimAccount{signer}, &types.MsgCancelPolicyRequest{Owner: signer.AddressBech32, RequestId: req.Id},
				simutil.ExpectError(sdkerrors.ErrUnauthorized)
		}
		signer := testData.AnyAccount(reporter)
		return []simsx.SimAccount{signer}, &types.MsgCancelPolicyRequest{Owner: signer.AddressBech32, RequestId: unknownRequestID(ctx, k)},
			simutil.ExpectError(types.ErrRequestNotFound)
	})
}

// unknownRequestID is a policy request id no request has.
func unknownRequestID(ctx context.Context, k *keeper.Keeper) uint64 {
	next, err := k.NextPolicyRequestID.Peek(ctx)
	if err != nil {
		next = 1
	}
	return next + 1_000_000
}

// issuable returns the requests the requested insurer can accept now: a
// simulated active insurer, an insurable title, an unexpired term and enough
// free capacity (counting a replaced policy of the same pool).
func issuable(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource) []types.PolicyRequest {
	now := blockTime(ctx)
	var out []types.PolicyRequest
	for _, req := range policyRequests(ctx, k) {
		insurer := sdk.MustAccAddressFromBech32(req.Insurer)
		if !testData.HasAccount(req.Insurer) || !testData.HasAccount(req.Owner) || !k.HasRole(ctx, insurer, types.RoleInsurer) || !req.ExpiresAt.After(now) {
			continue
		}
		t, err := k.GetTitle(ctx, req.TitleId)
		if err != nil || (t.Status != types.StatusActive && t.Status != types.StatusPledged) {
			continue
		}
		pool, err := k.GetPool(ctx, insurer)
		if err != nil {
			continue
		}
		free := pool.Free()
		if old, err := k.Policies.Get(ctx, t.Id); err == nil && old.Insurer == pool.Insurer {
			free = free.Add(old.Coverage)
		}
		if req.Coverage.LTE(free) {
			out = append(out, req)
		}
	}
	return out
}

// MsgIssuePolicyFactory accepts an issuable request for a premium the title
// owner can pay (zero when it holds no uusdai).
func MsgIssuePolicyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgIssuePolicy] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgIssuePolicy) {
		reqs := issuable(ctx, k, testData)
		if len(reqs) == 0 {
			reporter.Skip("no policy request the insurer can accept")
			return nil, nil
		}
		r := testData.Rand()
		req := simsx.OneOf(r, reqs)
		insurer := testData.GetAccount(reporter, req.Insurer)
		premium := math.ZeroInt()
		if req.Owner != req.Insurer {
			owner := testData.GetAccount(reporter, req.Owner)
			if most := math.MinInt(req.MaxPremium, usdaiOf(owner)); most.IsPositive() {
				premium = intIn(r.Rand, math.ZeroInt(), most)
			}
		}
		return []simsx.SimAccount{insurer}, &types.MsgIssuePolicy{Insurer: insurer.AddressBech32, RequestId: req.Id, Premium: premium}
	}
}

// MsgIssuePolicyInvalidFactory accepts an unknown request, another insurer's
// request, or asks a premium above the owner's max_premium.
func MsgIssuePolicyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgIssuePolicy](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgIssuePolicy, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		reqs := policyRequests(ctx, k)
		if len(reqs) > 0 && r.Intn(3) != 0 {
			req := simsx.OneOf(r, reqs)
			insurer := sdk.MustAccAddressFromBech32(req.Insurer)
			if r.Intn(2) == 0 && testData.HasAccount(req.Insurer) && k.HasRole(ctx, insurer, types.RoleInsurer) {
				signer := testData.GetAccount(reporter, req.Insurer)
				return []simsx.SimAccount{signer}, &types.MsgIssuePolicy{Insurer: signer.AddressBech32, RequestId: req.Id, Premium: req.MaxPremium.AddRaw(1 + r.Int63n(1_000_000))},
					simutil.ExpectError(types.ErrPremiumTooHigh)
			}
			signer, ok := otherAccount(testData, reporter, req.Insurer)
			if !ok {
				return nil, nil, nil
			}
			return []simsx.SimAccount{signer}, &types.MsgIssuePolicy{Insurer: signer.AddressBech32, RequestId: req.Id, Premium: math.ZeroInt()},
				simutil.ExpectError(sdkerrors.ErrUnauthorized)
		}
		signer := testData.AnyAccount(reporter)
		return []simsx.SimAccount{signer}, &types.MsgIssuePolicy{Insurer: signer.AddressBech32, RequestId: unknownRequestID(ctx, k), Premium: math.ZeroInt()},
			simutil.ExpectError(types.ErrRequestNotFound)
	})
}
