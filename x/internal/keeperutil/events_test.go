package keeperutil

import (
	"math/big"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/math"
	"cosmossdk.io/x/feegrant"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/cosmos/gogoproto/proto"
	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/reflect/protoreflect"

	sdk "github.com/cosmos/cosmos-sdk/types"
	txtypes "github.com/cosmos/cosmos-sdk/types/tx"
	govv1 "github.com/cosmos/cosmos-sdk/x/gov/types/v1"

	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// The event messages of each module's events.proto, at the time of writing.
// A module may add events; the enumeration must not find fewer.
var minEvents = map[string]int{
	"infrafi.caliber.v1": 20,
	"infrafi.lending.v1": 22,
	"infrafi.oracle.v1":  8,
	"infrafi.stable.v1":  6,
	"infrafi.yield.v1":   20,
}

// eventTypes lists every registered message named Event* in the files
// infrafi/<module>/v1/*.proto, by module package.
func eventTypes(t *testing.T) map[string][]reflect.Type {
	t.Helper()
	found := map[string][]reflect.Type{}
	proto.HybridResolver.RangeFiles(func(fd protoreflect.FileDescriptor) bool {
		parts := strings.Split(fd.Path(), "/")
		if len(parts) != 4 || parts[0] != "infrafi" || parts[2] != "v1" {
			return true
		}
		msgs := fd.Messages()
		for i := 0; i < msgs.Len(); i++ {
			md := msgs.Get(i)
			if !strings.HasPrefix(string(md.Name()), "Event") {
				continue
			}
			typ := proto.MessageType(string(md.FullName()))
			require.NotNil(t, typ, "no Go type registered for %s", md.FullName())
			found[string(fd.Package())] = append(found[string(fd.Package())], typ)
		}
		return true
	})
	require.Len(t, found, len(minEvents), "modules with events: %v", found)
	for pkg, n := range minEvents {
		require.GreaterOrEqual(t, len(found[pkg]), n, "events of %s", pkg)
	}
	return found
}

func TestTypedEventMatchesSDK(t *testing.T) {
	f := &filler{r: rand.New(rand.NewSource(20))}
	total := 0
	for _, types := range eventTypes(t) {
		for _, typ := range types {
			total++
			f.requireSameRandom(t, typ)
		}
	}
	require.GreaterOrEqual(t, total, 76)
}

// TestTypedEventOtherKinds covers the kinds our events do not use yet:
// nullable messages, durations and times, int32, bytes, DecCoin.
func TestTypedEventOtherKinds(t *testing.T) {
	f := &filler{r: rand.New(rand.NewSource(21))}
	for _, msg := range []proto.Message{
		&sdk.Coin{}, &sdk.DecCoin{},
		&govv1.Params{},            // *time.Duration, repeated Coin
		&govv1.Vote{},              // repeated *WeightedVoteOption
		&feegrant.BasicAllowance{}, // *time.Time
		&abci.ResponseQuery{},      // bytes, *ProofOps
		&cmtproto.Vote{},           // int32, bytes, enum, time
	} {
		f.requireSameRandom(t, reflect.TypeOf(msg))
	}
}

// requireSameRandom checks the zero message of typ and many filled ones, and
// that typ does not fall back.
func (f *filler) requireSameRandom(t *testing.T, typ reflect.Type) {
	t.Helper()
	msg := reflect.New(typ.Elem()).Interface().(proto.Message)
	require.Empty(t, planOf(msg).fallback, "%v must not fall back", typ)
	requireSame(t, msg, true, false) // the zero message: nil LegacyDecs
	for range 300 {
		msg := reflect.New(typ.Elem()).Interface().(proto.Message)
		f.parses, f.exact = true, true
		f.fill(reflect.ValueOf(msg).Elem(), 0)
		requireSame(t, msg, f.parses, f.exact)
	}
}

// requireSame requires TypedEvent(msg) to be sdk.TypedEventToEvent(msg) and,
// when msg's values parse, the event to parse back with sdk.ParseTypedEvent
// into a message whose event is the same again when its values are exact
// (survive JSON unchanged), and is a fixed point of parsing anyway.
func requireSame(t *testing.T, msg proto.Message, parses, exact bool) {
	t.Helper()
	want, wantErr := sdk.TypedEventToEvent(msg)
	got, err := TypedEvent(msg)
	if wantErr != nil {
		require.EqualError(t, err, wantErr.Error(), "%#v", msg)
		return
	}
	require.NoError(t, err)
	require.Equal(t, want, got, "%#v", msg)
	if !parses {
		return
	}
	again := reparse(t, got)
	if exact {
		require.Equal(t, got, again)
	}
	require.Equal(t, again, reparse(t, again))
}

// reparse parses ev with sdk.ParseTypedEvent and returns the parsed message's
// event, required to be the same from TypedEvent and the SDK.
func reparse(t *testing.T, ev sdk.Event) sdk.Event {
	t.Helper()
	parsed, err := sdk.ParseTypedEvent(abci.Event(ev))
	require.NoError(t, err, "%v", ev)
	require.Equal(t, ev.Type, proto.MessageName(parsed))
	want, err := sdk.TypedEventToEvent(parsed)
	require.NoError(t, err)
	got, err := TypedEvent(parsed)
	require.NoError(t, err)
	require.Equal(t, want, got)
	return got
}

func TestTypedEventValues(t *testing.T) {
	big300 := math.NewInt(1)
	big300.BigIntMut().Lsh(big300.BigIntMut(), 300) // beyond NewIntFromBigInt's 256 bits
	cases := []struct {
		msg  proto.Message
		key  string
		want string
		part bool // want is part of the value
	}{
		{&yieldtypes.EventDeposit{}, "assets", `"0"`, false},
		{&yieldtypes.EventDeposit{Assets: math.NewInt(-42)}, "assets", `"-42"`, false},
		{&yieldtypes.EventDeposit{Assets: big300}, "assets", `"` + big300.String() + `"`, false},
		{&yieldtypes.EventSeniorFunded{}, "rate", `"0"`, false},
		{&yieldtypes.EventSeniorFunded{Rate: math.LegacyZeroDec()}, "rate", `"0.000000000000000000"`, false},
		{&yieldtypes.EventSeniorFunded{Rate: math.LegacyMustNewDecFromStr("-0.05")}, "rate", `"-0.050000000000000000"`, false},
		{&yieldtypes.EventSeniorFunded{Rate: math.LegacyMustNewDecFromStr("123456789012345678901.5")}, "rate", `"123456789012345678901.500000000000000000"`, false},
		{&calibertypes.EventTitleMinted{TitleId: 18446744073709551615}, "title_id", `"18446744073709551615"`, false},
		{&calibertypes.EventCustodyAttested{UptimeBps: 4294967295}, "uptime_bps", `4294967295`, false},
		{&calibertypes.EventCustodyAttested{}, "title_ids", `[]`, false},
		{&calibertypes.EventCustodyAttested{}, "expires_at", `"0001-01-01T00:00:00Z"`, false},
		{&calibertypes.EventCustodyAttested{ExpiresAt: time.Unix(1, 5e6).In(time.FixedZone("x", 3600))}, "expires_at", `"1970-01-01T00:00:01.005Z"`, false},
		{&calibertypes.EventCustodyAttested{ExpiresAt: time.Unix(1, 5)}, "expires_at", `"1970-01-01T00:00:01.000000005Z"`, false},
		{&calibertypes.EventCustodyAttested{Facility: `<a href="x">&` + "\u2028\xff"}, "facility", `"\u003ca href=\"x\"\u003e\u0026\u2028\ufffd"`, false},
		{&calibertypes.EventTitleStatusChanged{To: calibertypes.StatusActive}, "to", `"TITLE_STATUS_ACTIVE"`, false},
		{&calibertypes.EventTitleStatusChanged{To: 99}, "to", `99`, false},
		{&calibertypes.EventPartyRegistered{Party: calibertypes.Party{Roles: []calibertypes.Role{calibertypes.RoleIssuer, -1}}}, "party",
			`{"address":"","roles":["ROLE_ISSUER",-1],"name":"","active":false,"metadata_uri":""}`, false},
		{&lendingtypes.EventAuctionStarted{Auction: lendingtypes.Auction{Duration: -1500 * time.Millisecond}}, "auction", `"duration":"-1.500s"`, true},
		{&lendingtypes.EventAuctionStarted{Auction: lendingtypes.Auction{Duration: -time.Microsecond}}, "auction", `"duration":"-0.000001s"`, true},
		{&stabletypes.EventMint{}, "fee", `{"denom":"","amount":"0"}`, false},
		{&lendingtypes.EventLockboxWithdrawal{Amount: sdk.Coins{}}, "amount", `[]`, false},
		{&oracletypes.EventPriceAggregated{Valid: true}, "valid", `true`, false},
	}
	for _, tc := range cases {
		requireSame(t, tc.msg, false, false)
		ev, err := TypedEvent(tc.msg)
		require.NoError(t, err)
		var value string
		for _, a := range ev.Attributes {
			if a.Key == tc.key {
				value = a.Value
			}
		}
		if tc.part {
			require.Contains(t, value, tc.want)
		} else {
			require.Equal(t, tc.want, value, "%T.%s", tc.msg, tc.key)
		}
	}
}

func TestTypedEventFallsBack(t *testing.T) {
	for _, msg := range []proto.Message{
		&txtypes.ModeInfo{Sum: &txtypes.ModeInfo_Single_{Single: &txtypes.ModeInfo_Single{Mode: 1}}}, // a oneof
		&txtypes.Tx{}, // Any messages
	} {
		require.NotEmpty(t, planOf(msg).fallback, "%T", msg)
		requireSame(t, msg, false, false)
	}
	// Values jsonpb refuses are left to it, so the error is the SDK's.
	for _, msg := range []proto.Message{
		&yieldtypes.EventEpochClosed{End: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		(*yieldtypes.EventDeposit)(nil),
	} {
		_, err := TypedEvent(msg)
		require.Error(t, err)
		requireSame(t, msg, false, false)
	}
}

func TestEmit(t *testing.T) {
	ev := &yieldtypes.EventRedeemRequested{RequestId: 7, Owner: "owner", Shares: math.NewInt(5), BidBps: 3, Epoch: 2}
	typed := sdk.Context{}.WithEventManager(sdk.NewEventManager())
	require.NoError(t, typed.EventManager().EmitTypedEvent(ev))
	fast := sdk.Context{}.WithEventManager(sdk.NewEventManager())
	require.NoError(t, Emit(fast, ev))
	require.Equal(t, typed.EventManager().Events(), fast.EventManager().Events())
	require.Len(t, fast.EventManager().Events(), 1)
}

// filler sets every field of a message to a pseudo-random value chosen among
// the edge cases of its kind.
type filler struct {
	r *rand.Rand
	// parses turns false on a value jsonpb or math refuse to parse or render
	// (beyond math's bit limits, a time after year 9999); exact turns false
	// on one that parses back as another value (invalid UTF-8, a nil LegacyDec).
	parses, exact bool
}

var (
	fillStrings = []string{
		"", "a", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "gpu/nvidia-h100",
		`<>&"\`, "\u2028\u2029", "héllo wörld ✓ 日本語", "😀", "\x00\x01\b\f\n\r\t\x1f\x7f",
		"tab\there", "a</script>b", "ƒ\u00a0\ufeff",
	}
	invalidUTF8 = []string{"\xff", "a\xc3", "\xed\xa0\x80", "ok\xf0\x9f\x98"}
)

func (f *filler) fill(v reflect.Value, depth int) {
	t := v.Type()
	switch t {
	case reflect.TypeOf(time.Time{}):
		v.Set(reflect.ValueOf(f.time()))
		return
	case reflect.TypeOf(time.Duration(0)):
		v.SetInt(int64(f.duration()))
		return
	case reflect.TypeOf(math.Int{}):
		v.Set(reflect.ValueOf(f.int()))
		return
	case reflect.TypeOf(math.LegacyDec{}):
		v.Set(reflect.ValueOf(f.dec()))
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if sf.IsExported() && !strings.HasPrefix(sf.Name, "XXX_") {
				f.fill(v.Field(i), depth+1)
			}
		}
	case reflect.Pointer:
		if depth < 4 && f.r.Intn(4) > 0 {
			v.Set(reflect.New(t.Elem()))
			f.fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		switch n := f.r.Intn(5); {
		case n == 0: // nil
		case n == 1 || depth >= 4:
			v.Set(reflect.MakeSlice(t, 0, 0))
		default:
			v.Set(reflect.MakeSlice(t, n-1, n-1))
			for i := 0; i < n-1; i++ {
				f.fill(v.Index(i), depth+1)
			}
		}
	case reflect.String:
		if f.r.Intn(10) == 0 {
			f.exact = false
			v.SetString(invalidUTF8[f.r.Intn(len(invalidUTF8))])
		} else {
			v.SetString(fillStrings[f.r.Intn(len(fillStrings))])
		}
	case reflect.Bool:
		v.SetBool(f.r.Intn(2) == 1)
	case reflect.Int32:
		if t.Implements(reflect.TypeOf((*interface{ String() string })(nil)).Elem()) { // an enum
			v.SetInt([]int64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 99, -1, 1 << 20}[f.r.Intn(16)])
		} else {
			v.SetInt([]int64{0, 1, -1, 1<<31 - 1, -1 << 31, f.r.Int63n(1 << 31)}[f.r.Intn(6)])
		}
	case reflect.Int64:
		v.SetInt([]int64{0, 1, -1, 1<<63 - 1, -1 << 63, f.r.Int63()}[f.r.Intn(6)])
	case reflect.Uint32:
		v.SetUint([]uint64{0, 1, 1<<32 - 1, uint64(f.r.Uint32())}[f.r.Intn(4)])
	case reflect.Uint64:
		v.SetUint([]uint64{0, 1, 1<<64 - 1, f.r.Uint64()}[f.r.Intn(4)])
	case reflect.Uint8:
		v.SetUint(uint64(f.r.Intn(256)))
	default:
		panic("filler: unexpected " + t.String())
	}
}

func (f *filler) time() time.Time {
	switch f.r.Intn(8) {
	case 0:
		return time.Time{}
	case 1: // beyond what a Timestamp holds: an error either way
		f.parses = false
		return time.Date(10000+f.r.Intn(3), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	nanos := []int64{0, 123_000_000, 123_456_000, 123_456_789, 1_000, 1, 100_000_000}[f.r.Intn(7)]
	t := time.Unix(f.r.Int63n(253402300799-(-62135596800))-62135596800, nanos)
	if f.r.Intn(2) == 0 {
		t = t.In(time.FixedZone("x", f.r.Intn(24*3600)-12*3600))
	}
	return t
}

func (f *filler) duration() time.Duration {
	return []time.Duration{
		0, 1, -1, time.Second, -time.Second, 1500 * time.Millisecond, -1500 * time.Millisecond,
		-time.Microsecond, 90 * 24 * time.Hour, 1<<63 - 1, -1 << 63, time.Duration(f.r.Int63()),
	}[f.r.Intn(12)]
}

// bigInt returns a random integer of up to bitLen bits, of either sign.
func (f *filler) bigInt(bitLen int) *big.Int {
	x := new(big.Int).Rand(f.r, new(big.Int).Lsh(big.NewInt(1), uint(f.r.Intn(bitLen)+1)))
	if f.r.Intn(2) == 0 {
		x.Neg(x)
	}
	return x
}

func (f *filler) int() math.Int {
	switch f.r.Intn(7) {
	case 0:
		return math.Int{}
	case 1:
		return math.ZeroInt()
	case 2:
		return math.NewInt(f.r.Int63() - f.r.Int63())
	case 3: // two words
		return math.NewIntFromBigInt(new(big.Int).Add(f.bigInt(128), new(big.Int).Lsh(big.NewInt(1), 64)))
	case 4: // beyond math.Int's 256 bits (only reachable by mutation), which its UnmarshalJSON refuses
		f.parses = false
		x := math.NewInt(1)
		x.BigIntMut().Set(f.bigInt(400))
		return x
	}
	return math.NewIntFromBigInt(f.bigInt(256))
}

func (f *filler) dec() math.LegacyDec {
	switch f.r.Intn(7) {
	case 0: // written as "0", which parses back as 0.000000000000000000
		f.exact = false
		return math.LegacyDec{}
	case 1:
		return math.LegacyZeroDec()
	case 2:
		return math.LegacyNewDecWithPrec(f.r.Int63n(1e18)-5e17, 18) // 18 digits or fewer
	case 3:
		return math.LegacyNewDecFromBigIntWithPrec(f.bigInt(128), 18)
	case 4: // beyond LegacyDec's parsing limit
		f.parses = false
		return math.LegacyNewDecFromBigIntWithPrec(f.bigInt(400), 18)
	}
	return math.LegacyNewDecFromBigIntWithPrec(f.bigInt(300), 18)
}

func BenchmarkTypedEvent(b *testing.B) {
	addr := "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
	due := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	amount := func(n int64) math.Int { return math.NewInt(n) }
	for _, msg := range []proto.Message{
		&lendingtypes.EventLoanPayment{
			LoanId: 42, Payer: addr, Amount: amount(1_250_000_000), LateInterest: math.ZeroInt(),
			Interest: amount(250_000_000), Principal: amount(1_000_000_000), PrepaidPrincipal: math.ZeroInt(),
			ExitFee: math.ZeroInt(), SeniorPrincipal: amount(800_000_000), SeniorInterest: amount(150_000_000),
			JuniorPrincipal: amount(200_000_000), JuniorInterest: amount(90_000_000), Premium: amount(10_000_000),
			PaymentsRemaining: 11, NextDueTime: due, Source: "borrower",
		},
		&yieldtypes.EventDeposit{Depositor: addr, Assets: amount(5_000_000_000), Shares: amount(4_901_234_567), Nav: amount(1_020_000_000_000_000)},
		&calibertypes.EventTitleMinted{TitleId: 7, ClassId: "gpu/nvidia-h100-sxm5-80gb", Owner: addr, Custodian: addr, Issuer: addr, Units: 8},
	} {
		name := proto.MessageName(msg)
		b.Run(name+"/sdk", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sdk.TypedEventToEvent(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/keeperutil", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := TypedEvent(msg); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
