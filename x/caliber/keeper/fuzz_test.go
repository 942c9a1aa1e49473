package keeper_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/fuzzutil"
)

// fuzzState is the raw store plus the fake bank: everything a message can write.
type fuzzState struct {
	Store map[string]map[string]string
	Bank  map[string]string
}

func (f *fixture) fuzzState() fuzzState {
	bank := map[string]string{}
	for a, v := range f.bank.balances {
		bank[a] = v.String()
	}
	return fuzzState{Store: fuzzutil.StoreSnapshot(f.t, f.ctx), Bank: bank}
}

// setupFuzz is setup with title 1 ACTIVE and insured (a policy from insurer,
// pools of both insurers funded), title 2 PENDING_CUSTODY, title 3
// REDEMPTION_REQUESTED and policy request 2 (owner to insurer2, on title 1) pending.
func setupFuzz(t *testing.T) *fixture {
	f := setup(t)
	f.fund(insurer, 1_000_000)
	f.fund(insurer2, 1_000_000)
	active := f.active()
	f.insure(active, 100_000)
	f.mint()
	redeeming := f.active()
	_, err := f.msgs.RequestRedemption(f.ctx, &types.MsgRequestRedemption{Owner: owner.String(), TitleId: redeeming})
	require.NoError(t, err)
	req := f.requestMsg(active, 50_000)
	req.Insurer = insurer2.String()
	_, err = f.msgs.RequestPolicy(f.ctx, req)
	require.NoError(t, err)
	return f
}

