package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
)

func i(n int64) math.Int { return math.NewInt(n) }

func (f *fixture) fund(who sdk.AccAddress, amount int64) {
	f.t.Helper()
	_, err := f.msgs.FundInsurancePool(f.ctx, &types.MsgFundInsurancePool{Insurer: who.String(), Amount: i(amount)})
	require.NoError(f.t, err)
}

func (f *fixture) pool(who sdk.AccAddress) types.InsurancePool {
	f.t.Helper()
	p, err := f.k.GetPool(f.ctx, who)
	require.NoError(f.t, err)
	return p
}

func (f *fixture) requestMsg(id uint64, coverage int64) *types.MsgRequestPolicy {
	insured := int64(200_000)
	if coverage > insured {
		insured = coverage
	}
	return &types.MsgRequestPolicy{
		Owner: owner.String(), TitleId: id, Insurer: insurer.String(), InsuredValue: i(insured),
		Coverage: i(coverage), ExpiresAt: f.ctx.BlockTime().Add(30 * 24 * time.Hour), MaxPremium: i(5_000),
	}
}

// insure requests and issues a policy on id for coverage with premium 1000.
func (f *fixture) insure(id uint64, coverage int64) uint64 {
	f.t.Helper()
	res, err := f.msgs.RequestPolicy(f.ctx, f.requestMsg(id, coverage))
	require.NoError(f.t, err)
	_, err = f.msgs.IssuePolicy(f.ctx, &types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: res.RequestId, Premium: i(1_000)})
	require.NoError(f.t, err)
	return res.RequestId
}

func TestFundAndWithdrawPool(t *testing.T) {
	f := setup(t)
	before := f.state()
	_, err := f.msgs.FundInsurancePool(f.ctx, &types.MsgFundInsurancePool{Insurer: owner.String(), Amount: i(10)})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized, "non-insurer")
	_, err = f.msgs.FundInsurancePool(f.ctx, &types.MsgFundInsurancePool{Insurer: insurer.String(), Amount: i(0)})
	f.requireUnchanged(before, err, types.ErrInvalidAmount)
	_, err = f.msgs.FundInsurancePool(f.ctx, &types.MsgFundInsurancePool{Insurer: insurer.String(), Amount: i(2_000_000_000_000)})
	f.requireUnchanged(before, err, sdkerrors.ErrInsufficientFunds)
	_, err = f.msgs.WithdrawInsurancePool(f.ctx, &types.MsgWithdrawInsurancePool{Insurer: insurer.String(), Amount: i(1)})
	f.requireUnchanged(before, err, types.ErrPoolNotFound)

	f.fund(insurer, 500_000)
	f.fund(insurer, 100_000)
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(600_000), Reserved: i(0)}, f.pool(insurer))
	require.Equal(t, i(600_000), f.bank.get(moduleAddr))
	require.Equal(t, i(1_000_000_000_000-600_000), f.bank.get(insurer))

	id := f.active()
	f.insure(id, 450_000)
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(601_000), Reserved: i(450_000)}, f.pool(insurer))

	before = f.state()
	_, err = f.msgs.WithdrawInsurancePool(f.ctx, &types.MsgWithdrawInsurancePool{Insurer: insurer.String(), Amount: i(151_001)})
	f.requireUnchanged(before, err, types.ErrInsufficientCapacity, "withdrawing reserved capacity")

	_, err = f.msgs.WithdrawInsurancePool(f.ctx, &types.MsgWithdrawInsurancePool{Insurer: insurer.String(), Amount: i(151_000)})
	require.NoError(t, err)
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(450_000), Reserved: i(450_000)}, f.pool(insurer))
	require.Equal(t, i(450_000), f.bank.get(moduleAddr))

	// A deactivated insurer may still withdraw free capacity, not fund.
	_, err = f.k.SetPartyActive(f.ctx, insurer, false)
	require.NoError(t, err)
	f.advance(31 * 24 * time.Hour)
	f.endBlock()
	_, err = f.msgs.WithdrawInsurancePool(f.ctx, &types.MsgWithdrawInsurancePool{Insurer: insurer.String(), Amount: i(450_000)})
	require.NoError(t, err)
	_, err = f.msgs.FundInsurancePool(f.ctx, &types.MsgFundInsurancePool{Insurer: insurer.String(), Amount: i(1)})
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	f.requireInvariants()
}

