package simulation

import (
	"context"
	"fmt"
	"slices"

	"cosmossdk.io/collections"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

// Title life cycle: MintTitle (issuer) → ConfirmCustody (custodian) →
// Appraise (appraiser) / AttestCustody (custodian) → TransferTitle,
// RequestRedemption → CancelRedemption | ConfirmRedemption, ReportCasualty.
// Each message has a factory building a message that must succeed and one
// building a realistic wrong input that must fail with a registered error.

// MsgMintTitleFactory mints a title of an eligible class for a user, signed
// by an active issuer, held by an active custodian, with fresh serials.
func MsgMintTitleFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgMintTitle] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgMintTitle) {
		r := testData.Rand()
		issuers := roleAccounts(ctx, k, testData, reporter, types.RoleIssuer)
		custodians := roleAccounts(ctx, k, testData, reporter, types.RoleCustodian)
		classes := eligibleClasses(ctx, k)
		owners := users(testData)
		switch {
		case len(issuers) == 0:
			reporter.Skip("no active issuer")
			return nil, nil
		case len(custodians) == 0:
			reporter.Skip("no active custodian")
			return nil, nil
		case len(classes) == 0:
			reporter.Skip("no eligible asset class")
			return nil, nil
		case len(owners) == 0:
			reporter.Skip("no user")
			return nil, nil
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		next, err := k.NextTitleID.Peek(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		issuer := simsx.OneOf(r, issuers)
		units := uint64(1 + r.Intn(8))
		n := 1 + r.Intn(int(min(uint64(params.MaxSerialsPerTitle), units)))
		return []simsx.SimAccount{issuer}, &types.MsgMintTitle{
			Issuer:       issuer.AddressBech32,
			ClassId:      simsx.OneOf(r, classes).Id,
			Owner:        simsx.OneOf(r, owners).Address.String(),
			Custodian:    simsx.OneOf(r, custodians).AddressBech32,
			Units:        units,
			Serials:      Serials(next, n),
			Facility:     fmt.Sprintf("sim-dc-%d", r.Intn(3)),
			Jurisdiction: simsx.OneOf(r, []string{"US-DE", "US-TX", "IE", "SG"}),
			Legal:        types.LegalInfo{SpvId: fmt.Sprintf("spv-%d", next), DocumentSha256: reportHash("title", next), Uri: fmt.Sprintf("https://sim.infrafi/legal/%d", next)},
			MetadataUri:  fmt.Sprintf("https://sim.infrafi/titles/%d", next),
		}
	}
}

// MsgMintTitleInvalidFactory mints from a non-issuer, with a serial of a live
// title, or in an unknown class.
func MsgMintTitleInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgMintTitle](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgMintTitle, simsx.SimDeliveryResultHandler) {
		signers, msg := MsgMintTitleFactory(k)(ctx, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			if live := titlesIn(ctx, k, liveStatuses...); len(live) > 0 {
				t := simsx.OneOf(r, live)
				msg.Serials[0] = simsx.OneOf(r, t.Serials)
				return signers, msg, simutil.ExpectError(types.ErrSerialInUse)
			}
			fallthrough
		case 1:
			msg.ClassId = "sim-unknown-class"
			return signers, msg, simutil.ExpectError(types.ErrAssetClassNotFound)
		default:
			signer, ok := nonRoleAccount(ctx, k, testData, reporter, types.RoleIssuer)
			if !ok {
				reporter.Skip("every account is an issuer")
				return nil, nil, nil
			}
			msg.Issuer = signer.AddressBech32
			return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		}
	})
}

// MsgConfirmCustodyFactory confirms a PENDING_CUSTODY title, signed by its custodian.
func MsgConfirmCustodyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgConfirmCustody] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgConfirmCustody) {
		pending := filterTitles(titlesIn(ctx, k, types.StatusPendingCustody), heldByActiveSimCustodian(ctx, k, testData))
		if len(pending) == 0 {
			reporter.Skip("no title pending custody with an active simulated custodian")
			return nil, nil
		}
		t := simsx.OneOf(testData.Rand(), pending)
		custodian := testData.GetAccount(reporter, t.Custodian)
		return []simsx.SimAccount{custodian}, &types.MsgConfirmCustody{Custodian: custodian.AddressBech32, TitleId: t.Id}
	}
}

