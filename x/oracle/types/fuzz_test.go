package types_test

import (
	"encoding/binary"
	"slices"
	"testing"
	"time"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/internal/fuzzutil"
	"github.com/infrafi/infrafi/x/oracle/types"
)

// addrSeed is fuzz input that fuzzutil.Addr turns into a valid address.
func addrSeed(name string) []byte { return append([]byte{1}, []byte(name)...) }

// FuzzMsgValidateBasic builds every x/oracle message from fuzzed fields: no
// ValidateBasic panics, every error is registered, and a message that passes
// has signer addresses the msg server can parse without panicking.
func FuzzMsgValidateBasic(f *testing.F) {
	f.Add(addrSeed("feeder______________"), addrSeed("authority___________"), "gpu/nvidia-h100", "uusdai/gpu",
		[]byte{0, 1}, uint32(1), int64(600), true)
	f.Add([]byte{0, 'x'}, []byte{}, "Bad//ID/", "\xff", []byte{1, 5}, uint32(0), int64(-1), false)
	f.Add(addrSeed("a"), addrSeed("b"), "rate/tbill", "apr", []byte{}, uint32(5000), int64(0), true)
	f.Fuzz(func(t *testing.T, addr1, addr2 []byte, feedID, text string, value []byte, count uint32, secs int64, withExpiry bool) {
		feeder, authority := fuzzutil.Addr(addr1), fuzzutil.Addr(addr2)
		v := fuzzutil.Dec(value)
		var expiry *time.Time
		if withExpiry {
			e := fuzzutil.Time(time.Unix(0, 0), secs)
			expiry = &e
		}
		feed := types.Feed{Id: feedID, Description: text, Unit: text, MinFeeders: count, MaxAge: time.Duration(secs) * time.Second}
		params := types.NewParams(time.Duration(secs)*time.Second, time.Duration(count)*time.Second, count, v, types.DefaultMinPower)

		cases := []struct {
			msg     sdk.HasValidateBasic
			signers []string
		}{
			{&types.MsgPostPrice{Feeder: feeder, FeedId: feedID, Value: v, ExpiresAt: expiry}, []string{feeder}},
			{&types.MsgAddFeed{Authority: authority, Feed: feed}, []string{authority}},
			{&types.MsgUpdateFeed{Authority: authority, Feed: feed}, []string{authority}},
			{&types.MsgRemoveFeed{Authority: authority, FeedId: feedID}, []string{authority}},
			{&types.MsgAddFeeder{Authority: authority, FeedId: feedID, Feeder: feeder}, []string{authority, feeder}},
			{&types.MsgRemoveFeeder{Authority: authority, FeedId: feedID, Feeder: feeder}, []string{authority, feeder}},
			{&types.MsgUpdateParams{Authority: authority, Params: params}, []string{authority}},
		}
		for _, c := range cases {
			err := c.msg.ValidateBasic()
			fuzzutil.RequireRegistered(t, err, types.ModuleName)
			if err != nil {
				continue
			}
			for _, s := range c.signers {
				sdk.MustAccAddressFromBech32(s)
			}
		}
	})
}

// decsFrom cuts data into 9-byte values: a sign-and-precision byte and 8
// bytes of magnitude, so values span 10^-18 to 10^19 of either sign.
func decsFrom(data []byte) []math.LegacyDec {
	var out []math.LegacyDec
	for len(data) >= 9 && len(out) < 64 {
		v := int64(binary.BigEndian.Uint64(data[1:9]) >> 1)
		if data[0]&0x80 != 0 {
			v = -v
		}
		out = append(out, math.LegacyNewDecWithPrec(v, int64(data[0]&0x7f)%(math.LegacyPrecision+1)))
		data = data[9:]
	}
	return out
}

// FuzzMedian checks Median's properties on any list: it lies within
// [min, max], as many values lie strictly below it as strictly above it at
// most half the list each, it does not depend on the order of the values and
// it leaves its input unchanged.
func FuzzMedian(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 0, 0, 200})
	f.Add([]byte{18, 0, 0, 0, 0, 0, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 7, 5, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		values := decsFrom(data)
		original := slices.Clone(values)
		m, err := types.Median(values)
		if len(values) == 0 {
			if err == nil {
				t.Fatal("median of no values must fail")
			}
			return
		}
		if err != nil {
			t.Fatalf("median of %v: %v", values, err)
		}
		for i := range values {
			if !values[i].Equal(original[i]) {
				t.Fatalf("input modified at %d: %s -> %s", i, original[i], values[i])
			}
		}
		lo, hi := values[0], values[0]
		below, above := 0, 0
		for _, v := range values {
			lo, hi = math.LegacyMinDec(lo, v), math.LegacyMaxDec(hi, v)
			if v.LT(m) {
				below++
			}
			if v.GT(m) {
				above++
			}
		}
		if m.LT(lo) || m.GT(hi) {
			t.Fatalf("median %s outside [%s, %s] of %v", m, lo, hi, values)
		}
		if 2*below > len(values) || 2*above > len(values) {
			t.Fatalf("median %s of %v: %d values below, %d above", m, values, below, above)
		}
		if len(values)%2 == 1 && !slices.ContainsFunc(values, m.Equal) {
			t.Fatalf("median %s of an odd count is not one of %v", m, values)
		}
		reversed := slices.Clone(values)
		slices.Reverse(reversed)
		if m2, err := types.Median(reversed); err != nil || !m2.Equal(m) {
			t.Fatalf("median depends on order: %s vs %s (%v)", m, m2, err)
		}
	})
}