func TestRequestAndIssuePolicy(t *testing.T) {
	f := setup(t)
	f.fund(insurer, 500_000)
	id := f.active()
	pending := f.mint()
	foreclosing := f.toStatus(types.StatusForeclosing)

	before := f.state()
	for name, tc := range map[string]struct {
		mutate func(m *types.MsgRequestPolicy)
		err    error
	}{
		"non-owner":              {func(m *types.MsgRequestPolicy) { m.Owner = stranger.String() }, sdkerrors.ErrUnauthorized},
		"pending title":          {func(m *types.MsgRequestPolicy) { m.TitleId = pending }, types.ErrInvalidStatus},
		"foreclosing title":      {func(m *types.MsgRequestPolicy) { m.TitleId = foreclosing }, types.ErrInvalidStatus},
		"unknown title":          {func(m *types.MsgRequestPolicy) { m.TitleId = 999 }, types.ErrTitleNotFound},
		"insurer not a party":    {func(m *types.MsgRequestPolicy) { m.Insurer = appraiser1.String() }, types.ErrInvalidPolicy},
		"coverage above insured": {func(m *types.MsgRequestPolicy) { m.InsuredValue = i(99_999) }, types.ErrInvalidPolicy},
		"zero coverage":          {func(m *types.MsgRequestPolicy) { m.Coverage = i(0) }, types.ErrInvalidAmount},
		"negative premium":       {func(m *types.MsgRequestPolicy) { m.MaxPremium = i(-1) }, types.ErrInvalidAmount},
		"expired":                {func(m *types.MsgRequestPolicy) { m.ExpiresAt = f.ctx.BlockTime() }, types.ErrInvalidExpiry},
		"too long":               {func(m *types.MsgRequestPolicy) { m.ExpiresAt = f.ctx.BlockTime().Add(6 * year) }, types.ErrInvalidExpiry},
	} {
		msg := f.requestMsg(id, 100_000)
		tc.mutate(msg)
		_, err := f.msgs.RequestPolicy(f.ctx, msg)
		f.requireUnchanged(before, err, tc.err, name)
	}

	res, err := f.msgs.RequestPolicy(f.ctx, f.requestMsg(id, 600_000-100_000+1))
	require.NoError(t, err)
	tooBig := res.RequestId
	before = f.state()
	for name, tc := range map[string]struct {
		msg *types.MsgIssuePolicy
		err error
	}{
		"coverage above free capacity": {&types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: tooBig, Premium: i(0)}, types.ErrInsufficientCapacity},
		"another insurer":              {&types.MsgIssuePolicy{Insurer: insurer2.String(), RequestId: tooBig, Premium: i(0)}, sdkerrors.ErrUnauthorized},
		"premium above max":            {&types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: tooBig, Premium: i(5_001)}, types.ErrPremiumTooHigh},
		"unknown request":              {&types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: 99, Premium: i(0)}, types.ErrRequestNotFound},
	} {
		_, err := f.msgs.IssuePolicy(f.ctx, tc.msg)
		f.requireUnchanged(before, err, tc.err, name)
	}

	// A new request replaces the title's previous one.
	res, err = f.msgs.RequestPolicy(f.ctx, f.requestMsg(id, 150_000))
	require.NoError(t, err)
	_, err = f.k.PolicyRequests.Get(f.ctx, tooBig)
	require.Error(t, err, "replaced request is gone")

	// The owner lacking funds for the premium is refused clearly.
	f.bank.balances[owner.String()] = i(999)
	before = f.state()
	_, err = f.msgs.IssuePolicy(f.ctx, &types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: res.RequestId, Premium: i(1_000)})
	f.requireUnchanged(before, err, sdkerrors.ErrInsufficientFunds)
	require.Contains(t, err.Error(), "premium is 1000uusdai")
	f.bank.balances[owner.String()] = i(10_000)

	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.msgs.IssuePolicy(f.ctx, &types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: res.RequestId, Premium: i(1_000)})
	require.NoError(t, err)
	require.Len(t, typedEvents(f.ctx.EventManager().Events(), "infrafi.caliber.v1.EventPolicyIssued"), 1)
	policy, err := f.k.ActivePolicy(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.Policy{
		TitleId: id, Insurer: insurer.String(), Owner: owner.String(), InsuredValue: i(200_000), Coverage: i(150_000),
		Premium: i(1_000), StartsAt: f.ctx.BlockTime(), ExpiresAt: f.ctx.BlockTime().Add(30 * 24 * time.Hour), RequestId: res.RequestId,
	}, policy)
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(501_000), Reserved: i(150_000)}, f.pool(insurer))
	require.Equal(t, i(9_000), f.bank.get(owner))
	has, err := f.k.PolicyRequestByTitle.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, has, "an issued request is consumed")

	// Renewal: a new policy replaces the old one, releasing its coverage first.
	f.advance(time.Hour)
	req := f.requestMsg(id, 400_000)
	req.ExpiresAt = f.ctx.BlockTime().Add(60 * 24 * time.Hour)
	res, err = f.msgs.RequestPolicy(f.ctx, req)
	require.NoError(t, err)
	_, err = f.msgs.IssuePolicy(f.ctx, &types.MsgIssuePolicy{Insurer: insurer.String(), RequestId: res.RequestId, Premium: i(2_000)})
	require.NoError(t, err, "400k fits in 501k once the old 150k is released")
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(503_000), Reserved: i(400_000)}, f.pool(insurer))
	require.Equal(t, 1, countPolicyQueue(f))

	// Transfer drops a pending request but keeps the policy.
	_, err = f.msgs.RequestPolicy(f.ctx, f.requestMsg(id, 1))
	require.NoError(t, err)
	_, err = f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: id, Recipient: buyer.String()})
	require.NoError(t, err)
	has, err = f.k.PolicyRequestByTitle.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, has)
	_, err = f.k.ActivePolicy(f.ctx, id)
	require.NoError(t, err)
	f.requireInvariants()
}

