package keeper

import (
	"context"
	"errors"
	"time"

	"cosmossdk.io/collections"
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// Claim kinds (EventClaimPaid.kind).
const (
	ClaimKindValue    = "value"
	ClaimKindCasualty = "casualty"
)

func usdai(amount math.Int) sdk.Coins {
	return sdk.NewCoins(sdk.NewCoin(types.InsuranceDenom, amount))
}

// GetPool returns an insurer's pool, or ErrPoolNotFound.
func (k Keeper) GetPool(ctx context.Context, insurer sdk.AccAddress) (types.InsurancePool, error) {
	p, err := k.Pools.Get(ctx, insurer)
	if errors.Is(err, collections.ErrNotFound) {
		return types.InsurancePool{}, errorsmod.Wrapf(types.ErrPoolNotFound, "insurer %s", insurer)
	}
	return p, err
}

// TotalReserved is the coverage reserved over all pools (zero when none).
func (k Keeper) TotalReserved(ctx context.Context) (math.Int, error) {
	v, err := k.InsuranceReserved.Get(ctx)
	if errors.Is(err, collections.ErrNotFound) {
		return math.ZeroInt(), nil
	}
	return v, err
}

// MigrateReservedTotal (state version 1 to 2) computes the total reserved
// coverage from the pools, once: the number of pools is the number of insurers.
func (k Keeper) MigrateReservedTotal(ctx sdk.Context) error {
	reserved := math.ZeroInt()
	if err := k.Pools.Walk(ctx, nil, func(_ sdk.AccAddress, p types.InsurancePool) (bool, error) {
		reserved = reserved.Add(p.Reserved)
		return false, nil
	}); err != nil {
		return err
	}
	return k.InsuranceReserved.Set(ctx, reserved)
}

// addReserved adds delta (negative on release) to the total reserved coverage.
func (k Keeper) addReserved(ctx context.Context, delta math.Int) error {
	v, err := k.TotalReserved(ctx)
	if err != nil {
		return err
	}
	v = v.Add(delta)
	if v.IsNegative() {
		return errorsmod.Wrapf(types.ErrInsufficientCapacity, "total reserved coverage would fall to %s", v)
	}
	return k.InsuranceReserved.Set(ctx, v)
}

// TotalPoolBalance is the USDai of all pools: the module account holds
// exactly the pools' balances (checked at genesis and by the invariant).
func (k Keeper) TotalPoolBalance(ctx context.Context) math.Int {
	return k.bank.GetBalance(ctx, k.account.GetModuleAddress(types.ModuleName), types.InsuranceDenom).Amount
}

// FundPool moves amount uusdai from an active INSURER into its pool (created on first funding).
func (k Keeper) FundPool(ctx context.Context, insurer sdk.AccAddress, amount math.Int) (types.InsurancePool, error) {
	if err := types.ValidateAmount("amount", amount, false); err != nil {
		return types.InsurancePool{}, err
	}
	if err := k.requireRole(ctx, insurer, types.RoleInsurer); err != nil {
		return types.InsurancePool{}, err
	}
	pool, err := k.GetPool(ctx, insurer)
	switch {
	case errors.Is(err, types.ErrPoolNotFound):
		pool = types.InsurancePool{Insurer: insurer.String(), Balance: math.ZeroInt(), Reserved: math.ZeroInt()}
	case err != nil:
		return types.InsurancePool{}, err
	}
	if have := k.bank.SpendableCoin(ctx, insurer, types.InsuranceDenom).Amount; have.LT(amount) {
		return types.InsurancePool{}, errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds, "insurer %s has %s%s, funding needs %s%s",
			insurer, have, types.InsuranceDenom, amount, types.InsuranceDenom)
	}
	if err := k.modules.FromAccount(ctx, insurer, types.ModuleName, usdai(amount)); err != nil {
		return types.InsurancePool{}, err
	}
	pool.Balance = pool.Balance.Add(amount)
	if err := k.Pools.Set(ctx, insurer, pool); err != nil {
		return types.InsurancePool{}, err
	}
	return pool, keeperutil.Emit(ctx, &types.EventPoolFunded{Insurer: pool.Insurer, Amount: amount, Pool: pool})
}

