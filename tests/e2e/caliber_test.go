//go:build e2e

package e2e

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	sdkmath "cosmossdk.io/math"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/testutil/localnet"
	calibertypes "github.com/infrafi/infrafi/x/caliber/types"
)

const (
	caliberH100Class = "nvidia-h100-sxm5-80gb"
	caliberReport    = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
	// caliberRefusedGas skips simulation so a refused tx reaches a block.
	caliberRefusedGas = "400000"
)

// caliberValuation is the REST form of the valuation query.
type caliberValuation struct {
	Valuation struct {
		Appraisals []struct {
			Value            string    `json:"value"`
			AppraisedAt      time.Time `json:"appraised_at"`
			Factor           string    `json:"factor"`
			DepreciatedValue string    `json:"depreciated_value"`
		} `json:"appraisals"`
		AppraisedValue string    `json:"appraised_value"`
		HasMarketValue bool      `json:"has_market_value"`
		MarketValue    string    `json:"market_value"`
		Value          string    `json:"value"`
		BoundBy        string    `json:"bound_by"`
		ComputedAt     time.Time `json:"computed_at"`
	} `json:"valuation"`
}

type caliberPool struct {
	Pool struct {
		Balance  string `json:"balance"`
		Reserved string `json:"reserved"`
	} `json:"pool"`
	Free string `json:"free"`
}

