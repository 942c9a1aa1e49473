package app_test

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	abci "github.com/cometbft/cometbft/abci/types"

	"github.com/cosmos/cosmos-sdk/client"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/tx/signing"
	authsigning "github.com/cosmos/cosmos-sdk/x/auth/signing"

	"github.com/infrafi/infrafi/testutil"
)

const (
	// txsPerBlock is the block size of the transaction benchmarks. The
	// lending fixture has as many loans, so each loan takes one payment a block.
	txsPerBlock  = 100
	benchGasWant = 2_000_000
)

// benchSigner signs transactions for one account, counting its sequence
// itself so a block can carry several of its transactions.
type benchSigner struct {
	acc    testutil.Account
	number uint64
	seq    uint64
}

func newBenchSigners(tb testing.TB, fx *testutil.App, accs []testutil.Account) []*benchSigner {
	out := make([]*benchSigner, len(accs))
	for i, a := range accs {
		acc := fx.AccountKeeper.GetAccount(fx.Ctx(), a.Address)
		require.NotNil(tb, acc)
		out[i] = &benchSigner{acc: a, number: acc.GetAccountNumber(), seq: acc.GetSequence()}
	}
	return out
}

// sign encodes msgs as a transaction signed by s at its next sequence
// (SIGN_MODE_DIRECT, no fee, no memo, so every benchmark's tx has the same shape).
func (s *benchSigner) sign(tb testing.TB, txCfg client.TxConfig, msgs ...sdk.Msg) []byte {
	mode, err := authsigning.APISignModeToInternal(txCfg.SignModeHandler().DefaultMode())
	require.NoError(tb, err)
	builder := txCfg.NewTxBuilder()
	require.NoError(tb, builder.SetMsgs(msgs...))
	builder.SetGasLimit(benchGasWant)
	pub := s.acc.Priv.PubKey()
	data := &signing.SingleSignatureData{SignMode: mode}
	sig := signing.SignatureV2{PubKey: pub, Data: data, Sequence: s.seq}
	require.NoError(tb, builder.SetSignatures(sig))
	signerData := authsigning.SignerData{
		Address: s.acc.Address.String(), ChainID: testutil.ChainID, AccountNumber: s.number, Sequence: s.seq, PubKey: pub,
	}
	bz, err := authsigning.GetSignBytesAdapter(context.Background(), txCfg.SignModeHandler(), mode, signerData, builder.GetTx())
	require.NoError(tb, err)
	data.Signature, err = s.acc.Priv.Sign(bz)
	require.NoError(tb, err)
	require.NoError(tb, builder.SetSignatures(sig))
	tx, err := txCfg.TxEncoder()(builder.GetTx())
	require.NoError(tb, err)
	s.seq++
	return tx
}

// txBench is one message type: msg builds the i-th transaction's message
// (from state as of the last committed block) and names its signer.
type txBench struct {
	name string
	msg  func(i int, signer *benchSigner) sdk.Msg
	// event is a typed event every tx must emit (proof the message did its work).
	event string
	// prepare, when set, writes and commits (untimed) what the next n
	// transactions consume.
	prepare func(n int)
	// repeat, when above 1, puts the message that many times in each
	// transaction (one signature): bank-send-x2 and -x4 measure what each
	// further coin movement costs, the floor of messages that move coins
	// several times.
	repeat int
}