// MsgConfirmCustodyInvalidFactory confirms an unknown title, a title already
// in custody, or a pending title from another account than its custodian.
func MsgConfirmCustodyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgConfirmCustody](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgConfirmCustody, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			inCustody := filterTitles(titlesIn(ctx, k, types.StatusActive, types.StatusPledged), heldByActiveSimCustodian(ctx, k, testData))
			if len(inCustody) > 0 {
				t := simsx.OneOf(r, inCustody)
				custodian := testData.GetAccount(reporter, t.Custodian)
				return []simsx.SimAccount{custodian}, &types.MsgConfirmCustody{Custodian: custodian.AddressBech32, TitleId: t.Id},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
			fallthrough
		case 1:
			if pending := titlesIn(ctx, k, types.StatusPendingCustody); len(pending) > 0 {
				t := simsx.OneOf(r, pending)
				if signer, ok := otherAccount(testData, reporter, t.Custodian); ok {
					return []simsx.SimAccount{signer}, &types.MsgConfirmCustody{Custodian: signer.AddressBech32, TitleId: t.Id},
						simutil.ExpectError(sdkerrors.ErrUnauthorized)
				}
				return nil, nil, nil
			}
			fallthrough
		default:
			signer := testData.AnyAccount(reporter)
			return []simsx.SimAccount{signer}, &types.MsgConfirmCustody{Custodian: signer.AddressBech32, TitleId: unknownTitleID(ctx, k)},
				simutil.ExpectError(types.ErrTitleNotFound)
		}
	})
}

// transferable are ACTIVE titles owned by simulated accounts: never a title
// pledged to or foreclosed by x/lending.
func transferable(ctx context.Context, k *keeper.Keeper, testData *simsx.ChainDataSource) []types.Title {
	return filterTitles(titlesIn(ctx, k, types.StatusActive), ownedBySim(testData))
}

// MsgTransferTitleFactory gives an ACTIVE title to another user, signed by its owner.
func MsgTransferTitleFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgTransferTitle] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgTransferTitle) {
		titles := transferable(ctx, k, testData)
		if len(titles) == 0 {
			reporter.Skip("no ACTIVE title owned by a simulated account")
			return nil, nil
		}
		r := testData.Rand()
		t := simsx.OneOf(r, titles)
		owner := testData.GetAccount(reporter, t.Owner)
		recipients := slices.DeleteFunc(users(testData), func(a simtypes.Account) bool { return a.Address.String() == t.Owner })
		if len(recipients) == 0 {
			reporter.Skip("no other user")
			return nil, nil
		}
		return []simsx.SimAccount{owner}, &types.MsgTransferTitle{
			Owner: owner.AddressBech32, TitleId: t.Id, Recipient: simsx.OneOf(r, recipients).Address.String(),
		}
	}
}

