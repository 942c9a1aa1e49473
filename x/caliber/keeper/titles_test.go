package keeper_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/collections"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
)

func TestMintTitleStoresPendingTitleAndIndexes(t *testing.T) {
	f := setup(t)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	msg := f.mintMsg(h100)
	res, err := f.msgs.MintTitle(f.ctx, msg)
	require.NoError(t, err)
	require.Equal(t, uint64(1), res.TitleId)

	title := f.title(1)
	require.Equal(t, types.Title{
		Id: 1, ClassId: h100, Owner: owner.String(), Units: 8, Serials: msg.Serials, Facility: "DAL-01",
		Jurisdiction: "US-TX", Custodian: custodian.String(), Issuer: issuer.String(), Legal: msg.Legal,
		Status: types.StatusPendingCustody, CreatedAt: genesisTime,
	}, title)
	for _, s := range msg.Serials {
		id, err := f.k.Serials.Get(f.ctx, s)
		require.NoError(t, err)
		require.Equal(t, uint64(1), id)
	}
	require.Len(t, typedEvents(f.ctx.EventManager().Events(), "infrafi.caliber.v1.EventTitleMinted"), 1)
	stale, err := f.k.IsStale(f.ctx, 1)
	require.NoError(t, err)
	require.False(t, stale, "a pending title is not in custody, so not stale")

	second, err := f.msgs.MintTitle(f.ctx, f.mintMsg(h100))
	require.NoError(t, err)
	require.Equal(t, uint64(2), second.TitleId, "ids come from a sequence")
	f.requireInvariants()
}

func TestMintTitleBadInput(t *testing.T) {
	f := setup(t)
	f.active("LIVE-1", "LIVE-2")
	ineligible := h100Class()
	ineligible.Id = "retired-gpu"
	ineligible.MarketFeed = ""
	ineligible.Eligible = false
	require.NoError(t, f.k.AddAssetClass(f.ctx, ineligible))
	before := f.state()

	params, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	tooMany := f.nextSerials(int(params.MaxSerialsPerTitle) + 1)

	tests := map[string]struct {
		mutate func(m *types.MsgMintTitle)
		err    error
	}{
		"non-issuer":                 {func(m *types.MsgMintTitle) { m.Issuer = stranger.String() }, sdkerrors.ErrUnauthorized},
		"custodian as issuer":        {func(m *types.MsgMintTitle) { m.Issuer = custodian.String() }, sdkerrors.ErrUnauthorized},
		"custodian not a custodian":  {func(m *types.MsgMintTitle) { m.Custodian = appraiser1.String() }, types.ErrInvalidCustodian},
		"unknown class":              {func(m *types.MsgMintTitle) { m.ClassId = "unknown" }, types.ErrAssetClassNotFound},
		"ineligible class":           {func(m *types.MsgMintTitle) { m.ClassId = "retired-gpu" }, types.ErrAssetClassNotEligible},
		"serial in a live title":     {func(m *types.MsgMintTitle) { m.Serials = []string{"NEW-1", "LIVE-2"} }, types.ErrSerialInUse},
		"serial twice in message":    {func(m *types.MsgMintTitle) { m.Serials = []string{"NEW-1", "NEW-2", "NEW-1"} }, types.ErrSerialInUse},
		"empty serial list":          {func(m *types.MsgMintTitle) { m.Serials = nil }, types.ErrInvalidSerial},
		"serial list over the param": {func(m *types.MsgMintTitle) { m.Serials = tooMany }, types.ErrInvalidSerial},
		"serial list over the limit": {func(m *types.MsgMintTitle) { m.Serials = f.nextSerials(1025) }, types.ErrInvalidSerial},
		"lowercase serial":           {func(m *types.MsgMintTitle) { m.Serials = []string{"sn-1"} }, types.ErrInvalidSerial},
		"serial with space":          {func(m *types.MsgMintTitle) { m.Serials = []string{"SN 1"} }, types.ErrInvalidSerial},
		"over-long serial":           {func(m *types.MsgMintTitle) { m.Serials = []string{string(make([]byte, 65))} }, types.ErrInvalidSerial},
		"zero units":                 {func(m *types.MsgMintTitle) { m.Units = 0 }, types.ErrInvalidTitle},
		"bad owner":                  {func(m *types.MsgMintTitle) { m.Owner = "infra1nope" }, sdkerrors.ErrInvalidAddress},
		"bad document hash":          {func(m *types.MsgMintTitle) { m.Legal.DocumentSha256 = "abc" }, types.ErrInvalidTitle},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			msg := f.mintMsg(h100, f.nextSerials(2)...)
			tc.mutate(msg)
			_, err := f.msgs.MintTitle(f.ctx, msg)
			f.requireUnchanged(before, err, tc.err)
		})
	}

	// An inactive issuer is refused too.
	_, err = f.k.SetPartyActive(f.ctx, issuer, false)
	require.NoError(t, err)
	before = f.state()
	_, err = f.msgs.MintTitle(f.ctx, f.mintMsg(h100))
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
}