// deliverBlock signs n transactions of bench, numbered from first, and commits
// them in one block a second after the last; it returns the time of
// FinalizeBlock + Commit, which alone runs on timer's clock when timer is
// not nil, and the heap bytes they allocated. Every transaction must succeed
// and emit bench.event.
func deliverBlock(tb testing.TB, timer *testing.B, clock func() time.Duration, bk *benchBook, signers []*benchSigner, bench txBench, first, n int) (time.Duration, uint64) {
	if bench.prepare != nil {
		bench.prepare(n)
	}
	txCfg := bk.TxConfig()
	txs := make([][]byte, n)
	for j := range txs {
		s := signers[(first+j)%len(signers)]
		txs[j] = s.sign(tb, txCfg, slices.Repeat([]sdk.Msg{bench.msg(first+j, s)}, max(bench.repeat, 1))...)
	}
	if timer != nil {
		timer.StartTimer()
	}
	allocated, start := heapAllocs(), clock()
	var res *abci.ResponseFinalizeBlock
	// The label lets a CPU profile split by type, Commit included:
	// go tool pprof -tagfocus tx=<type>.
	pprof.Do(context.Background(), pprof.Labels("tx", bench.name), func(context.Context) {
		res = bk.NextBlock(time.Second, txs...)
	})
	spent := clock() - start
	allocated = heapAllocs() - allocated
	if timer != nil {
		timer.StopTimer()
	}
	for j, r := range res.TxResults {
		if r.Code != 0 {
			tb.Fatalf("%s: tx %d failed: codespace=%s code=%d log=%s", bench.name, first+j, r.Codespace, r.Code, r.Log)
		}
		if len(testutil.EventsOfType(r, bench.event)) == 0 {
			tb.Fatalf("%s: tx %d emitted no %s", bench.name, first+j, bench.event)
		}
	}
	return spent, allocated
}

// txSamples are the per-round costs of each message type and of an empty
// block ("empty-block"): CPU time and heap bytes allocated, per transaction
// (per block for the empty block), and, when the collector was off, the CPU
// time of each round's closing full collection per byte of live heap.
type txSamples struct {
	cpu, bytes    map[string][]float64
	gcPerLiveByte []float64
}

// interleaveTxs measures on cpuClock one block of each message type per
// round, plus an empty block, so that each round's ratios compare neighbours
// in time; the order rotates from round to round.
//
// With gcOff the collector is off, so no block pays for a cycle its
// neighbours' garbage started; each round starts from a collection
// (untimed) and ends with one, timed. At GOGC=100 a cycle runs each time the
// program has allocated about as much as the live heap, so one collection's
// CPU time divided by the live heap is the GC cost of each allocated byte,
// and a block's GC share is its bytes times that.
func interleaveTxs(b *testing.B, bk *benchBook, signers []*benchSigner, benches []txBench, gcOff bool) txSamples {
	const rounds = 30
	samples := txSamples{cpu: map[string][]float64{}, bytes: map[string][]float64{}}
	add := func(name string, cpu time.Duration, bytes uint64, n int) {
		samples.cpu[name] = append(samples.cpu[name], float64(cpu.Nanoseconds())/float64(n))
		samples.bytes[name] = append(samples.bytes[name], float64(bytes)/float64(n))
	}
	if gcOff {
		defer debug.SetGCPercent(debug.SetGCPercent(-1))
	}
	for r := 0; r < rounds; r++ {
		if gcOff {
			runtime.GC() // what the fixture and the last round left
		}
		bytes, start := heapAllocs(), cpuClock()
		bk.NextBlock(time.Second)
		add("empty-block", cpuClock()-start, heapAllocs()-bytes, 1)
		// Each round starts one type further on: a block pays for the GC work
		// its predecessor's garbage left, so a fixed order would charge every
		// type its fixed neighbour's.
		for k := range benches {
			bench := benches[(r+k)%len(benches)]
			spent, allocated := deliverBlock(b, nil, cpuClock, bk, signers, bench, 0, txsPerBlock)
			add(bench.name, spent, allocated, txsPerBlock)
		}
		if gcOff {
			start = cpuClock()
			runtime.GC()
			samples.gcPerLiveByte = append(samples.gcPerLiveByte, float64((cpuClock()-start).Nanoseconds())/float64(heapLive()))
		}
	}
	return samples
}