// FuzzMsgServer sends one x/caliber message built from fuzzed fields, from a
// fuzzed signer, to the fixture of setupFuzz. The msg server must succeed or
// return a registered error, never panic, write nothing on error, and keep
// every module invariant on success.
func FuzzMsgServer(f *testing.F) {
	// One seed per message, from its rightful signer (see the signer list
	// below: 0 authority, 1 issuer, 2 custodian, 4 appraiser1, 5 insurer,
	// 6 insurer2, 7 owner), on a title in the status the message needs.
	for _, s := range []struct {
		op, signer uint8
		id         uint64
	}{
		{0, 0, 0}, {1, 18, 0}, {2, 18, 0}, {3, 0, 1}, {4, 0, 0}, {5, 1, 0}, {6, 2, 2}, {7, 7, 1}, {8, 7, 1}, {9, 7, 3},
		{10, 2, 3}, {11, 2, 3}, {12, 2, 1}, {13, 4, 1}, {14, 5, 0}, {15, 6, 0}, {16, 25, 1}, {17, 7, 2}, {18, 6, 2}, {19, 0, 0},
	} {
		f.Add(s.op, s.signer, s.id, "SN-X1,SN-X2", []byte{0, 0x03, 0xe8}, int64(86400), uint32(2), true, uint32(60))
	}
	f.Fuzz(func(t *testing.T, op, signerSel uint8, id uint64, text string, amountB []byte, secs int64, n uint32, flag bool, advance uint32) {
		fx := setupFuzz(t)
		fx.advance(time.Duration(advance%(3*24*3600)) * time.Second)
		signer := fuzzutil.Pick(signerSel, authority, issuer, custodian, custodian2, appraiser1, insurer, insurer2, owner, stranger).String()
		other := fuzzutil.Pick(signerSel/9, buyer, owner, insurer, custodian, appraiser3, stranger).String()
		amount := fuzzutil.Int(amountB)
		at := fuzzutil.Time(fx.ctx.BlockTime(), secs)
		dur := time.Duration(secs) * time.Second
		var serials []string
		if text != "" {
			serials = strings.Split(text, ",")
		}
		class := h100Class()
		class.Id = fuzzutil.Pick(uint8(id), h100, "fuzz-class", text)
		class.MinAppraisals, class.MaxLtv = n, fuzzutil.DecBetween(uint64(secs), dec("1"))

		before := fx.fuzzState()
		var err error
		ctx, msgs := fx.ctx, fx.msgs
		switch op % 20 {
		case 0:
			_, err = msgs.RegisterParty(ctx, &types.MsgRegisterParty{Authority: signer, Party: party(buyer, types.Role(n%8))})
		case 1:
			_, err = msgs.UpdateParty(ctx, &types.MsgUpdateParty{Authority: signer, Party: types.Party{Address: other, Roles: []types.Role{types.Role(n % 8)}, Name: text, Active: flag}})
		case 2:
			_, err = msgs.SetPartyActive(ctx, &types.MsgSetPartyActive{Authority: signer, Address: other, Active: flag})
		case 3:
			_, err = msgs.AddAssetClass(ctx, &types.MsgAddAssetClass{Authority: signer, AssetClass: class})
		case 4:
			_, err = msgs.UpdateAssetClass(ctx, &types.MsgUpdateAssetClass{Authority: signer, AssetClass: class})
		case 5:
			m := fx.mintMsg(h100, serials...)
			m.Issuer, m.Owner, m.Units = signer, other, uint64(n)
			_, err = msgs.MintTitle(ctx, m)
		case 6:
			_, err = msgs.ConfirmCustody(ctx, &types.MsgConfirmCustody{Custodian: signer, TitleId: id})
		case 7:
			_, err = msgs.TransferTitle(ctx, &types.MsgTransferTitle{Owner: signer, TitleId: id, Recipient: other})
		case 8:
			_, err = msgs.RequestRedemption(ctx, &types.MsgRequestRedemption{Owner: signer, TitleId: id})
		case 9:
			_, err = msgs.CancelRedemption(ctx, &types.MsgCancelRedemption{Owner: signer, TitleId: id})
		case 10:
			_, err = msgs.ConfirmRedemption(ctx, &types.MsgConfirmRedemption{Custodian: signer, TitleId: id})
		case 11:
			_, err = msgs.AttestCustody(ctx, &types.MsgAttestCustody{Custodian: signer, TitleIds: []uint64{id, id%3 + 1}, Online: flag, UptimeBps: n, Facility: text})
		case 12:
			_, err = msgs.ReportCasualty(ctx, &types.MsgReportCasualty{Custodian: signer, TitleId: id, Reason: text})
		case 13:
			_, err = msgs.Appraise(ctx, &types.MsgAppraise{Appraiser: signer, TitleId: id, Value: amount, ValidUntil: at, ReportSha256: reportA})
		case 14:
			_, err = msgs.FundInsurancePool(ctx, &types.MsgFundInsurancePool{Insurer: signer, Amount: amount})
		case 15:
			_, err = msgs.WithdrawInsurancePool(ctx, &types.MsgWithdrawInsurancePool{Insurer: signer, Amount: amount})
		case 16:
			insured := amount
			if !amount.IsNil() && amount.BigInt().BitLen() < 250 {
				insured = amount.MulRaw(2)
			}
			_, err = msgs.RequestPolicy(ctx, &types.MsgRequestPolicy{
				Owner: signer, TitleId: id, Insurer: other, InsuredValue: insured, Coverage: amount, ExpiresAt: at, MaxPremium: amount,
			})
		case 17:
			_, err = msgs.CancelPolicyRequest(ctx, &types.MsgCancelPolicyRequest{Owner: signer, RequestId: id})
		case 18:
			_, err = msgs.IssuePolicy(ctx, &types.MsgIssuePolicy{Insurer: signer, RequestId: id, Premium: amount})
		case 19:
			p := types.DefaultParams()
			p.CustodyAttestationMaxAge, p.MaxSerialsPerTitle, p.MaxTitlesPerAttestation = dur, n, n
			_, err = msgs.UpdateParams(ctx, &types.MsgUpdateParams{Authority: signer, Params: p})
		}
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		if err != nil {
			require.Equal(t, before, fx.fuzzState(), "failed message wrote state: %v", err)
			return
		}
		fx.requireInvariants()
		fx.endBlock()
		fx.requireInvariants()
	})
}
