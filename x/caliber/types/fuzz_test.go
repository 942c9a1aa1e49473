package types_test

import (
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/fuzzutil"
)

const fuzzDoc = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

func addrSeed(name string) []byte { return append([]byte{1}, []byte(name)...) }

// FuzzMsgValidateBasic builds every x/caliber message from fuzzed fields: no
// ValidateBasic panics, every error is registered, and a message that passes
// has signer and party addresses the msg server can parse without panicking.
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(addrSeed("issuer______________"), addrSeed("owner_______________"), addrSeed("custodian___________"),
		"nvidia-h100-sxm5-80gb", "SN-1,SN-2", "DAL-01", fuzzDoc, []byte{0, 100}, []byte{0, 50}, []byte{0, 0x0d, 0xe0, 0xb6, 0xb3, 0xa7, 0x64, 0},
		uint64(2), uint32(1), int64(86400), []byte{1, 2, 3}, true)
	f.Add([]byte{0}, []byte{}, addrSeed("x"), "Bad Class", "sn-lower,SN-1,SN-1", "\xff\xfe", "ABCDEF", []byte{1, 1}, []byte{}, []byte{},
		uint64(0), uint32(10_001), int64(0), []byte{0, 0}, false)
	f.Add(addrSeed("a"), addrSeed("a"), addrSeed("a"), "g", "", "", "", []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		[]byte{0, 1}, []byte{0, 1}, uint64(1_000_001), uint32(33), int64(-5), []byte{}, true)
	f.Fuzz(func(t *testing.T, a1, a2, a3 []byte, classID, serials, text, sha string, n1, n2, d []byte,
		u64 uint64, u32 uint32, secs int64, ids []byte, flag bool,
	) {
		addr1, addr2, addr3 := fuzzutil.Addr(a1), fuzzutil.Addr(a2), fuzzutil.Addr(a3)
		amount1, amount2, ratio := fuzzutil.Int(n1), fuzzutil.Int(n2), fuzzutil.Dec(d)
		at := fuzzutil.Time(time.Unix(0, 0).UTC(), secs)
		dur := time.Duration(secs) * time.Second
		roles := make([]types.Role, len(ids))
		titleIDs := make([]uint64, len(ids))
		for i, b := range ids {
			roles[i] = types.Role(b % 8)
			titleIDs[i] = uint64(b)
		}
		party := types.Party{Address: addr1, Roles: roles, Name: text, Active: flag, MetadataUri: text}
		class := types.AssetClass{
			Id: classID, Kind: types.AssetKind(u32 % 6), Manufacturer: text, Model: text, MaxLtv: ratio,
			DepreciationPerYear: ratio, ResidualRatio: ratio, MinAppraisals: u32, MarketFeed: sha, Eligible: flag,
		}
		var serialList []string
		if serials != "" {
			serialList = strings.Split(serials, ",")
		}
		params := types.Params{
			CustodyAttestationMaxAge: dur, MaxStaleChecksPerBlock: u32, MaxSerialsPerTitle: u32,
			MaxTitlesPerAttestation: u32, MaxPolicyExpiriesPerBlock: u32, MaxAppraisalValidity: dur, MaxPolicyDuration: dur,
		}

		cases := []struct {
			msg   sdk.HasValidateBasic
			addrs []string
		}{
			{&types.MsgRegisterParty{Authority: addr2, Party: party}, []string{addr2, addr1}},
			{&types.MsgUpdateParty{Authority: addr2, Party: party}, []string{addr2, addr1}},
			{&types.MsgSetPartyActive{Authority: addr2, Address: addr1, Active: flag}, []string{addr2, addr1}},
			{&types.MsgAddAssetClass{Authority: addr2, AssetClass: class}, []string{addr2}},
			{&types.MsgUpdateAssetClass{Authority: addr2, AssetClass: class}, []string{addr2}},
			{&types.MsgMintTitle{
				Issuer: addr1, ClassId: classID, Owner: addr2, Custodian: addr3, Units: u64, Serials: serialList,
				Facility: text, Jurisdiction: text, Legal: types.LegalInfo{SpvId: text, DocumentSha256: sha, Uri: text}, MetadataUri: text,
			}, []string{addr1, addr2, addr3}},
			{&types.MsgConfirmCustody{Custodian: addr3, TitleId: u64}, []string{addr3}},
			{&types.MsgTransferTitle{Owner: addr1, TitleId: u64, Recipient: addr2}, []string{addr1, addr2}},
			{&types.MsgRequestRedemption{Owner: addr1, TitleId: u64}, []string{addr1}},
			{&types.MsgCancelRedemption{Owner: addr1, TitleId: u64}, []string{addr1}},
			{&types.MsgConfirmRedemption{Custodian: addr3, TitleId: u64}, []string{addr3}},
			{&types.MsgAttestCustody{Custodian: addr3, TitleIds: titleIDs, Online: flag, UptimeBps: u32, Facility: text}, []string{addr3}},
			{&types.MsgReportCasualty{Custodian: addr3, TitleId: u64, Reason: text}, []string{addr3}},
			{&types.MsgAppraise{Appraiser: addr1, TitleId: u64, Value: amount1, ValidUntil: at, ReportSha256: sha}, []string{addr1}},
			{&types.MsgFundInsurancePool{Insurer: addr1, Amount: amount1}, []string{addr1}},
			{&types.MsgWithdrawInsurancePool{Insurer: addr1, Amount: amount2}, []string{addr1}},
			{&types.MsgRequestPolicy{
				Owner: addr1, TitleId: u64, Insurer: addr2, InsuredValue: amount1, Coverage: amount2, ExpiresAt: at, MaxPremium: amount2,
			}, []string{addr1, addr2}},
			{&types.MsgCancelPolicyRequest{Owner: addr1, RequestId: u64}, []string{addr1}},
			{&types.MsgIssuePolicy{Insurer: addr2, RequestId: u64, Premium: amount2}, []string{addr2}},
			{&types.MsgUpdateParams{Authority: addr2, Params: params}, []string{addr2}},
		}
		for _, c := range cases {
			err := c.msg.ValidateBasic()
			fuzzutil.RequireRegistered(t, err, types.ModuleName)
			if err != nil {
				continue
			}
			for _, a := range c.addrs {
				sdk.MustAccAddressFromBech32(a)
			}
		}
	})
}