// MsgTransferTitleInvalidFactory transfers a title from another account than
// its owner, or a title that is not ACTIVE (pledged, pending, ...) by its owner.
func MsgTransferTitleInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgTransferTitle](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgTransferTitle, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if r.Intn(2) == 0 {
			locked := filterTitles(titlesIn(ctx, k, types.StatusPendingCustody, types.StatusPledged, types.StatusForeclosing, types.StatusRedemptionRequested, types.StatusCasualty), ownedBySim(testData))
			if len(locked) > 0 {
				t := simsx.OneOf(r, locked)
				owner := testData.GetAccount(reporter, t.Owner)
				recipient, ok := otherAccount(testData, reporter, t.Owner)
				if !ok {
					return nil, nil, nil
				}
				return []simsx.SimAccount{owner}, &types.MsgTransferTitle{Owner: owner.AddressBech32, TitleId: t.Id, Recipient: recipient.AddressBech32},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
		}
		titles := titlesIn(ctx, k, types.StatusActive)
		if len(titles) == 0 {
			reporter.Skip("no ACTIVE title")
			return nil, nil, nil
		}
		t := simsx.OneOf(r, titles)
		thief, ok := otherAccount(testData, reporter, t.Owner)
		if !ok {
			return nil, nil, nil
		}
		return []simsx.SimAccount{thief}, &types.MsgTransferTitle{Owner: thief.AddressBech32, TitleId: t.Id, Recipient: t.Owner},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgRequestRedemptionFactory asks for the hardware of an ACTIVE title, signed by its owner.
func MsgRequestRedemptionFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRequestRedemption] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestRedemption) {
		titles := transferable(ctx, k, testData)
		if len(titles) == 0 {
			reporter.Skip("no ACTIVE title owned by a simulated account")
			return nil, nil
		}
		t := simsx.OneOf(testData.Rand(), titles)
		owner := testData.GetAccount(reporter, t.Owner)
		return []simsx.SimAccount{owner}, &types.MsgRequestRedemption{Owner: owner.AddressBech32, TitleId: t.Id}
	}
}

// MsgRequestRedemptionInvalidFactory redeems a title that is not ACTIVE (by
// its owner) or a title of another owner.
func MsgRequestRedemptionInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgRequestRedemption](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRequestRedemption, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if r.Intn(2) == 0 {
			locked := filterTitles(titlesIn(ctx, k, types.StatusPendingCustody, types.StatusPledged, types.StatusRedemptionRequested, types.StatusCasualty), ownedBySim(testData))
			if len(locked) > 0 {
				t := simsx.OneOf(r, locked)
				owner := testData.GetAccount(reporter, t.Owner)
				return []simsx.SimAccount{owner}, &types.MsgRequestRedemption{Owner: owner.AddressBech32, TitleId: t.Id},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
		}
		t, signer, ok := strangerOfLiveTitle(ctx, k, testData, reporter, titleOwner)
		if !ok {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgRequestRedemption{Owner: signer.AddressBech32, TitleId: t.Id},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgCancelRedemptionFactory withdraws a redemption request, signed by the title's owner.
func MsgCancelRedemptionFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgCancelRedemption] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelRedemption) {
		titles := filterTitles(titlesIn(ctx, k, types.StatusRedemptionRequested), ownedBySim(testData))
		if len(titles) == 0 {
			reporter.Skip("no title with a redemption request")
			return nil, nil
		}
		t := simsx.OneOf(testData.Rand(), titles)
		owner := testData.GetAccount(reporter, t.Owner)
		return []simsx.SimAccount{owner}, &types.MsgCancelRedemption{Owner: owner.AddressBech32, TitleId: t.Id}
	}
}

// MsgCancelRedemptionInvalidFactory cancels the redemption of an ACTIVE
// title (nothing to cancel) or of another owner's title.
func MsgCancelRedemptionInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgCancelRedemption](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCancelRedemption, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if r.Intn(2) == 0 {
			if titles := transferable(ctx, k, testData); len(titles) > 0 {
				t := simsx.OneOf(r, titles)
				owner := testData.GetAccount(reporter, t.Owner)
				return []simsx.SimAccount{owner}, &types.MsgCancelRedemption{Owner: owner.AddressBech32, TitleId: t.Id},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
		}
		t, signer, ok := strangerOfLiveTitle(ctx, k, testData, reporter, titleOwner)
		if !ok {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgCancelRedemption{Owner: signer.AddressBech32, TitleId: t.Id},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgConfirmRedemptionFactory burns a title whose owner asked for redemption,
// signed by its custodian.
func MsgConfirmRedemptionFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgConfirmRedemption] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgConfirmRedemption) {
		titles := filterTitles(titlesIn(ctx, k, types.StatusRedemptionRequested), heldByActiveSimCustodian(ctx, k, testData))
		if len(titles) == 0 {
			reporter.Skip("no title with a redemption request held by an active simulated custodian")
			return nil, nil
		}
		t := simsx.OneOf(testData.Rand(), titles)
		custodian := testData.GetAccount(reporter, t.Custodian)
		return []simsx.SimAccount{custodian}, &types.MsgConfirmRedemption{Custodian: custodian.AddressBech32, TitleId: t.Id}
	}
}