// WithdrawPool returns up to the pool's free capacity (balance − reserved) to
// the insurer. It needs no active role: an insurer removed from the registry
// can still take back what no policy reserves.
func (k Keeper) WithdrawPool(ctx context.Context, insurer sdk.AccAddress, amount math.Int) (types.InsurancePool, error) {
	if err := types.ValidateAmount("amount", amount, false); err != nil {
		return types.InsurancePool{}, err
	}
	pool, err := k.GetPool(ctx, insurer)
	if err != nil {
		return types.InsurancePool{}, err
	}
	if free := pool.Free(); amount.GT(free) {
		return types.InsurancePool{}, errorsmod.Wrapf(types.ErrInsufficientCapacity,
			"withdrawing %s but pool of %s has %s free (balance %s, reserved %s)", amount, insurer, free, pool.Balance, pool.Reserved)
	}
	if err := k.bank.SendCoinsFromModuleToAccount(ctx, types.ModuleName, insurer, usdai(amount)); err != nil {
		return types.InsurancePool{}, err
	}
	pool.Balance = pool.Balance.Sub(amount)
	if err := k.Pools.Set(ctx, insurer, pool); err != nil {
		return types.InsurancePool{}, err
	}
	return pool, keeperutil.Emit(ctx, &types.EventPoolWithdrawn{Insurer: pool.Insurer, Amount: amount, Pool: pool})
}

// requireInsurable checks that the title can take a policy: ACTIVE or PLEDGED.
func requireInsurable(t types.Title) error {
	return requireStatus(t, "insure", types.StatusActive, types.StatusPledged)
}

// RequestPolicy records the title owner's request for a policy on the given
// terms from an active INSURER. It replaces the title's earlier request.
func (k Keeper) RequestPolicy(ctx context.Context, msg *types.MsgRequestPolicy) (types.PolicyRequest, uint64, error) {
	if err := msg.ValidateBasic(); err != nil {
		return types.PolicyRequest{}, 0, err
	}
	owner := sdk.MustAccAddressFromBech32(msg.Owner)
	t, err := k.GetTitle(ctx, msg.TitleId)
	if err != nil {
		return types.PolicyRequest{}, 0, err
	}
	if err := requireOwner(t, owner); err != nil {
		return types.PolicyRequest{}, 0, err
	}
	if err := requireInsurable(t); err != nil {
		return types.PolicyRequest{}, 0, err
	}
	insurer := sdk.MustAccAddressFromBech32(msg.Insurer)
	if !k.HasRole(ctx, insurer, types.RoleInsurer) {
		return types.PolicyRequest{}, 0, errorsmod.Wrapf(types.ErrInvalidPolicy, "%s is not an active INSURER party", insurer)
	}
	params, err := k.Params.Get(ctx)
	if err != nil {
		return types.PolicyRequest{}, 0, err
	}
	now := blockTime(ctx)
	expiresAt := msg.ExpiresAt.UTC()
	if err := checkPolicyExpiry(expiresAt, now, params.MaxPolicyDuration); err != nil {
		return types.PolicyRequest{}, 0, err
	}

	replaced, err := k.PolicyRequestByTitle.Get(ctx, t.Id)
	switch {
	case err == nil:
		if err := k.removePolicyRequest(ctx, replaced, t.Id); err != nil {
			return types.PolicyRequest{}, 0, err
		}
	case errors.Is(err, collections.ErrNotFound):
		replaced = 0
	default:
		return types.PolicyRequest{}, 0, err
	}
	id, err := k.NextPolicyRequestID.Next(ctx)
	if err != nil {
		return types.PolicyRequest{}, 0, err
	}
	req := types.PolicyRequest{
		Id:           id,
		TitleId:      t.Id,
		Owner:        owner.String(),
		Insurer:      insurer.String(),
		InsuredValue: msg.InsuredValue,
		Coverage:     msg.Coverage,
		ExpiresAt:    expiresAt,
		MaxPremium:   msg.MaxPremium,
		CreatedAt:    now,
	}
	if err := k.PolicyRequests.Set(ctx, id, req); err != nil {
		return types.PolicyRequest{}, 0, err
	}
	if err := k.PolicyRequestByTitle.Set(ctx, t.Id, id); err != nil {
		return types.PolicyRequest{}, 0, err
	}
	return req, replaced, keeperutil.Emit(ctx, &types.EventPolicyRequested{Request: req, ReplacedRequestId: replaced})
}