func TestConfirmCustody(t *testing.T) {
	f := setup(t)
	id := f.mint()
	before := f.state()

	_, err := f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian2.String(), TitleId: id})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized, "another custodian confirming")
	_, err = f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: stranger.String(), TitleId: id})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian.String(), TitleId: 99})
	f.requireUnchanged(before, err, types.ErrTitleNotFound)
	_, err = f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian.String(), TitleId: 0})
	f.requireUnchanged(before, err, types.ErrTitleNotFound)

	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian.String(), TitleId: id})
	require.NoError(t, err)
	require.Equal(t, types.StatusActive, f.title(id).Status)
	c, err := f.k.Custody.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, types.Custody{
		TitleId: id, LastAttestedAt: genesisTime, ExpiresAt: genesisTime.Add(types.DefaultCustodyAttestationMaxAge),
		Online: true, UptimeBps: 10_000, Facility: "DAL-01",
	}, c)
	events := f.ctx.EventManager().Events()
	require.Len(t, typedEvents(events, "infrafi.caliber.v1.EventTitleStatusChanged"), 1)
	require.Len(t, typedEvents(events, "infrafi.caliber.v1.EventCustodyAttested"), 1)

	before = f.state()
	_, err = f.msgs.ConfirmCustody(f.ctx, &types.MsgConfirmCustody{Custodian: custodian.String(), TitleId: id})
	f.requireUnchanged(before, err, types.ErrInvalidStatus, "confirming twice")
}

// toStatus drives a fresh title to the given status through the keeper API.
func (f *fixture) toStatus(s types.TitleStatus) uint64 {
	f.t.Helper()
	if s == types.StatusPendingCustody {
		return f.mint()
	}
	id := f.active()
	switch s {
	case types.StatusPledged:
		require.NoError(f.t, f.k.Pledge(f.ctx, id, owner, lien))
	case types.StatusForeclosing:
		require.NoError(f.t, f.k.Pledge(f.ctx, id, owner, lien))
		require.NoError(f.t, f.k.StartForeclosure(f.ctx, id))
	case types.StatusRedemptionRequested:
		require.NoError(f.t, f.k.RequestRedemption(f.ctx, owner, id))
	case types.StatusCasualty:
		require.NoError(f.t, f.k.ReportCasualty(f.ctx, custodian, id, "fire"))
	}
	require.Equal(f.t, s, f.title(id).Status)
	return id
}

func TestTransferTitle(t *testing.T) {
	f := setup(t)
	for _, s := range []types.TitleStatus{
		types.StatusPendingCustody, types.StatusPledged, types.StatusForeclosing,
		types.StatusRedemptionRequested, types.StatusCasualty,
	} {
		id := f.toStatus(s)
		before := f.state()
		_, err := f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: id, Recipient: buyer.String()})
		f.requireUnchanged(before, err, types.ErrInvalidStatus, s.String())
	}

	id := f.active()
	before := f.state()
	_, err := f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: stranger.String(), TitleId: id, Recipient: buyer.String()})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized, "non-owner")
	_, err = f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: id, Recipient: owner.String()})
	f.requireUnchanged(before, err, types.ErrInvalidRecipient)
	_, err = f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: 999, Recipient: buyer.String()})
	f.requireUnchanged(before, err, types.ErrTitleNotFound)

	_, err = f.msgs.TransferTitle(f.ctx, &types.MsgTransferTitle{Owner: owner.String(), TitleId: id, Recipient: buyer.String()})
	require.NoError(t, err)
	require.Equal(t, buyer.String(), f.title(id).Owner)
	has, err := f.k.Titles.Indexes.Owner.Has(f.ctx, joinAddr(buyer, id))
	require.NoError(t, err)
	require.True(t, has, "owner index follows the transfer")
	has, err = f.k.Titles.Indexes.Owner.Has(f.ctx, joinAddr(owner, id))
	require.NoError(t, err)
	require.False(t, has)
}