// MsgConfirmRedemptionInvalidFactory burns a title whose owner did not ask
// for redemption (by its custodian), or is signed by another account than
// the title's custodian.
func MsgConfirmRedemptionInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgConfirmRedemption](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgConfirmRedemption, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if r.Intn(2) == 0 {
			titles := filterTitles(titlesIn(ctx, k, types.StatusActive, types.StatusPledged, types.StatusPendingCustody), heldByActiveSimCustodian(ctx, k, testData))
			if len(titles) > 0 {
				t := simsx.OneOf(r, titles)
				custodian := testData.GetAccount(reporter, t.Custodian)
				return []simsx.SimAccount{custodian}, &types.MsgConfirmRedemption{Custodian: custodian.AddressBech32, TitleId: t.Id},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
		}
		t, signer, ok := strangerOfLiveTitle(ctx, k, testData, reporter, titleCustodian)
		if !ok {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgConfirmRedemption{Custodian: signer.AddressBech32, TitleId: t.Id},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// custodyDue returns the titles in custody of custodian, the stalest first.
func custodyDue(ctx context.Context, k *keeper.Keeper, custodian sdk.AccAddress) []types.Title {
	type due struct {
		t types.Title
		c types.Custody
	}
	var list []due
	_ = k.Titles.Indexes.Custodian.Walk(ctx, collections.NewPrefixedPairRange[sdk.AccAddress, uint64](custodian),
		func(key collections.Pair[sdk.AccAddress, uint64]) (bool, error) {
			t, err := k.Titles.Get(ctx, key.K2())
			if err != nil || !types.InCustody(t.Status) {
				return false, nil
			}
			c, err := k.Custody.Get(ctx, t.Id)
			if err != nil {
				return false, nil
			}
			list = append(list, due{t, c})
			return false, nil
		})
	slices.SortStableFunc(list, func(a, b due) int {
		if a.c.Stale != b.c.Stale {
			if a.c.Stale {
				return -1
			}
			return 1
		}
		return a.c.ExpiresAt.Compare(b.c.ExpiresAt)
	})
	out := make([]types.Title, len(list))
	for i, d := range list {
		out[i] = d.t
	}
	return out
}

// MsgAttestCustodyFactory refreshes the attestations of a custodian's titles,
// the stalest first, up to params.max_titles_per_attestation.
func MsgAttestCustodyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgAttestCustody] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAttestCustody) {
		r := testData.Rand()
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		custodians := roleAccounts(ctx, k, testData, reporter, types.RoleCustodian)
		start := 0
		if len(custodians) > 0 {
			start = r.Intn(len(custodians))
		}
		for i := range custodians {
			custodian := custodians[(start+i)%len(custodians)]
			titles := custodyDue(ctx, k, custodian.Address)
			if len(titles) == 0 {
				continue
			}
			n := min(len(titles), int(params.MaxTitlesPerAttestation))
			n = max(1, n-r.Intn(n/4+1)) // mostly all that are due, sometimes fewer
			ids := make([]uint64, n)
			for j := range ids {
				ids[j] = titles[j].Id
			}
			facility := ""
			if r.Intn(5) == 0 {
				facility = fmt.Sprintf("sim-dc-%d", r.Intn(3))
			}
			return []simsx.SimAccount{custodian}, &types.MsgAttestCustody{
				Custodian: custodian.AddressBech32,
				TitleIds:  ids,
				Online:    r.Intn(10) != 0,
				UptimeBps: uint32(9_000 + r.Intn(1_001)),
				Facility:  facility,
			}
		}
		reporter.Skip("no title in custody of an active simulated custodian")
		return nil, nil
	}
}