func checkPolicyExpiry(expiresAt, now time.Time, maxDuration time.Duration) error {
	if !expiresAt.After(now) {
		return errorsmod.Wrapf(types.ErrInvalidExpiry, "policy expires_at %s is not after block time %s",
			expiresAt.Format(time.RFC3339), now.Format(time.RFC3339))
	}
	if latest := now.Add(maxDuration); expiresAt.After(latest) {
		return errorsmod.Wrapf(types.ErrInvalidExpiry, "policy expires_at %s is after block time + max_policy_duration (%s)",
			expiresAt.Format(time.RFC3339), latest.Format(time.RFC3339))
	}
	return nil
}

// CancelPolicyRequest deletes a pending request; only its owner may.
func (k Keeper) CancelPolicyRequest(ctx context.Context, owner sdk.AccAddress, requestID uint64) error {
	req, err := k.getPolicyRequest(ctx, requestID)
	if err != nil {
		return err
	}
	if req.Owner != owner.String() {
		return errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "request %d was made by %s", requestID, req.Owner)
	}
	if err := k.removePolicyRequest(ctx, req.Id, req.TitleId); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventPolicyRequestRemoved{RequestId: req.Id, TitleId: req.TitleId, Reason: "cancelled"})
}

func (k Keeper) getPolicyRequest(ctx context.Context, requestID uint64) (types.PolicyRequest, error) {
	req, err := k.PolicyRequests.Get(ctx, requestID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.PolicyRequest{}, errorsmod.Wrapf(types.ErrRequestNotFound, "request %d", requestID)
	}
	return req, err
}

func (k Keeper) removePolicyRequest(ctx context.Context, requestID, titleID uint64) error {
	if err := k.PolicyRequests.Remove(ctx, requestID); err != nil {
		return err
	}
	return k.PolicyRequestByTitle.Remove(ctx, titleID)
}

// dropPolicyRequest removes the title's pending request, if any, with an event.
func (k Keeper) dropPolicyRequest(ctx context.Context, titleID uint64, reason string) error {
	id, err := k.PolicyRequestByTitle.Get(ctx, titleID)
	if errors.Is(err, collections.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := k.removePolicyRequest(ctx, id, titleID); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventPolicyRequestRemoved{RequestId: id, TitleId: titleID, Reason: reason})
}