func countPolicyQueue(f *fixture) int {
	return len(f.state().Indexes["policy_expiry"])
}

func TestCancelPolicyRequest(t *testing.T) {
	f := setup(t)
	id := f.active()
	res, err := f.msgs.RequestPolicy(f.ctx, f.requestMsg(id, 10))
	require.NoError(t, err)
	before := f.state()
	_, err = f.msgs.CancelPolicyRequest(f.ctx, &types.MsgCancelPolicyRequest{Owner: stranger.String(), RequestId: res.RequestId})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.CancelPolicyRequest(f.ctx, &types.MsgCancelPolicyRequest{Owner: owner.String(), RequestId: 77})
	f.requireUnchanged(before, err, types.ErrRequestNotFound)
	_, err = f.msgs.CancelPolicyRequest(f.ctx, &types.MsgCancelPolicyRequest{Owner: owner.String(), RequestId: res.RequestId})
	require.NoError(t, err)
	require.Empty(t, f.state().Genesis.PolicyRequests)
}

func TestPolicyExpiryReleasesCapacityBoundedPerBlock(t *testing.T) {
	f := setup(t)
	params, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	params.MaxPolicyExpiriesPerBlock = 2
	require.NoError(t, f.k.SetParams(f.ctx, params))
	f.fund(insurer, 1_000_000)

	ids := []uint64{f.active(), f.active(), f.active(), f.active(), f.active()}
	for _, id := range ids {
		f.insure(id, 100_000)
	}
	require.Equal(t, i(500_000), f.pool(insurer).Reserved)

	f.advance(30*24*time.Hour - time.Second)
	f.endBlock()
	require.Equal(t, i(500_000), f.pool(insurer).Reserved, "nothing expired yet")
	_, err = f.k.ActivePolicy(f.ctx, ids[0])
	require.NoError(t, err)

	f.advance(time.Second)
	_, err = f.k.ActivePolicy(f.ctx, ids[0])
	require.ErrorIs(t, err, types.ErrPolicyNotFound, "expired before EndBlock prunes it")
	res, err := f.query.Policy(f.ctx, &types.QueryPolicyRequest{TitleId: ids[0]})
	require.NoError(t, err)
	require.False(t, res.Active)

	for _, want := range []int64{300_000, 100_000, 0} {
		events := f.endBlock()
		require.LessOrEqual(t, len(typedEvents(events, "infrafi.caliber.v1.EventPolicyClosed")), 2)
		require.Equal(t, i(want), f.pool(insurer).Reserved)
		f.advance(time.Second)
	}
	require.Empty(t, f.state().Genesis.Policies)
	require.Equal(t, i(1_005_000), f.pool(insurer).Balance, "premiums stay in the pool")
	f.requireInvariants()
}