// MsgAttestCustodyInvalidFactory attests from an account that is no active
// custodian, attests a title still pending custody, or reports an uptime
// above 100%.
func MsgAttestCustodyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgAttestCustody](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAttestCustody, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		switch r.Intn(3) {
		case 0:
			pending := filterTitles(titlesIn(ctx, k, types.StatusPendingCustody), heldByActiveSimCustodian(ctx, k, testData))
			if len(pending) > 0 {
				t := simsx.OneOf(r, pending)
				custodian := testData.GetAccount(reporter, t.Custodian)
				return []simsx.SimAccount{custodian}, &types.MsgAttestCustody{Custodian: custodian.AddressBech32, TitleIds: []uint64{t.Id}, Online: true, UptimeBps: 10_000},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
			fallthrough
		case 1:
			signer := testData.AnyAccount(reporter)
			return []simsx.SimAccount{signer}, &types.MsgAttestCustody{Custodian: signer.AddressBech32, TitleIds: []uint64{1}, Online: true, UptimeBps: types.MaxUptimeBps + 1 + uint32(r.Intn(1000))},
				simutil.ExpectError(types.ErrInvalidAttestation)
		default:
			signer, ok := nonRoleAccount(ctx, k, testData, reporter, types.RoleCustodian)
			if !ok {
				reporter.Skip("every account is a custodian")
				return nil, nil, nil
			}
			ids := []uint64{unknownTitleID(ctx, k)}
			if titles := titlesIn(ctx, k, types.StatusActive); len(titles) > 0 {
				ids = []uint64{simsx.OneOf(r, titles).Id}
			}
			return []simsx.SimAccount{signer}, &types.MsgAttestCustody{Custodian: signer.AddressBech32, TitleIds: ids, Online: true, UptimeBps: 10_000},
				simutil.ExpectError(sdkerrors.ErrUnauthorized)
		}
	})
}

// MsgReportCasualtyFactory reports the hardware of a live title destroyed,
// signed by its custodian. Pledged titles are included: x/lending's
// AfterCasualty hook then takes them out of their loan.
func MsgReportCasualtyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgReportCasualty] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgReportCasualty) {
		titles := filterTitles(titlesIn(ctx, k, liveStatuses...), heldByActiveSimCustodian(ctx, k, testData))
		if len(titles) == 0 {
			reporter.Skip("no live title held by an active simulated custodian")
			return nil, nil
		}
		r := testData.Rand()
		t := simsx.OneOf(r, titles)
		custodian := testData.GetAccount(reporter, t.Custodian)
		return []simsx.SimAccount{custodian}, &types.MsgReportCasualty{
			Custodian: custodian.AddressBech32, TitleId: t.Id,
			Reason: simsx.OneOf(r, []string{"fire in the data hall", "flood", "stolen in transit", "power surge"}),
		}
	}
}

