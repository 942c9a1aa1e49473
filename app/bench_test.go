package app_test

// The benchmarks of `make bench`. They drive the real app in process: signed
// transactions in blocks through FinalizeBlock + Commit, and the block hooks
// on books of business written through the modules' own msg servers and
// keepers (bench_book_test.go). Benchmark functions never run under `go test`
// without -bench.
//
// BenchmarkTx comes first on purpose: a fixture app is never freed (each IAVL
// store runs a pruning goroutine that holds its database until the store is
// closed, and neither testutil nor BaseApp.Close closes them), so the
// gigabytes of BenchmarkBlockHooks' books would otherwise weigh on the
// transaction timings through the GC.

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	transfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	clienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	channeltypes "github.com/cosmos/ibc-go/v10/modules/core/04-channel/types"

	"github.com/infrafi/infrafi/app"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
	lendingtypes "github.com/infrafi/infrafi/x/lending/types"
	oracletypes "github.com/infrafi/infrafi/x/oracle/types"
	stabletypes "github.com/infrafi/infrafi/x/stable/types"
	yieldtypes "github.com/infrafi/infrafi/x/yield/types"
)

// BenchmarkTx measures, per transaction, FinalizeBlock + Commit of blocks of
// txsPerBlock signed transactions of one message type (ns/op is ns per
// transaction; signing is not timed), on a chain holding a book of
// txsPerBlock loans. x-send is the cost as a multiple of a bank MsgSend in the
// same run: signature checks and the ante handler are the floor every
// transaction pays. empty-block is a block without transactions (its cost is
// in every per-tx figure, divided by txsPerBlock). The two summary tables
// printed last measure CPU time in interleaved rounds (one block of each type
// per round), which a busy machine distorts far less than the sequential
// runs: first with the garbage collector running, then with it off and GC
// charged by bytes allocated (the steadier figure, and the one the README's
// target is judged on).
func BenchmarkTx(b *testing.B) {
	bk := newBenchBook(b, txsPerBlock)
	bk.requireBookState()
	bk.openBenchChannel()
	signers := newBenchSigners(b, bk.App, bk.signers())
	borrower, custodian := bk.acc(bkBorrower), bk.acc(bkCustodian)
	titles := 0 // serials must stay unique across the benchmark's runs
	pool := newLoanPool(bk)
	// The book's titles (one per loan), which the signers appraise.
	bookTitles := make([]uint64, len(bk.loans))
	for i, id := range bk.loans {
		l, err := bk.LendingKeeper.GetLoan(bk.Ctx(), id)
		require.NoError(b, err)
		bookTitles[i] = l.TitleIds[0]
	}

	bankSend := func(i int, s *benchSigner) sdk.Msg {
		return banktypes.NewMsgSend(s.acc.Address, borrower.Address, sdk.NewCoins(sdk.NewInt64Coin(app.BondDenom, 1)))
	}
	benches := []txBench{
		{"bank-send", bankSend, "transfer", nil, 0},
		// References, not targets: two and four sends in one transaction.
		{"bank-send-x2", bankSend, "transfer", nil, 2},
		{"bank-send-x4", bankSend, "transfer", nil, 4},
		{"stable-mint", func(i int, s *benchSigner) sdk.Msg {
			return &stabletypes.MsgMint{Sender: s.acc.Address.String(), Amount: sdk.NewInt64Coin(app.LocalnetReserveDenom, benchUSD)}
		}, "infrafi.stable.v1.EventMint", nil, 0},
		{"yield-deposit", func(i int, s *benchSigner) sdk.Msg {
			return &yieldtypes.MsgDeposit{Depositor: s.acc.Address.String(), Amount: sdk.NewInt64Coin(app.USDaiDenom, benchUSD)}
		}, "infrafi.yield.v1.EventDeposit", nil, 0},
		{"yield-request-redeem", func(i int, s *benchSigner) sdk.Msg {
			// Each request escrows shares (deposited untimed when a signer is
			// short, e.g. when yield-deposit is not in the run) and joins the queue.
			return &yieldtypes.MsgRequestRedeem{Owner: s.acc.Address.String(), Shares: sdkmath.NewInt(benchRedeemShares), BidBps: uint32(i % 100)}
		}, "infrafi.yield.v1.EventRedeemRequested", func(n int) { bk.readyShares(signers, int64(n/len(signers)+1)*benchRedeemShares) }, 0},
		{"stable-redeem", func(i int, s *benchSigner) sdk.Msg {
			return &stabletypes.MsgRedeem{Sender: s.acc.Address.String(), Amount: sdk.NewInt64Coin(app.USDaiDenom, benchUSD), ReserveDenom: app.LocalnetReserveDenom}
		}, "infrafi.stable.v1.EventRedeem", nil, 0},
		{"caliber-appraise", func(i int, s *benchSigner) sdk.Msg {
			// A pledged title's new appraisal: x/lending revalues its loan.
			return &calibertypes.MsgAppraise{
				Appraiser: s.acc.Address.String(), TitleId: bookTitles[i%len(bookTitles)], Value: sdkmath.NewInt(bookAppraisal + int64(i)),
				ValidUntil: bk.BlockTime().Add(300 * benchInterval), ReportSha256: caliberDoc,
			}
		}, "infrafi.caliber.v1.EventAppraised", nil, 0},
		{"caliber-mint-title", func(i int, s *benchSigner) sdk.Msg {
			titles++
			serials := make([]string, bookUnits)
			for j := range serials {
				serials[j] = fmt.Sprintf("TX%08d-%d", titles, j)
			}
			return &calibertypes.MsgMintTitle{
				Issuer: s.acc.Address.String(), ClassId: caliberH100, Owner: borrower.Address.String(),
				Custodian: custodian.Address.String(), Units: bookUnits, Serials: serials,
				Facility: "DAL-01", Jurisdiction: "US-TX", Legal: calibertypes.LegalInfo{SpvId: "SPV-BENCH", DocumentSha256: caliberDoc},
			}
		}, "infrafi.caliber.v1.EventTitleMinted", nil, 0},
		{"lending-repay", func(i int, s *benchSigner) sdk.Msg {
			// One scheduled payment (interest and principal due) of each loan per block.
			l, err := bk.LendingKeeper.GetLoan(bk.Ctx(), bk.loans[i%len(bk.loans)])
			require.NoError(b, err)
			require.Equal(b, lendingtypes.LoanActive, l.Status, "loan %d ran out of payments", l.Id)
			return &lendingtypes.MsgRepay{Payer: s.acc.Address.String(), LoanId: l.Id, Amount: l.InterestDue.Add(l.PrincipalDue)}
		}, "infrafi.lending.v1.EventLoanPayment", nil, 0},
		{"ibc-transfer-usdai", func(i int, s *benchSigner) sdk.Msg {
			// 1 USDai to the counterparty chain (escrowed; x/stable's outflow quota applies).
			timeout := uint64(bk.BlockTime().Add(time.Hour).UnixNano())
			return transfertypes.NewMsgTransfer(transfertypes.PortID, benchChannelID, sdk.NewInt64Coin(app.USDaiDenom, benchUSD),
				s.acc.Address.String(), "cosmos1benchreceiver", clienttypes.ZeroHeight(), timeout, "")
		}, channeltypes.EventTypeSendPacket, nil, 0},
		{"lending-request-loan", func(i int, s *benchSigner) sdk.Msg {
			return &lendingtypes.MsgRequestLoan{
				Borrower: s.acc.Address.String(), TitleIds: []uint64{pool.title(s.acc.Address)}, ProductId: benchProductID, Principal: sdkmath.NewInt(benchLoanPrincipal),
			}
		}, "infrafi.lending.v1.EventLoanRequested", func(n int) { pool.readyTitles(signers, n/len(signers)+1) }, 0},
		{"lending-underwrite", func(i int, s *benchSigner) sdk.Msg {
			return &lendingtypes.MsgUnderwriteLoan{Curator: s.acc.Address.String(), LoanId: pool.loan(), Apr: lDec("0.15"), JuniorAmount: sdkmath.NewInt(benchLoanJunior)}
		}, "infrafi.lending.v1.EventLoanFunded", pool.pendingLoans, 0},
		{"oracle-post-price", func(i int, s *benchSigner) sdk.Msg {
			// Every signer posts once per feed per block; EndBlock aggregates each feed.
			feed := (i / benchSigners) % benchFeeds
			return &oracletypes.MsgPostPrice{Feeder: s.acc.Address.String(), FeedId: benchFeedID(feed), Value: sdkmath.LegacyNewDec(int64(1_000_000 + i))}
		}, "infrafi.oracle.v1.EventPricePosted", nil, 0},
	}

	benches = selectTxBenches(b, benches)

	b.Run("empty-block", func(b *testing.B) {
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			bk.NextBlock(time.Second)
		}
	})
	var send float64
	for _, bench := range benches {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			b.StopTimer()
			b.ResetTimer()
			var spent time.Duration
			for done := 0; done < b.N; done += txsPerBlock {
				block, _ := deliverBlock(b, b, wallClock, bk, signers, bench, done, min(txsPerBlock, b.N-done))
				spent += block
			}
			ns := float64(spent.Nanoseconds()) / float64(b.N)
			if bench.name == "bank-send" {
				send = ns
			} else if send > 0 {
				b.ReportMetric(ns/send, "x-send")
			}
		})
	}
	logTxTable(benches, interleaveTxs(b, bk, signers, benches, false))
	logTxTableGCFree(benches, interleaveTxs(b, bk, signers, benches, true))
}