// testCaliber drives the CALIBER title life cycle on the localnet preset
// (parties and classes registered at genesis) through the CLI, REST and gRPC.
func testCaliber(t *testing.T, network *localnet.Network) {
	txVia, readVia := network.Nodes[0], network.Nodes[len(network.Nodes)-1]
	borrower, depositor := network.Key(t, "borrower"), network.Key(t, "depositor")
	custodian, insurer := network.Key(t, "custodian"), network.Key(t, "insurer")

	// Serials unique to this run, so the test can share a network.
	run := time.Now().UnixNano() % 1_000_000_000
	serials := make([]string, 8)
	for i := range serials {
		serials[i] = fmt.Sprintf("E2E%09d-%d", run, i+1)
	}
	tx := func(args ...string) *localnet.TxResult {
		t.Helper()
		res, err := txVia.Tx(args...)
		require.NoError(t, err)
		require.NoError(t, readVia.WaitForHeight(res.Height, time.Minute))
		return res
	}
	restGet := func(path string, out any) {
		t.Helper()
		require.NoError(t, readVia.RESTGet("/infrafi/caliber/v1/"+path, out))
	}

	// The issuer mints an 8-GPU H100 title for the borrower, held by the custodian.
	mintArgs := append([]string{"caliber", "mint-title", caliberH100Class, borrower.Address, custodian.Address, "8"}, serials...)
	res := tx(append(mintArgs, "--facility", "DAL-01", "--jurisdiction", "US-TX",
		"--legal", `{"spv_id":"SPV-E2E","document_sha256":"`+caliberReport+`"}`, "--from", "issuer")...)
	require.Len(t, eventsOfType(res, "infrafi.caliber.v1.EventTitleMinted"), 1)
	var bySerial struct {
		Title struct {
			ID     string `json:"id"`
			Owner  string `json:"owner"`
			Status string `json:"status"`
			Units  string `json:"units"`
		} `json:"title"`
	}
	restGet("title_by_serial/"+serials[3], &bySerial)
	id := bySerial.Title.ID
	require.Equal(t, borrower.Address, bySerial.Title.Owner)
	require.Equal(t, "TITLE_STATUS_PENDING_CUSTODY", bySerial.Title.Status)
	require.Equal(t, "8", bySerial.Title.Units)

	// The custodian confirms custody.
	tx("caliber", "confirm-custody", id, "--from", custodian.Name)

	// The appraiser appraises at 200,000 USDai; the validators price an H100 at 30,000.
	requirePrice(t, network, readVia, gpuFeed, "30000000000")
	validUntil := time.Now().UTC().Add(300 * 24 * time.Hour).Format(time.RFC3339)
	tx("caliber", "appraise", id, "200000000000", validUntil, caliberReport, "--from", "appraiser")

	// The insurer mints USDai (x/stable), funds a pool and issues the policy the borrower requests.
	tx("stable", "mint", "600000000000uusdc", "--from", insurer.Name)
	tx("stable", "mint", "10000000000uusdc", "--from", borrower.Name)
	var poolBefore caliberPool
	poolExists := readVia.RESTGet("/infrafi/caliber/v1/pools/"+insurer.Address, &poolBefore) == nil
	balanceBefore, reservedBefore := sdkmath.ZeroInt(), sdkmath.ZeroInt()
	if poolExists {
		balanceBefore, reservedBefore = mustInt(t, poolBefore.Pool.Balance), mustInt(t, poolBefore.Pool.Reserved)
	}
	tx("caliber", "fund-insurance-pool", "500000000000", "--from", insurer.Name)
	expires := time.Now().UTC().Add(200 * 24 * time.Hour).Format(time.RFC3339)
	tx("caliber", "request-policy", id, insurer.Address, "200000000000", "150000000000", expires, "3000000000", "--from", borrower.Name)
	var requests struct {
		Requests []struct {
			ID      string `json:"id"`
			TitleID string `json:"title_id"`
		} `json:"requests"`
	}
	restGet("policy_requests?insurer="+insurer.Address, &requests)
	requestID := ""
	for _, r := range requests.Requests {
		if r.TitleID == id {
			requestID = r.ID
		}
	}
	require.NotEmpty(t, requestID, "the borrower's request is listed for the insurer")
	usdaiBefore := balance(t, readVia, borrower.Address, "uusdai")
	res = tx("caliber", "issue-policy", requestID, "2500000000", "--from", insurer.Name)
	require.Len(t, eventsOfType(res, "infrafi.caliber.v1.EventPolicyIssued"), 1)
	require.Equal(t, usdaiBefore.SubRaw(2_500_000_000).String(), balance(t, readVia, borrower.Address, "uusdai").String(), "the borrower paid the premium")
	var pool caliberPool
	restGet("pools/"+insurer.Address, &pool)
	require.Equal(t, balanceBefore.AddRaw(502_500_000_000).String(), pool.Pool.Balance)
	require.Equal(t, reservedBefore.AddRaw(150_000_000_000).String(), pool.Pool.Reserved)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	policy, err := calibertypes.NewQueryClient(readVia.GRPC()).Policy(ctx, &calibertypes.QueryPolicyRequest{TitleId: mustUint(t, id)})
	cancel()
	require.NoError(t, err)
	require.True(t, policy.Active)
	require.Equal(t, sdkmath.NewInt(150_000_000_000), policy.Policy.Coverage)

	// The valuation over REST is the appraisal depreciated for its age, below
	// the market value (8 × 30,000), so the appraisal binds.
	var v caliberValuation
	restGet("titles/"+id+"/valuation", &v)
	require.Len(t, v.Valuation.Appraisals, 1)
	a := v.Valuation.Appraisals[0]
	age := int64(v.Valuation.ComputedAt.Sub(a.AppraisedAt) / time.Second)
	require.Positive(t, age)
	factor := calibertypes.DepreciationFactor(sdkmath.LegacyMustNewDecFromStr("0.2"), sdkmath.LegacyMustNewDecFromStr("0.2"), age)
	require.True(t, factor.LT(sdkmath.LegacyOneDec()))
	require.Equal(t, factor.String(), sdkmath.LegacyMustNewDecFromStr(a.Factor).String())
	want := factor.MulInt64(200_000_000_000).TruncateInt()
	require.Equal(t, want.String(), a.DepreciatedValue)
	require.Equal(t, want.String(), v.Valuation.Value)
	require.True(t, mustInt(t, v.Valuation.Value).LT(sdkmath.NewInt(200_000_000_000)), "depreciated")
	require.True(t, v.Valuation.HasMarketValue)
	require.Equal(t, "240000000000", v.Valuation.MarketValue)
	require.Equal(t, calibertypes.BoundByAppraisal, v.Valuation.BoundBy)

	// A second title reusing a serial is refused by the chain.
	refusedRes, err := txVia.Tx("caliber", "mint-title", caliberH100Class, borrower.Address, custodian.Address, "2",
		fmt.Sprintf("E2E%09d-9", run), serials[5], "--from", "issuer", "--gas", caliberRefusedGas)
	require.Error(t, err)
	require.NotNil(t, refusedRes, err)
	require.Equal(t, calibertypes.ModuleName, refusedRes.Codespace, refusedRes.RawLog)
	require.Equal(t, calibertypes.ErrSerialInUse.ABCICode(), refusedRes.Code, refusedRes.RawLog)

	// The borrower transfers; the new owner redeems; the custodian releases: burned.
	tx("caliber", "transfer-title", id, depositor.Address, "--from", borrower.Name)
	restGet("titles/"+id, &bySerial)
	require.Equal(t, depositor.Address, bySerial.Title.Owner)
	tx("caliber", "request-redemption", id, "--from", depositor.Name)
	res = tx("caliber", "confirm-redemption", id, "--from", custodian.Name)
	require.Len(t, eventsOfType(res, "infrafi.caliber.v1.EventTitleRedeemed"), 1)

	code, body := restStatus(t, readVia, "/infrafi/caliber/v1/titles/"+id)
	require.Equal(t, http.StatusNotFound, code, body)
	code, body = restStatus(t, readVia, "/infrafi/caliber/v1/title_by_serial/"+serials[3])
	require.Equal(t, http.StatusNotFound, code, body)
	out, err := readVia.CLI("query", "caliber", "title", id, "--output", "json")
	require.Error(t, err, "the CLI finds no burned title: %s", out)
	restGet("pools/"+insurer.Address, &pool)
	require.Equal(t, reservedBefore.String(), pool.Pool.Reserved, "the burned title's coverage is released")
}

func eventsOfType(res *localnet.TxResult, eventType string) []localnet.Event {
	var out []localnet.Event
	for _, ev := range res.Events {
		if strings.EqualFold(ev.Type, eventType) {
			out = append(out, ev)
		}
	}
	return out
}

func mustInt(t *testing.T, s string) sdkmath.Int {
	t.Helper()
	v, ok := sdkmath.NewIntFromString(s)
	require.True(t, ok, "not an integer: %q", s)
	return v
}

func mustUint(t *testing.T, s string) uint64 {
	t.Helper()
	var v uint64
	_, err := fmt.Sscan(s, &v)
	require.NoError(t, err)
	return v
}

// restStatus GETs a REST path and returns the status code and body.
func restStatus(t *testing.T, node *localnet.Node, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(node.RESTURL() + path)
	require.NoError(t, err)
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return resp.StatusCode, sb.String()
}
