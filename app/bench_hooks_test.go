package app_test

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/comet"
	coreheader "cosmossdk.io/core/header"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/testutil"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// benchBooksEnv lists the book sizes BenchmarkBlockHooks builds, e.g.
// "100,1000,10000,100000" (the default stops at 10^4: a 10^5 book takes
// minutes to write).
const benchBooksEnv = "INFRAFI_BENCH_BOOKS"

var defaultBenchBooks = []int{100, 1_000, 10_000}

func benchBookSizes(b *testing.B) []int {
	v := os.Getenv(benchBooksEnv)
	if v == "" {
		return defaultBenchBooks
	}
	var sizes []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: want a comma-separated list of positive book sizes", benchBooksEnv, v)
		}
		sizes = append(sizes, n)
	}
	return sizes
}

// hookCase is one block measured on a book: at time at, due units fall due.
type hookCase struct {
	name string
	at   time.Time
	due  int
}

// hookBook is a book and what BenchmarkBlockHooks measures on it.
type hookBook struct {
	*benchBook
	setup time.Duration
	cases []hookCase
	// until is when the book's first units fall due: empty blocks stay before it.
	until      time.Time
	perRecord  map[string]float64
	collection []collectionBytes
}

// runHooks runs PreBlock, BeginBlock and EndBlock on ctx and returns the
// block's events.
func runHooks(tb testing.TB, bk *benchBook, ctx sdk.Context, req *abci.RequestFinalizeBlock) []abci.Event {
	_, err := bk.PreBlocker(ctx, req)
	require.NoError(tb, err)
	begin, err := bk.BeginBlocker(ctx)
	require.NoError(tb, err)
	end, err := bk.EndBlocker(ctx)
	require.NoError(tb, err)
	return append(begin.Events, end.Events...)
}

// requireDue checks that the block did the due work of c: exactly c.due
// custody attestations lapsed, and the first c.due loans, due at the block
// in the committed state, had their due date handled by x/lending's due-date
// walk (the debt-service reserve paid the installment: the due date moved
// on, or the loan changed status).
func requireDue(tb testing.TB, hb *hookBook, c hookCase, ctx sdk.Context, events []abci.Event) {
	stale := 0
	for _, ev := range events {
		if ev.Type == "infrafi.caliber.v1.EventCustodyStale" {
			stale++
		}
	}
	require.Equal(tb, c.due, stale, "custody attestations lapsing at %s", c.at)
	for i, id := range hb.loans[:min(c.due+1, len(hb.loans))] {
		before, err := hb.LendingKeeper.GetLoan(hb.Ctx(), id)
		require.NoError(tb, err)
		require.Equal(tb, i < c.due, !before.NextDueTime.After(c.at), "loan %d due at %s, block at %s", id, before.NextDueTime, c.at)
		if i < c.due {
			after, err := hb.LendingKeeper.GetLoan(ctx, id)
			require.NoError(tb, err)
			require.True(tb, after.NextDueTime.After(c.at) || after.Status != before.Status, "loan %d's due date was not handled", id)
		}
	}
}

var benchEpoch = time.Now()

// wallClock is the wall time since the benchmarks started.
func wallClock() time.Duration { return time.Since(benchEpoch) }

// runEmptyBlocks commits n blocks without transactions, 100 ms apart, and
// returns the mean time of FinalizeBlock + Commit on clock.
func runEmptyBlocks(tb testing.TB, hb *hookBook, n int, clock func() time.Duration) time.Duration {
	const dt = 100 * time.Millisecond
	if hb.BlockTime().Add(time.Duration(n) * dt).After(hb.until) {
		tb.Fatalf("%d empty blocks would run past %s, when the book falls due", n, hb.until)
	}
	if b, ok := tb.(*testing.B); ok {
		b.ResetTimer()
	}
	start := clock()
	for i := 0; i < n; i++ {
		hb.NextBlock(dt)
	}
	return (clock() - start) / time.Duration(n)
}

// hookSamples are, per book, per-round means (ns per block) of each case
// ("block" being the whole empty block), and the heap allocations of one
// block of each hook case (deterministic, whatever the machine's load).
type hookSamples struct {
	cpu    []map[string][]float64
	allocs []map[string]allocCount
}

type allocCount struct{ count, bytes uint64 }