func TestRedemptionLifecycle(t *testing.T) {
	f := setup(t)
	for _, s := range []types.TitleStatus{types.StatusPendingCustody, types.StatusPledged, types.StatusForeclosing, types.StatusCasualty} {
		id := f.toStatus(s)
		before := f.state()
		_, err := f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: owner.String(), TitleId: id})
		f.requireUnchanged(before, err, types.ErrInvalidStatus, s.String())
	}

	serials := f.nextSerials(4)
	id := f.active(serials...)
	require.NoError(t, f.appraise(appraiser1, id, 100_000_000_000, 24*time.Hour))
	before := f.state()
	_, err := f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: stranger.String(), TitleId: id})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.CancelRedemption(f.ctx, &types.MsgCancelRedemption{Owner: owner.String(), TitleId: id})
	f.requireUnchanged(before, err, types.ErrInvalidStatus, "nothing to cancel")
	_, err = f.msgs.ConfirmRedemption(f.ctx, &types.MsgConfirmRedemption{Custodian: custodian.String(), TitleId: id})
	f.requireUnchanged(before, err, types.ErrInvalidStatus, "not requested")

	_, err = f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: owner.String(), TitleId: id})
	require.NoError(t, err)
	require.Equal(t, types.StatusRedemptionRequested, f.title(id).Status)
	_, err = f.msgs.CancelRedemption(f.ctx, &types.MsgCancelRedemption{Owner: owner.String(), TitleId: id})
	require.NoError(t, err)
	require.Equal(t, types.StatusActive, f.title(id).Status)
	_, err = f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: owner.String(), TitleId: id})
	require.NoError(t, err)

	before = f.state()
	_, err = f.msgs.ConfirmRedemption(f.ctx, &types.MsgConfirmRedemption{Custodian: custodian2.String(), TitleId: id})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized, "another custodian")
	_, err = f.msgs.CancelRedemption(f.ctx, &types.MsgCancelRedemption{Owner: stranger.String(), TitleId: id})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)

	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	_, err = f.msgs.ConfirmRedemption(f.ctx, &types.MsgConfirmRedemption{Custodian: custodian.String(), TitleId: id})
	require.NoError(t, err)
	_, err = f.k.GetTitle(f.ctx, id)
	require.ErrorIs(t, err, types.ErrTitleNotFound, "burned")
	for _, s := range serials {
		has, err := f.k.Serials.Has(f.ctx, s)
		require.NoError(t, err)
		require.False(t, has, "serial %s freed", s)
	}
	has, err := f.k.Custody.Has(f.ctx, id)
	require.NoError(t, err)
	require.False(t, has)
	gs := f.state()
	require.Empty(t, gs.Genesis.Appraisals)
	for _, name := range []string{"owner", "status", "custody_expiry"} {
		for _, key := range gs.Indexes[name] {
			require.False(t, strings.HasSuffix(key, fmt.Sprintf("/%d", id)), "%s index still holds the burned title: %s", name, key)
		}
	}
	redeemed := typedEvents(f.ctx.EventManager().Events(), "infrafi.caliber.v1.EventTitleRedeemed")
	require.Len(t, redeemed, 1)
	require.Contains(t, redeemed[0].Attributes[0].Value, "TITLE_STATUS_REDEEMED")

	// A redeemed serial can be minted again.
	again := f.mint(serials...)
	require.Equal(t, types.StatusPendingCustody, f.title(again).Status)
	f.requireInvariants()
}