// logTxTableGCFree prints the table of interleaveTxs with gcOff: per
// transaction the mean CPU time without GC, its GC share at the median
// round's cost per byte, and their sum as a multiple of a bank send's.
func logTxTableGCFree(benches []txBench, s txSamples) {
	rate := median(s.gcPerLiveByte)
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nper transaction, FinalizeBlock + Commit in blocks of %d txs, %s, GC off,\nmean of %d interleaved rounds; GC charged at %.2f ns per allocated byte (median round's full collection / live heap)\n",
		txsPerBlock, cpuClockKind, len(s.gcPerLiveByte), rate)
	fmt.Fprintf(&sb, "(an empty block costs %.0f µs without GC, included below)\n", mean(s.cpu["empty-block"])/1e3)
	fmt.Fprintf(&sb, "%-20s %8s %8s %8s %8s %8s\n", "message", "no-GC µs", "KB", "GC µs", "µs/tx", "x-send")
	total := func(name string) float64 { return mean(s.cpu[name]) + mean(s.bytes[name])*rate }
	send := total("bank-send")
	for _, bench := range benches {
		ratio := "-"
		if send > 0 {
			ratio = fmt.Sprintf("%.2f", total(bench.name)/send)
		}
		fmt.Fprintf(&sb, "%-20s %8.0f %8.1f %8.0f %8.0f %8s\n", bench.name, mean(s.cpu[bench.name])/1e3,
			mean(s.bytes[bench.name])/1e3, mean(s.bytes[bench.name])*rate/1e3, total(bench.name)/1e3, ratio)
	}
	fmt.Print(sb.String())
}

// mean is the mean of xs, 0 for none (a type left out by INFRAFI_BENCH_TX).
func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// heapAllocs is the heap bytes the process has allocated so far.
func heapAllocs() uint64 { return readMetric("/gc/heap/allocs:bytes") }

// heapLive is the live heap after the last collection.
func heapLive() uint64 { return readMetric("/gc/heap/live:bytes") }

func readMetric(name string) uint64 {
	m := []metrics.Sample{{Name: name}}
	metrics.Read(m)
	return m[0].Value.Uint64()
}

// logTxTable prints each type's mean cost per transaction (every GC cycle
// counted in the block it landed on) and its median round's (which leaves out
// the rounds a GC cycle or another process inflated: steadier between runs,
// but it charges heavy allocators less than their share of GC).
func logTxTable(benches []txBench, samples txSamples) {
	slot := mean(samples.cpu["empty-block"]) / txsPerBlock
	send := mean(samples.cpu["bank-send"])
	sendMed := median(samples.cpu["bank-send"])
	var sb strings.Builder
	fmt.Fprintf(&sb, "\nper transaction, FinalizeBlock + Commit in blocks of %d txs, %s,\nmean and median of %d interleaved rounds (each round one block of every type)\n",
		txsPerBlock, cpuClockKind, len(samples.cpu["bank-send"]))
	fmt.Fprintf(&sb, "(an empty block costs %.0f µs: %.1f µs per tx slot, included in µs/tx, taken out in the last two columns)\n",
		mean(samples.cpu["empty-block"])/1e3, slot/1e3)
	fmt.Fprintf(&sb, "%-20s %8s %8s %12s %8s %10s %8s\n", "message", "µs/tx", "x-send", "µs/tx-slot", "x-send", "median µs", "x-send")
	for _, bench := range benches {
		ns, med := mean(samples.cpu[bench.name]), median(samples.cpu[bench.name])
		if send == 0 {
			fmt.Fprintf(&sb, "%-20s %8.0f %8s %12.0f %8s %10.0f %8s\n", bench.name, ns/1e3, "-", (ns-slot)/1e3, "-", med/1e3, "-")
			continue
		}
		fmt.Fprintf(&sb, "%-20s %8.0f %8.2f %12.0f %8.2f %10.0f %8.2f\n", bench.name, ns/1e3, ns/send, (ns-slot)/1e3, (ns-slot)/(send-slot), med/1e3, med/sendMed)
	}
	fmt.Print(sb.String())
}