// interleaveHooks counts each case's allocations, then measures every case
// of every book on cpuClock in rounds, each round visiting each book in turn.
func interleaveHooks(b *testing.B, books []*hookBook) hookSamples {
	const (
		rounds    = 20
		hookRuns  = 20
		blockRuns = 10
	)
	s := hookSamples{cpu: make([]map[string][]float64, len(books)), allocs: make([]map[string]allocCount, len(books))}
	for i, hb := range books {
		s.cpu[i], s.allocs[i] = map[string][]float64{}, map[string]allocCount{}
		for _, c := range hb.cases {
			base, req := blockCtx(hb.benchBook, c.at)
			ctx, _ := base.CacheContext()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			runHooks(b, hb.benchBook, ctx, req)
			runtime.ReadMemStats(&after)
			s.allocs[i][c.name] = allocCount{after.Mallocs - before.Mallocs, after.TotalAlloc - before.TotalAlloc}
		}
	}
	for r := 0; r < rounds; r++ {
		for i, hb := range books {
			for _, c := range hb.cases {
				base, req := blockCtx(hb.benchBook, c.at)
				var spent time.Duration
				for j := 0; j < hookRuns; j++ {
					ctx, _ := base.CacheContext()
					start := cpuClock()
					runHooks(b, hb.benchBook, ctx, req)
					spent += cpuClock() - start
				}
				s.cpu[i][c.name] = append(s.cpu[i][c.name], float64(spent.Nanoseconds())/hookRuns)
			}
			s.cpu[i]["block"] = append(s.cpu[i]["block"], float64(runEmptyBlocks(b, hb, blockRuns, cpuClock).Nanoseconds()))
		}
	}
	return s
}

func median(xs []float64) float64 {
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s) == 0 {
		return 0
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func minimum(xs []float64) float64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = min(m, x)
	}
	return m
}

// ratioToFirst is the median over rounds of book i's cost over the first
// book's in the same round.
func (s hookSamples) ratioToFirst(i int, name string) float64 {
	var ratios []float64
	for r, v := range s.cpu[i][name] {
		ratios = append(ratios, v/s.cpu[0][name][r])
	}
	return median(ratios)
}

// minRatioToFirst is book i's least cost over the first book's least cost:
// on a busy machine interference only adds time, so minima are the
// cleanest estimate.
func (s hookSamples) minRatioToFirst(i int, name string) float64 {
	return minimum(s.cpu[i][name]) / minimum(s.cpu[0][name])
}

// emptyCometInfo is the comet block info of a block with no evidence and no
// last-commit votes (what testutil's blocks carry).
type emptyCometInfo struct{}

func (emptyCometInfo) GetEvidence() comet.EvidenceList { return emptyList{} }
func (emptyCometInfo) GetValidatorsHash() []byte       { return nil }
func (emptyCometInfo) GetProposerAddress() []byte      { return nil }
func (emptyCometInfo) GetLastCommit() comet.CommitInfo { return emptyCommit{} }

type emptyList struct{}

func (emptyList) Len() int               { return 0 }
func (emptyList) Get(int) comet.Evidence { return nil }

type emptyCommit struct{}

func (emptyCommit) Round() int32           { return 0 }
func (emptyCommit) Votes() comet.VoteInfos { return emptyVotes{} }

type emptyVotes struct{}

func (emptyVotes) Len() int               { return 0 }
func (emptyVotes) Get(int) comet.VoteInfo { return nil }

// blockCtx is the context FinalizeBlock gives the block hooks for the next
// height at time at, over the committed store.
func blockCtx(bk *benchBook, at time.Time) (sdk.Context, *abci.RequestFinalizeBlock) {
	height := bk.Height() + 1
	appHash := bk.LastCommitID().Hash
	ctx := bk.NewUncachedContext(false, cmtproto.Header{ChainID: testutil.ChainID, Height: height, Time: at, AppHash: appHash}).
		WithHeaderInfo(coreheader.Info{ChainID: testutil.ChainID, Height: height, Time: at, AppHash: appHash}).
		WithCometInfo(emptyCometInfo{}).
		WithExecMode(sdk.ExecModeFinalize)
	ctx = ctx.WithConsensusParams(bk.GetConsensusParams(ctx))
	return ctx, &abci.RequestFinalizeBlock{Height: height, Time: at}
}

// Store footprints.

// footprintStores are the stores whose bytes are counted; the custom modules'
// are also split by collection.
var footprintStores = []string{authtypes.StoreKey, banktypes.StoreKey, oracletypes.StoreKey, calibertypes.StoreKey,
	stabletypes.StoreKey, yieldtypes.StoreKey, lendingtypes.StoreKey}

type kvCount struct{ keys, bytes int64 }

// storeFootprint is the number of keys and bytes (len(key) + len(value)) in
// each store and in each custom-module collection ("module/collection").
type storeFootprint struct {
	stores      map[string]kvCount
	collections map[string]kvCount
}

// measureStore counts the committed state of the footprint stores.
func measureStore(fx *testutil.App) storeFootprint {
	schemas := map[string][]collections.Collection{
		oracletypes.StoreKey:  fx.OracleKeeper.Schema.ListCollections(),
		calibertypes.StoreKey: fx.CaliberKeeper.Schema.ListCollections(),
		stabletypes.StoreKey:  fx.StableKeeper.Schema.ListCollections(),
		yieldtypes.StoreKey:   fx.YieldKeeper.Schema.ListCollections(),
		lendingtypes.StoreKey: fx.LendingKeeper.Schema.ListCollections(),
	}
	fp := storeFootprint{stores: map[string]kvCount{}, collections: map[string]kvCount{}}
	for _, name := range footprintStores {
		store := fx.CommitMultiStore().GetKVStore(fx.GetKey(name))
		it := store.Iterator(nil, nil)
		var total kvCount
		for ; it.Valid(); it.Next() {
			k, v := it.Key(), it.Value()
			n := int64(len(k) + len(v))
			total.keys++
			total.bytes += n
			for _, c := range schemas[name] {
				if bytes.HasPrefix(k, c.GetPrefix()) {
					id := name + "/" + c.GetName()
					cc := fp.collections[id]
					cc.keys++
					cc.bytes += n
					fp.collections[id] = cc
					break
				}
			}
		}
		if err := it.Close(); err != nil {
			panic(err)
		}
		fp.stores[name] = total
	}
	return fp
}