// selectTxBenches keeps the message types named in INFRAFI_BENCH_TX (comma
// separated, e.g. "bank-send,lending-repay"), all when it is unset: a profile
// of one type, compared with one of bank-send alone, shows where it spends
// more than a send.
func selectTxBenches(tb testing.TB, benches []txBench) []txBench {
	names := os.Getenv("INFRAFI_BENCH_TX")
	if names == "" {
		return benches
	}
	var out []txBench
	for _, name := range strings.Split(names, ",") {
		i := slices.IndexFunc(benches, func(t txBench) bool { return t.name == name })
		if i < 0 {
			tb.Fatalf("INFRAFI_BENCH_TX: no message type %q", name)
		}
		out = append(out, benches[i])
	}
	return out
}

// BenchmarkBlockHooks measures the app's PreBlock + BeginBlock + EndBlock
// (every module, in the app's order) on books of 10^2.. units (each a title,
// an ACTIVE loan, a depositor and a queued redemption; see benchBook):
//
//   - idle: a block in which nothing is due. The cost must not grow with the
//     book (target: book 10^5 within 1.2x of book 10^2).
//   - due=k: a block in which k loans reach their due date and k custody
//     attestations lapse (the k units written first); the cost grows with k.
//   - block: a whole empty block, FinalizeBlock + Commit (IAVL hashing and
//     commit included), nothing due.
//   - bytes: the store bytes (keys + values) per title, loan, redemption
//     request and depositor.
//
// Hooks run on a fresh cache of the committed state each iteration, so every
// iteration is the same block. All books stay in memory: after the
// sub-benchmarks, the summary table measures CPU time in interleaved rounds
// (each round visits every book), which keeps the book-to-book ratios honest
// on a machine whose load changes, and counts each block's allocations.
func BenchmarkBlockHooks(b *testing.B) {
	var books []*hookBook
	for _, n := range benchBookSizes(b) {
		start := time.Now()
		bk := newBenchBook(b, n)
		bk.requireBookState()
		hb := &hookBook{benchBook: bk, setup: time.Since(start)}
		dueAt := bk.t0.Add(benchInterval)
		hb.until = dueAt.Add(-time.Second)
		hb.cases = []hookCase{{name: "idle", at: hb.until}}
		due := 0
		for j, g := range dueGroups {
			due += g
			if due > n {
				break
			}
			hb.cases = append(hb.cases, hookCase{name: fmt.Sprintf("due=%d", due), at: dueAt.Add(time.Duration(j) * time.Second), due: due})
		}
		hb.perRecord, hb.collection = perRecordBytes(bk.before, bk.after, n)
		books = append(books, hb)
		fmt.Printf("book of %d units written in %s\n", n, hb.setup.Round(time.Millisecond))
	}
	for _, hb := range books {
		for _, c := range hb.cases {
			b.Run(fmt.Sprintf("book=%d/%s", hb.units, c.name), func(b *testing.B) {
				base, req := blockCtx(hb.benchBook, c.at)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					b.StopTimer()
					ctx, _ := base.CacheContext()
					b.StartTimer()
					events := runHooks(b, hb.benchBook, ctx, req)
					if i == 0 {
						b.StopTimer()
						requireDue(b, hb, c, ctx, events)
					}
				}
			})
		}
		b.Run(fmt.Sprintf("book=%d/block", hb.units), func(b *testing.B) {
			runEmptyBlocks(b, hb, b.N, wallClock)
		})
		b.Run(fmt.Sprintf("book=%d/bytes", hb.units), func(b *testing.B) {
			for _, unit := range recordUnits {
				b.ReportMetric(hb.perRecord[unit], "B/"+unit)
			}
			b.ReportMetric(0, "ns/op")
		})
	}
	logHookTable(books, interleaveHooks(b, books))
}