// IssuePolicy is the requested insurer accepting a request for premium <=
// max_premium: the premium moves from the title owner into the insurer's pool,
// and the coverage is reserved from the pool's free capacity. A policy already
// on the title is replaced (a renewal): its coverage is released first, with no
// premium refund. It returns the policy and whether one was replaced.
func (k Keeper) IssuePolicy(ctx context.Context, insurer sdk.AccAddress, requestID uint64, premium math.Int) (types.Policy, bool, error) {
	if err := types.ValidateAmount("premium", premium, true); err != nil {
		return types.Policy{}, false, err
	}
	req, err := k.getPolicyRequest(ctx, requestID)
	if err != nil {
		return types.Policy{}, false, err
	}
	if req.Insurer != insurer.String() {
		return types.Policy{}, false, errorsmod.Wrapf(sdkerrors.ErrUnauthorized, "request %d asks %s, not %s", requestID, req.Insurer, insurer)
	}
	if err := k.requireRole(ctx, insurer, types.RoleInsurer); err != nil {
		return types.Policy{}, false, err
	}
	if premium.GT(req.MaxPremium) {
		return types.Policy{}, false, errorsmod.Wrapf(types.ErrPremiumTooHigh, "premium %s, max_premium %s", premium, req.MaxPremium)
	}
	t, err := k.GetTitle(ctx, req.TitleId)
	if err != nil {
		return types.Policy{}, false, err
	}
	if err := requireInsurable(t); err != nil {
		return types.Policy{}, false, err
	}
	now := blockTime(ctx)
	if !req.ExpiresAt.After(now) {
		return types.Policy{}, false, errorsmod.Wrapf(types.ErrInvalidExpiry, "request %d asks for a policy that expired at %s",
			requestID, req.ExpiresAt.Format(time.RFC3339))
	}
	pool, err := k.GetPool(ctx, insurer)
	if err != nil {
		return types.Policy{}, false, err
	}
	old, err := k.Policies.Get(ctx, t.Id)
	replacing := err == nil
	if err != nil && !errors.Is(err, collections.ErrNotFound) {
		return types.Policy{}, false, err
	}
	free := pool.Free()
	if replacing && old.Insurer == pool.Insurer {
		free = free.Add(old.Coverage)
	}
	if req.Coverage.GT(free) {
		return types.Policy{}, false, errorsmod.Wrapf(types.ErrInsufficientCapacity,
			"coverage %s exceeds the free capacity %s of the pool of %s", req.Coverage, free, insurer)
	}
	owner := sdk.MustAccAddressFromBech32(req.Owner)
	if have := k.bank.SpendableCoin(ctx, owner, types.InsuranceDenom).Amount; have.LT(premium) {
		return types.Policy{}, false, errorsmod.Wrapf(sdkerrors.ErrInsufficientFunds,
			"title owner %s has %s%s, the premium is %s%s", owner, have, types.InsuranceDenom, premium, types.InsuranceDenom)
	}

	if premium.IsPositive() {
		if err := k.modules.FromAccount(ctx, owner, types.ModuleName, usdai(premium)); err != nil {
			return types.Policy{}, false, err
		}
	}
	if replacing {
		if err := k.closePolicy(ctx, old, "replaced"); err != nil {
			return types.Policy{}, false, err
		}
		if pool, err = k.GetPool(ctx, insurer); err != nil {
			return types.Policy{}, false, err
		}
	}
	pool.Balance = pool.Balance.Add(premium)
	pool.Reserved = pool.Reserved.Add(req.Coverage)
	if err := k.Pools.Set(ctx, insurer, pool); err != nil {
		return types.Policy{}, false, err
	}
	if err := k.addReserved(ctx, req.Coverage); err != nil {
		return types.Policy{}, false, err
	}
	policy := types.Policy{
		TitleId:      t.Id,
		Insurer:      pool.Insurer,
		Owner:        req.Owner,
		InsuredValue: req.InsuredValue,
		Coverage:     req.Coverage,
		Premium:      premium,
		StartsAt:     now,
		ExpiresAt:    req.ExpiresAt,
		RequestId:    req.Id,
	}
	if err := k.Policies.Set(ctx, t.Id, policy); err != nil {
		return types.Policy{}, false, err
	}
	if err := k.PolicyExpiry.Set(ctx, collections.Join(policy.ExpiresAt, t.Id)); err != nil {
		return types.Policy{}, false, err
	}
	if err := k.removePolicyRequest(ctx, req.Id, req.TitleId); err != nil {
		return types.Policy{}, false, err
	}
	return policy, replacing, keeperutil.Emit(ctx, &types.EventPolicyIssued{Policy: policy, Replaced: replacing})
}

// closePolicy ends a policy without a claim: its coverage is released from the
// pool, it leaves the expiry queue and is deleted.
func (k Keeper) closePolicy(ctx context.Context, p types.Policy, reason string) error {
	if err := k.releasePolicy(ctx, p, math.ZeroInt()); err != nil {
		return err
	}
	return keeperutil.Emit(ctx, &types.EventPolicyClosed{TitleId: p.TitleId, Insurer: p.Insurer, Released: p.Coverage, Reason: reason})
}

// releasePolicy deletes a policy, releases its coverage and takes paid out of
// the pool's balance.
func (k Keeper) releasePolicy(ctx context.Context, p types.Policy, paid math.Int) error {
	insurer := sdk.MustAccAddressFromBech32(p.Insurer)
	pool, err := k.GetPool(ctx, insurer)
	if err != nil {
		return err
	}
	pool.Reserved = pool.Reserved.Sub(p.Coverage)
	pool.Balance = pool.Balance.Sub(paid)
	if err := pool.Validate(); err != nil {
		return errorsmod.Wrapf(err, "releasing the policy of title %d", p.TitleId)
	}
	if err := k.Pools.Set(ctx, insurer, pool); err != nil {
		return err
	}
	if err := k.addReserved(ctx, p.Coverage.Neg()); err != nil {
		return err
	}
	if err := k.PolicyExpiry.Remove(ctx, collections.Join(p.ExpiresAt, p.TitleId)); err != nil {
		return err
	}
	return k.Policies.Remove(ctx, p.TitleId)
}