func TestCasualty(t *testing.T) {
	f := setup(t)
	serials := f.nextSerials(2)
	id := f.active(serials...)
	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))

	before := f.state()
	_, err := f.msgs.ReportCasualty(f.ctx, &types.MsgReportCasualty{Custodian: custodian2.String(), TitleId: id, Reason: "fire"})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	require.Empty(t, f.hooks.casualty)

	_, err = f.msgs.ReportCasualty(f.ctx, &types.MsgReportCasualty{Custodian: custodian.String(), TitleId: id, Reason: "fire"})
	require.NoError(t, err)
	require.Equal(t, types.StatusCasualty, f.title(id).Status)
	require.Zero(t, f.title(id).LoanId, "a casualty clears the lien")
	require.Equal(t, []uint64{id}, f.hooks.casualty)
	require.Equal(t, lien, f.hooks.liens[len(f.hooks.liens)-1], "the hook gets the lien the title held")
	has, err := f.k.Serials.Has(f.ctx, serials[0])
	require.NoError(t, err)
	require.False(t, has, "casualty frees serials")
	stale, err := f.k.IsStale(f.ctx, id)
	require.NoError(t, err)
	require.False(t, stale)
	_, err = f.k.GetValuation(f.ctx, id)
	require.ErrorIs(t, err, types.ErrNoValuation)

	before = f.state()
	_, err = f.msgs.ReportCasualty(f.ctx, &types.MsgReportCasualty{Custodian: custodian.String(), TitleId: id, Reason: "again"})
	f.requireUnchanged(before, err, types.ErrInvalidStatus, "casualty is terminal")
	require.ErrorIs(t, f.k.Release(f.ctx, id), types.ErrInvalidStatus)

	// A pending title can be reported too, and the hook's error fails the report.
	pending := f.mint()
	f.hooks.fail = errHook
	before = f.state()
	_, err = f.msgs.ReportCasualty(f.ctx, &types.MsgReportCasualty{Custodian: custodian.String(), TitleId: pending, Reason: "lost in transit"})
	require.ErrorIs(t, err, errHook)
	f.hooks.fail = nil
	f.requireInvariants()
}

func TestLendingTransitions(t *testing.T) {
	f := setup(t)
	id := f.active()
	pending := f.mint()

	require.ErrorIs(t, f.k.Pledge(f.ctx, pending, owner, lien), types.ErrInvalidStatus)
	require.ErrorIs(t, f.k.Pledge(f.ctx, id, stranger, lien), sdkerrors.ErrUnauthorized)
	require.ErrorIs(t, f.k.Pledge(f.ctx, 999, owner, lien), types.ErrTitleNotFound)
	require.ErrorIs(t, f.k.Release(f.ctx, id), types.ErrInvalidStatus)
	require.ErrorIs(t, f.k.StartForeclosure(f.ctx, id), types.ErrInvalidStatus)
	require.ErrorIs(t, f.k.TransferForeclosed(f.ctx, id, buyer), types.ErrInvalidStatus)

	before := f.state()
	require.ErrorIs(t, f.k.Pledge(f.ctx, id, owner, 0), types.ErrInvalidLien, "a pledge names its loan")
	require.Equal(t, before, f.state())

	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	require.Equal(t, types.StatusPledged, f.title(id).Status)
	require.Equal(t, lien, f.title(id).LoanId)
	require.ErrorIs(t, f.k.Pledge(f.ctx, id, owner, lien+1), types.ErrInvalidStatus, "pledged twice")
	require.Equal(t, lien, f.title(id).LoanId)
	require.NoError(t, f.k.Release(f.ctx, id))
	require.Equal(t, types.StatusActive, f.title(id).Status)
	require.Zero(t, f.title(id).LoanId, "a release clears the lien")

	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	require.NoError(t, f.k.StartForeclosure(f.ctx, id))
	require.Equal(t, types.StatusForeclosing, f.title(id).Status)
	require.Equal(t, lien, f.title(id).LoanId, "foreclosure keeps the lien")
	require.ErrorIs(t, f.k.Release(f.ctx, id), types.ErrInvalidStatus)
	f.ctx = f.ctx.WithEventManager(sdk.NewEventManager())
	require.NoError(t, f.k.TransferForeclosed(f.ctx, id, buyer))
	title := f.title(id)
	require.Equal(t, types.StatusActive, title.Status)
	require.Zero(t, title.LoanId, "the sale clears the lien")
	require.Equal(t, buyer.String(), title.Owner)
	require.Len(t, typedEvents(f.ctx.EventManager().Events(), "infrafi.caliber.v1.EventTitleTransferred"), 1)

	// The new owner can redeem.
	_, err := f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: buyer.String(), TitleId: id})
	require.NoError(t, err)
	f.requireInvariants()
}