// FuzzValuation checks ComputeValuation on fuzzed classes, appraisals and
// market prices within the bounds the keeper enforces (ratios in [0, 1],
// amounts up to MaxAmount, units up to MaxUnits): the depreciation factor
// lies in [residual, 1] and never grows with age, no depreciated value
// exceeds its appraisal, the appraised value lies between the smallest and
// largest depreciated value, and the title's value never exceeds the
// appraised value, the market value or the largest appraisal.
func FuzzValuation(f *testing.F) {
	f.Add(uint64(200_000_000_000_000_000), uint64(200_000_000_000_000_000), uint8(1), uint64(8),
		[]byte{0, 0x2e, 0x90, 0xed, 0xd0, 0}, int64(86400), int64(86400*365), []byte{0, 0x1b, 0xc1, 0x6d, 0x67, 0x4e, 0xc8, 0, 0}, true)
	f.Add(uint64(0), uint64(1), uint8(3), uint64(1), []byte{0, 1}, int64(0), int64(1), []byte{}, false)
	f.Add(uint64(1<<63), uint64(1<<62), uint8(2), uint64(1_000_000), []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
		int64(40*types.SecondsPerYear), int64(-1), []byte{0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, true)
	f.Fuzz(func(t *testing.T, depBits, residualBits uint64, minAppraisals uint8, units uint64, values []byte,
		ageStep, validity int64, price []byte, withMarket bool,
	) {
		now := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		one := math.LegacyOneDec()
		class := types.AssetClass{
			Id: "gpu", DepreciationPerYear: fuzzutil.DecBetween(depBits, one), ResidualRatio: fuzzutil.DecBetween(residualBits, one),
			MinAppraisals: uint32(minAppraisals%types.MaxMinAppraisals) + 1,
		}
		units = units%types.MaxUnits + 1
		ageStep %= 20 * types.SecondsPerYear

		// Up to 8 appraisals of 12 bytes each, appraised ageStep apart.
		var appraisals []types.Appraisal
		maxValue := math.ZeroInt()
		for i := 0; len(values) >= 12 && i < 8; i++ {
			v := fuzzutil.NonNegInt(append([]byte{0}, values[:12]...)).Mod(types.MaxAmount).AddRaw(1)
			values = values[12:]
			at := now.Add(-time.Duration(int64(i)*ageStep) * time.Second)
			appraisals = append(appraisals, types.Appraisal{
				TitleId: 1, Appraiser: "appraiser", Value: v, AppraisedAt: at,
				ValidUntil: at.Add(time.Duration(validity%(2*types.SecondsPerYear)) * time.Second),
			})
			maxValue = math.MaxInt(maxValue, v)
		}
		var market *math.LegacyDec
		if p := fuzzutil.Dec(price); withMarket && !p.IsNil() {
			p = p.Abs()
			market = &p
		}

		v, err := types.ComputeValuation(types.ValuationInput{
			TitleID: 1, Class: class, Units: units, Appraisals: appraisals, Now: now, MarketPrice: market,
		})
		fuzzutil.RequireRegistered(t, err, types.ModuleName)
		counted := 0
		for _, a := range appraisals {
			if a.ValidUntil.After(now) {
				counted++
			}
		}
		if err != nil {
			if counted >= int(class.MinAppraisals) && counted > 0 {
				t.Fatalf("no valuation from %d valid appraisals (min %d): %v", counted, class.MinAppraisals, err)
			}
			return
		}
		if len(v.Appraisals) != counted {
			t.Fatalf("%d appraisals counted, %d unexpired", len(v.Appraisals), counted)
		}
		lo, hi := v.Appraisals[0].DepreciatedValue, v.Appraisals[0].DepreciatedValue
		for _, va := range v.Appraisals {
			if va.Factor.LT(class.ResidualRatio) || va.Factor.GT(one) {
				t.Fatalf("factor %s outside [%s, 1]", va.Factor, class.ResidualRatio)
			}
			age := int64(now.Sub(va.AppraisedAt) / time.Second)
			if later := types.DepreciationFactor(class.DepreciationPerYear, class.ResidualRatio, age+ageStep+1); later.GT(va.Factor) {
				t.Fatalf("factor grows with age: %s at %d s, %s later", va.Factor, age, later)
			}
			if va.DepreciatedValue.GT(va.Value) || va.DepreciatedValue.IsNegative() {
				t.Fatalf("depreciated %s of an appraisal of %s", va.DepreciatedValue, va.Value)
			}
			lo, hi = math.MinInt(lo, va.DepreciatedValue), math.MaxInt(hi, va.DepreciatedValue)
		}
		if v.AppraisedValue.LT(lo) || v.AppraisedValue.GT(hi) {
			t.Fatalf("appraised %s outside [%s, %s]", v.AppraisedValue, lo, hi)
		}
		if v.Value.GT(v.AppraisedValue) || v.Value.GT(maxValue) || v.Value.IsNegative() {
			t.Fatalf("value %s above appraised %s or largest appraisal %s", v.Value, v.AppraisedValue, maxValue)
		}
		if v.HasMarketValue {
			if v.Value.GT(v.MarketValue) {
				t.Fatalf("value %s above market %s", v.Value, v.MarketValue)
			}
			if !v.Value.Equal(math.MinInt(v.AppraisedValue, v.MarketValue)) {
				t.Fatalf("value %s is not min(%s, %s)", v.Value, v.AppraisedValue, v.MarketValue)
			}
		} else if !v.Value.Equal(v.AppraisedValue) {
			t.Fatalf("value %s without market value differs from appraised %s", v.Value, v.AppraisedValue)
		}
	})
}

// FuzzValueClaim checks what value insurance pays after a sale: never more
// than the coverage or the shortfall below the insured value, never negative,
// and the whole shortfall when the coverage allows.
func FuzzValueClaim(f *testing.F) {
	f.Add([]byte{0, 100}, []byte{0, 60}, []byte{0, 30})
	f.Add([]byte{0, 100}, []byte{0, 60}, []byte{0, 130})
	f.Fuzz(func(t *testing.T, insuredB, coverageB, saleB []byte) {
		insured, coverage, sale := fuzzutil.NonNegInt(insuredB), fuzzutil.NonNegInt(coverageB), fuzzutil.NonNegInt(saleB)
		claim := types.ValueClaim(insured, coverage, sale)
		shortfall := math.MaxInt(math.ZeroInt(), insured.Sub(sale))
		if claim.IsNegative() || claim.GT(coverage) || claim.GT(shortfall) {
			t.Fatalf("claim %s (insured %s, coverage %s, sale %s)", claim, insured, coverage, sale)
		}
		if !claim.Equal(math.MinInt(coverage, shortfall)) {
			t.Fatalf("claim %s, want min(%s, %s)", claim, coverage, shortfall)
		}
	})
}