// ActivePolicy returns the title's policy while it has not expired at block
// time, else ErrPolicyNotFound.
func (k Keeper) ActivePolicy(ctx context.Context, titleID uint64) (types.Policy, error) {
	p, err := k.Policies.Get(ctx, titleID)
	if errors.Is(err, collections.ErrNotFound) {
		return types.Policy{}, errorsmod.Wrapf(types.ErrPolicyNotFound, "title %d is not insured", titleID)
	}
	if err != nil {
		return types.Policy{}, err
	}
	if !p.ExpiresAt.After(blockTime(ctx)) {
		return types.Policy{}, errorsmod.Wrapf(types.ErrPolicyNotFound, "the policy of title %d expired at %s",
			titleID, p.ExpiresAt.Format(time.RFC3339))
	}
	return p, nil
}

// PayValueClaim pays the value insurance of a FORECLOSING title after its sale
// (x/lending; call before TransferForeclosed): min(coverage, max(0,
// insured_value − salePrice)) uusdai from the insurer's pool to recipientModule.
// The policy closes, its coverage released, even when it pays nothing.
func (k Keeper) PayValueClaim(ctx context.Context, titleID uint64, salePrice math.Int, recipientModule string) (math.Int, error) {
	if salePrice.IsNil() || salePrice.IsNegative() {
		return math.Int{}, errorsmod.Wrap(types.ErrInvalidAmount, "sale price must be non-negative")
	}
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return math.Int{}, err
	}
	if err := requireStatus(t, "pay a value claim on", types.StatusForeclosing); err != nil {
		return math.Int{}, err
	}
	p, err := k.ActivePolicy(ctx, titleID)
	if err != nil {
		return math.Int{}, err
	}
	return k.payClaim(ctx, p, types.ValueClaim(p.InsuredValue, p.Coverage, salePrice), ClaimKindValue, recipientModule)
}

// PayCasualtyClaim pays the full coverage of a CASUALTY title's policy from the
// insurer's pool to recipientModule (x/lending) and closes the policy.
func (k Keeper) PayCasualtyClaim(ctx context.Context, titleID uint64, recipientModule string) (math.Int, error) {
	t, err := k.GetTitle(ctx, titleID)
	if err != nil {
		return math.Int{}, err
	}
	if err := requireStatus(t, "pay a casualty claim on", types.StatusCasualty); err != nil {
		return math.Int{}, err
	}
	p, err := k.ActivePolicy(ctx, titleID)
	if err != nil {
		return math.Int{}, err
	}
	return k.payClaim(ctx, p, p.Coverage, ClaimKindCasualty, recipientModule)
}

func (k Keeper) payClaim(ctx context.Context, p types.Policy, paid math.Int, kind, recipientModule string) (math.Int, error) {
	if recipientModule == "" || recipientModule == types.ModuleName {
		return math.Int{}, errorsmod.Wrapf(types.ErrInvalidRecipient, "claims are paid to another module, got %q", recipientModule)
	}
	if paid.IsPositive() {
		if err := k.modules.FromModule(ctx, types.ModuleName, recipientModule, usdai(paid)); err != nil {
			return math.Int{}, err
		}
	}
	if err := k.releasePolicy(ctx, p, paid); err != nil {
		return math.Int{}, err
	}
	return paid, keeperutil.Emit(ctx, &types.EventClaimPaid{
		TitleId: p.TitleId, Insurer: p.Insurer, Kind: kind, Paid: paid, RecipientModule: recipientModule,
	})
}

// expirePolicies closes up to params.max_policy_expiries_per_block policies
// whose expires_at <= block time, oldest first, each in its own cache context
// (an error is logged and that policy is retried next block).
func (k Keeper) expirePolicies(ctx sdk.Context, limit uint32) error {
	due, err := dueKeys(ctx, k.PolicyExpiry, ctx.BlockTime().UTC(), limit)
	if err != nil {
		return err
	}
	for _, key := range due {
		cacheCtx, write := ctx.CacheContext()
		if err := k.expireOne(cacheCtx, key); err != nil {
			k.logger.Error("policy expiry failed; policy skipped", "title_id", key.K2(), "error", err)
			continue
		}
		write()
	}
	return nil
}

func (k Keeper) expireOne(ctx context.Context, key collections.Pair[time.Time, uint64]) error {
	p, err := k.Policies.Get(ctx, key.K2())
	if errors.Is(err, collections.ErrNotFound) || (err == nil && !p.ExpiresAt.Equal(key.K1())) {
		// An orphan queue entry: drop it.
		return k.PolicyExpiry.Remove(ctx, key)
	}
	if err != nil {
		return err
	}
	return k.closePolicy(ctx, p, "expired")
}