// MsgReportCasualtyInvalidFactory reports a casualty twice, or from another
// account than the title's custodian.
func MsgReportCasualtyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgReportCasualty](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgReportCasualty, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		if r.Intn(2) == 0 {
			lost := filterTitles(titlesIn(ctx, k, types.StatusCasualty), heldByActiveSimCustodian(ctx, k, testData))
			if len(lost) > 0 {
				t := simsx.OneOf(r, lost)
				custodian := testData.GetAccount(reporter, t.Custodian)
				return []simsx.SimAccount{custodian}, &types.MsgReportCasualty{Custodian: custodian.AddressBech32, TitleId: t.Id, Reason: "reported again"},
					simutil.ExpectError(types.ErrInvalidStatus)
			}
		}
		t, signer, ok := strangerOfLiveTitle(ctx, k, testData, reporter, titleCustodian)
		if !ok {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgReportCasualty{Custodian: signer.AddressBech32, TitleId: t.Id, Reason: "false report"},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// hasValidAppraisal reports whether appraiser's appraisal of the title is unexpired.
func hasValidAppraisal(ctx context.Context, k *keeper.Keeper, titleID uint64, appraiser sdk.AccAddress) bool {
	appraisals, err := k.TitleAppraisals(ctx, titleID)
	if err != nil {
		return false
	}
	for _, a := range appraisals {
		if a.Appraiser == appraiser.String() {
			return a.ValidUntil.After(blockTime(ctx))
		}
	}
	return false
}

// MsgAppraiseFactory appraises a live title, preferring titles the appraiser
// has no valid appraisal of, so that new titles become valuable collateral fast.
func MsgAppraiseFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgAppraise] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAppraise) {
		r := testData.Rand()
		appraisers := roleAccounts(ctx, k, testData, reporter, types.RoleAppraiser)
		if len(appraisers) == 0 {
			reporter.Skip("no active appraiser")
			return nil, nil
		}
		titles := titlesIn(ctx, k, liveStatuses...)
		if len(titles) == 0 {
			reporter.Skip("no live title")
			return nil, nil
		}
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil
		}
		appraiser := simsx.OneOf(r, appraisers)
		if r.Intn(10) < 8 {
			fresh := filterTitles(slices.Clone(titles), func(t types.Title) bool { return !hasValidAppraisal(ctx, k, t.Id, appraiser.Address) })
			if len(fresh) > 0 {
				titles = fresh
			}
		}
		t := simsx.OneOf(r, titles)
		return []simsx.SimAccount{appraiser}, &types.MsgAppraise{
			Appraiser:    appraiser.AddressBech32,
			TitleId:      t.Id,
			Value:        unitValue(r).MulRaw(int64(t.Units)),
			ValidUntil:   blockTime(ctx).Add(durationIn(r.Rand, params.MaxAppraisalValidity/4, params.MaxAppraisalValidity)),
			ReportSha256: reportHash("appraisal", t.Id, appraiser.AddressBech32, blockTime(ctx).Unix()),
		}
	}
}

// MsgAppraiseInvalidFactory appraises from an account that is no active
// appraiser, with a validity beyond params.max_appraisal_validity, or an
// unknown title.
func MsgAppraiseInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[*types.MsgAppraise](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAppraise, simsx.SimDeliveryResultHandler) {
		r := testData.Rand()
		params, err := k.Params.Get(ctx)
		if err != nil {
			reporter.Skip(err.Error())
			return nil, nil, nil
		}
		now := blockTime(ctx)
		msg := &types.MsgAppraise{
			TitleId:      unknownTitleID(ctx, k),
			Value:        unitValue(r),
			ValidUntil:   now.Add(params.MaxAppraisalValidity / 2),
			ReportSha256: reportHash("invalid appraisal", now.Unix()),
		}
		if titles := titlesIn(ctx, k, liveStatuses...); len(titles) > 0 {
			msg.TitleId = simsx.OneOf(r, titles).Id
		}
		appraisers := roleAccounts(ctx, k, testData, reporter, types.RoleAppraiser)
		switch {
		case r.Intn(3) == 0 || len(appraisers) == 0:
			signer, ok := nonRoleAccount(ctx, k, testData, reporter, types.RoleAppraiser)
			if !ok {
				reporter.Skip("every account is an appraiser")
				return nil, nil, nil
			}
			msg.Appraiser = signer.AddressBech32
			return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
		case r.Intn(2) == 0:
			appraiser := simsx.OneOf(r, appraisers)
			msg.Appraiser = appraiser.AddressBech32
			msg.TitleId = unknownTitleID(ctx, k)
			return []simsx.SimAccount{appraiser}, msg, simutil.ExpectError(types.ErrTitleNotFound)
		default:
			if msg.TitleId == unknownTitleID(ctx, k) {
				reporter.Skip("no live title")
				return nil, nil, nil
			}
			appraiser := simsx.OneOf(r, appraisers)
			msg.Appraiser = appraiser.AddressBech32
			msg.ValidUntil = now.Add(params.MaxAppraisalValidity + durationIn(r.Rand, 1e9*60, 30*24*3600*1e9))
			return []simsx.SimAccount{appraiser}, msg, simutil.ExpectError(types.ErrInvalidExpiry)
		}
	})
}