// TestSetLien: SetLien (x/lending's migration) sets a lien on a PLEDGED or
// FORECLOSING title only and clears one on no such title; PledgedCount and
// the liens invariant follow.
func TestSetLien(t *testing.T) {
	f := setup(t)
	active := f.active()
	pledged := f.toStatus(types.StatusPledged)
	foreclosing := f.toStatus(types.StatusForeclosing)
	casualty := f.toStatus(types.StatusCasualty)
	n, err := f.k.PledgedCount(f.ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(2), n)

	for _, c := range []struct {
		title, loan uint64
		err         error
	}{
		{active, 9, types.ErrInvalidLien},
		{casualty, 9, types.ErrInvalidLien},
		{pledged, 0, types.ErrInvalidLien},
		{foreclosing, 0, types.ErrInvalidLien},
		{999, 9, types.ErrTitleNotFound},
	} {
		before := f.state()
		require.ErrorIs(t, f.k.SetLien(f.ctx, c.title, c.loan), c.err, "title %d, loan %d", c.title, c.loan)
		require.Equal(t, before, f.state())
	}
	require.NoError(t, f.k.SetLien(f.ctx, pledged, 9))
	require.NoError(t, f.k.SetLien(f.ctx, foreclosing, 10))
	require.NoError(t, f.k.SetLien(f.ctx, active, 0))
	require.Equal(t, uint64(9), f.title(pledged).LoanId)
	require.Equal(t, uint64(10), f.title(foreclosing).LoanId)
	f.requireInvariants()

	// The invariant reports a title whose lien disagrees with its status.
	inv := keeper.Invariants(f.k)["liens"]
	for _, c := range []struct {
		title, loan uint64
		want        string
	}{
		{active, 3, "is TITLE_STATUS_ACTIVE with loan_id 3"},
		{pledged, 0, "is TITLE_STATUS_PLEDGED with loan_id 0"},
	} {
		ctx, _ := f.ctx.CacheContext()
		tt := f.title(c.title)
		tt.LoanId = c.loan
		require.NoError(t, f.k.Titles.Set(ctx, tt.Id, tt))
		msg, broken := inv(ctx)
		require.True(t, broken)
		require.Contains(t, msg, fmt.Sprintf("title %d %s", c.title, c.want))
	}
	_, broken := inv(f.ctx)
	require.False(t, broken)
}

// TestTitleIndexKeys: a new title gets exactly the owner, class, status and
// custodian keys Titles' indexes derive (insertTitle writes them without
// IndexedMap.Set), a status change moves only its status key (setStatus),
// and TitleIndexesInvariant catches a missing or a stale key.
func TestTitleIndexKeys(t *testing.T) {
	f := setup(t)
	id := f.active()
	pending := f.mint()
	idx := f.k.Titles.Indexes
	has := func(ok bool, err error) bool { require.NoError(t, err); return ok }
	require.True(t, has(idx.Owner.Has(f.ctx, collections.Join(owner, pending))))
	require.True(t, has(idx.Class.Has(f.ctx, collections.Join(h100, pending))))
	require.True(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.StatusPendingCustody), pending))))
	require.True(t, has(idx.Custodian.Has(f.ctx, collections.Join(custodian, pending))))
	f.requireInvariants()

	require.NoError(t, f.k.Pledge(f.ctx, id, owner, lien))
	require.True(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.StatusPledged), id))))
	require.False(t, has(idx.Status.Has(f.ctx, collections.Join(int32(types.StatusActive), id))))
	require.True(t, has(idx.Owner.Has(f.ctx, collections.Join(owner, id))))
	res, err := f.query.Titles(f.ctx, &types.QueryTitlesRequest{Status: types.StatusPledged})
	require.NoError(t, err)
	require.Len(t, res.Titles, 1)
	require.Equal(t, id, res.Titles[0].Id)
	f.requireInvariants()

	invariants := keeper.Invariants(f.k)
	inv := invariants["title-indexes"]
	for _, c := range []struct {
		name    string
		corrupt func(ctx sdk.Context) error
		want    string
	}{
		{"missing status key", func(ctx sdk.Context) error {
			return idx.Status.Remove(ctx, collections.Join(int32(types.StatusPledged), id))
		}, fmt.Sprintf("title %d (TITLE_STATUS_PLEDGED) has no status index key", id)},
		{"missing custodian key", func(ctx sdk.Context) error {
			return idx.Custodian.Remove(ctx, collections.Join(custodian, pending))
		}, fmt.Sprintf("title %d (TITLE_STATUS_PENDING_CUSTODY) has no custodian index key", pending)},
		{"stale status key", func(ctx sdk.Context) error {
			return idx.Status.Set(ctx, collections.Join(int32(types.StatusActive), id))
		}, "status index holds 3 keys for 2 titles"},
	} {
		ctx, _ := f.ctx.CacheContext()
		require.NoError(t, c.corrupt(ctx), c.name)
		msg, broken := inv(ctx)
		require.True(t, broken, c.name)
		require.Contains(t, msg, c.want, c.name)
	}
}