func TestClaims(t *testing.T) {
	f := setup(t)
	lending := authtypes.NewModuleAddress(lendMod)
	f.fund(insurer, 1_000_000)

	// Value claim: insured 200k, coverage 150k.
	id := f.active()
	f.insure(id, 150_000)
	_, err := f.k.PayValueClaim(f.ctx, id, i(0), lendMod)
	require.ErrorIs(t, err, types.ErrInvalidStatus, "only a FORECLOSING title")
	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	require.NoError(t, f.k.StartForeclosure(f.ctx, id))
	_, err = f.k.PayValueClaim(f.ctx, id, i(-1), lendMod)
	require.ErrorIs(t, err, types.ErrInvalidAmount)
	_, err = f.k.PayValueClaim(f.ctx, id, i(0), types.ModuleName)
	require.ErrorIs(t, err, types.ErrInvalidRecipient)
	paid, err := f.k.PayValueClaim(f.ctx, id, i(120_000), lendMod)
	require.NoError(t, err)
	require.Equal(t, i(80_000), paid, "insured 200k − sale 120k, under coverage")
	require.Equal(t, i(80_000), f.bank.get(lending))
	require.Equal(t, types.InsurancePool{Insurer: insurer.String(), Balance: i(1_001_000 - 80_000), Reserved: i(0)}, f.pool(insurer))
	_, err = f.k.PayValueClaim(f.ctx, id, i(0), lendMod)
	require.ErrorIs(t, err, types.ErrPolicyNotFound, "a claim closes the policy")

	// A sale above the insured value pays nothing but closes the policy.
	id2 := f.active()
	f.insure(id2, 150_000)
	require.NoError(t, f.k.Pledge(f.ctx, id2, owner, lien))
	require.NoError(t, f.k.StartForeclosure(f.ctx, id2))
	paid, err = f.k.PayValueClaim(f.ctx, id2, i(250_000), lendMod)
	require.NoError(t, err)
	require.True(t, paid.IsZero())
	require.True(t, f.pool(insurer).Reserved.IsZero())

	// Casualty claim pays the coverage.
	id3 := f.active()
	f.insure(id3, 150_000)
	_, err = f.k.PayCasualtyClaim(f.ctx, id3, lendMod)
	require.ErrorIs(t, err, types.ErrInvalidStatus)
	_, err = f.msgs.ReportCasualty(f.ctx, &types.MsgReportCasualty{Custodian: custodian.String(), TitleId: id3, Reason: "flood"})
	require.NoError(t, err)
	_, err = f.k.ActivePolicy(f.ctx, id3)
	require.NoError(t, err, "the policy survives the casualty for the claim")
	paid, err = f.k.PayCasualtyClaim(f.ctx, id3, lendMod)
	require.NoError(t, err)
	require.Equal(t, i(150_000), paid)
	require.Equal(t, i(230_000), f.bank.get(lending))
	_, err = f.k.PayCasualtyClaim(f.ctx, id3, lendMod)
	require.ErrorIs(t, err, types.ErrPolicyNotFound)

	// Redemption closes a policy and releases its coverage.
	id4 := f.active()
	f.insure(id4, 100_000)
	require.Equal(t, i(100_000), f.pool(insurer).Reserved)
	require.NoError(t, f.k.RequestRedemption(f.ctx, owner, id4))
	require.NoError(t, f.k.ConfirmRedemption(f.ctx, custodian, id4))
	require.True(t, f.pool(insurer).Reserved.IsZero())
	f.requireInvariants()
}

func TestInvariantsDetectBrokenState(t *testing.T) {
	f := setup(t)
	f.fund(insurer, 1_000)
	f.bank.balances[moduleAddr.String()] = i(999)
	_, broken := keeper.InsuranceInvariant(f.k)(f.ctx)
	require.True(t, broken)
	f.bank.balances[moduleAddr.String()] = i(1_000)
	_, broken = keeper.InsuranceInvariant(f.k)(f.ctx)
	require.False(t, broken)

	require.NoError(t, f.k.Serials.Set(f.ctx, "ORPHAN", 1))
	_, broken = keeper.SerialsInvariant(f.k)(f.ctx)
	require.True(t, broken)
}

// The total reserved coverage follows every issue and release, so gauges read
// it without walking the pools; the migration rebuilds it from the pools.
func TestReservedTotalFollowsPolicies(t *testing.T) {
	f := setup(t)
	total := func() math.Int {
		t.Helper()
		v, err := f.k.TotalReserved(f.ctx)
		require.NoError(t, err)
		return v
	}
	require.True(t, total().IsZero(), "no policy yet")
	f.fund(insurer, 1_000_000)
	require.Equal(t, i(1_000_000), f.k.TotalPoolBalance(f.ctx))

	ids := []uint64{f.active(), f.active(), f.active()}
	for _, id := range ids {
		f.insure(id, 100_000)
	}
	require.Equal(t, i(300_000), total())
	require.Equal(t, f.pool(insurer).Reserved, total())
	require.Equal(t, f.pool(insurer).Balance, f.k.TotalPoolBalance(f.ctx), "premiums are in the pool and the module account")

	f.advance(30 * 24 * time.Hour)
	f.endBlock()
	require.True(t, total().IsZero(), "expired policies released their coverage")
	require.Equal(t, f.pool(insurer).Reserved, total())
	f.requireInvariants()

	f.insure(ids[0], 250_000)
	require.Equal(t, i(250_000), total())
	require.NoError(t, f.k.InsuranceReserved.Set(f.ctx, i(1)))
	_, broken := keeper.InsuranceInvariant(f.k)(f.ctx)
	require.True(t, broken, "a wrong total breaks the invariant")
	require.NoError(t, f.k.InsuranceReserved.Remove(f.ctx))
	require.NoError(t, f.k.MigrateReservedTotal(f.ctx))
	require.Equal(t, i(250_000), total(), "the migration sums the pools")
	f.requireInvariants()
}