// recordUnits are the records a book unit adds, and the stores holding them.
var recordUnits = []string{"title", "loan", "request", "depositor"}

var recordStores = map[string][]string{
	"title":     {calibertypes.StoreKey},
	"loan":      {lendingtypes.StoreKey},
	"request":   {yieldtypes.StoreKey},
	"depositor": {authtypes.StoreKey, banktypes.StoreKey},
}

type collectionBytes struct {
	name        string
	keys, bytes float64 // per unit
}

// perRecordBytes divides the growth of each record's stores by the units
// written. Vault, book and exposure aggregates are O(1) and round away.
func perRecordBytes(before, after storeFootprint, units int) (map[string]float64, []collectionBytes) {
	out := map[string]float64{}
	for unit, stores := range recordStores {
		var grew int64
		for _, s := range stores {
			grew += after.stores[s].bytes - before.stores[s].bytes
		}
		out[unit] = float64(grew) / float64(units)
	}
	var cols []collectionBytes
	for id, a := range after.collections {
		bf := before.collections[id]
		if a.keys == bf.keys && a.bytes == bf.bytes {
			continue
		}
		cols = append(cols, collectionBytes{
			name: id, keys: float64(a.keys-bf.keys) / float64(units), bytes: float64(a.bytes-bf.bytes) / float64(units),
		})
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].name < cols[j].name })
	return out, cols
}

func logHookTable(books []*hookBook, s hookSamples) {
	if len(books) == 0 {
		return
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nPreBlock+BeginBlock+EndBlock (idle, due=k) and empty blocks (FinalizeBlock+Commit), µs per block,\n%s, median of %d interleaved rounds;\n",
		cpuClockKind, len(s.cpu[0]["idle"]))
	fmt.Fprintf(&sb, "x = ratio to book %d (median of per-round ratios / ratio of minima); allocs and KB: heap allocations of one idle block\n", books[0].units)
	fmt.Fprintf(&sb, "%-7s %8s %7s %6s %6s %7s %6s %7s %7s %8s %8s %6s %6s\n",
		"book", "setup", "idle", "x", "x-min", "allocs", "KB", "due=1", "due=10", "due=100", "block", "x", "x-min")
	for i, hb := range books {
		due := func(k int) string {
			if v, ok := s.cpu[i][fmt.Sprintf("due=%d", k)]; ok {
				return fmt.Sprintf("%.0f", median(v)/1e3)
			}
			return "-"
		}
		idle := s.allocs[i]["idle"]
		fmt.Fprintf(&sb, "%-7d %8s %7.0f %6.2f %6.2f %7d %6d %7s %7s %8s %8.0f %6.2f %6.2f\n",
			hb.units, hb.setup.Round(time.Second), median(s.cpu[i]["idle"])/1e3, s.ratioToFirst(i, "idle"), s.minRatioToFirst(i, "idle"),
			idle.count, idle.bytes/1024, due(1), due(10), due(100),
			median(s.cpu[i]["block"])/1e3, s.ratioToFirst(i, "block"), s.minRatioToFirst(i, "block"))
	}
	fmt.Fprintf(&sb, "\nheap allocations per hook block, by case\n%-7s", "book")
	for _, c := range books[len(books)-1].cases {
		fmt.Fprintf(&sb, " %16s", c.name)
	}
	sb.WriteString("\n")
	for i, hb := range books {
		fmt.Fprintf(&sb, "%-7d", hb.units)
		for _, c := range hb.cases {
			a := s.allocs[i][c.name]
			fmt.Fprintf(&sb, " %7d (%4dKB)", a.count, a.bytes/1024)
		}
		sb.WriteString("\n")
	}
	fmt.Fprintf(&sb, "\nstate bytes (keys + values) per record\n%-7s %8s %8s %8s %10s\n", "book", "title", "loan", "request", "depositor")
	for _, hb := range books {
		fmt.Fprintf(&sb, "%-7d %8.0f %8.0f %8.0f %10.0f\n", hb.units,
			hb.perRecord["title"], hb.perRecord["loan"], hb.perRecord["request"], hb.perRecord["depositor"])
	}
	last := books[len(books)-1]
	fmt.Fprintf(&sb, "\nstate per unit by collection (book of %d): keys, bytes\n", last.units)
	for _, c := range last.collection {
		fmt.Fprintf(&sb, "  %-36s %6.2f %8.1f\n", c.name, c.keys, c.bytes)
	}
	fmt.Print(sb.String())
}
