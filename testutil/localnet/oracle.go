package localnet

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	sdkmath "cosmossdk.io/math"

	"github.com/infrafi/infrafi/x/oracle/provider"
)

// PriceFile is the file this node's price provider reads for feedID (written
// by `infrafid localnet init`, which prices every localnet feed through the
// validators' vote extensions).
func (n *Node) PriceFile(feedID string) string {
	return filepath.Join(n.Home, "oracle", provider.FeedFileName(feedID))
}

// SetPrice makes this validator report value for feedID from its next refresh
// (within a second). Any content is allowed, so a test can make the source fail.
func (n *Node) SetPrice(feedID, value string) error {
	path := n.PriceFile(feedID)
	tmp := path + ".tmp"
	// Write then rename, so the provider never reads half a file.
	if err := os.WriteFile(tmp, []byte(value+"\n"), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SetPrice makes every validator report value for feedID.
func (n *Network) SetPrice(feedID, value string) error {
	for _, node := range n.Nodes {
		if err := node.SetPrice(feedID, value); err != nil {
			return fmt.Errorf("%s: %w", node.Name, err)
		}
	}
	return nil
}

// PriceJSON is the REST form of an x/oracle price.
type PriceJSON struct {
	FeedID    string            `json:"feed_id"`
	Value     sdkmath.LegacyDec `json:"value"`
	UpdatedAt time.Time         `json:"updated_at"`
	Valid     bool              `json:"valid"`
	NumPosts  uint32            `json:"num_posts"`
}

// Price reads feedID's chain price through this node's REST API.
func (n *Node) Price(feedID string) (PriceJSON, error) {
	var res struct {
		Price PriceJSON `json:"price"`
	}
	err := n.RESTGet("/infrafi/oracle/v1/price/"+feedID, &res)
	return res.Price, err
}

// WaitForPrice polls this node until feedID's chain price is value and valid,
// and returns the height it saw it at.
func (n *Node) WaitForPrice(feedID string, value sdkmath.LegacyDec, timeout time.Duration) (int64, error) {
	deadline := time.Now().Add(timeout)
	var last PriceJSON
	var lastErr error
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		h, err := n.Height(ctx)
		cancel()
		if err == nil {
			last, lastErr = n.Price(feedID)
			if lastErr == nil && last.Valid && last.Value.Equal(value) {
				return h, nil
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	return 0, fmt.Errorf("%s: price of %s is %+v (error %v), want %s", n.Name, feedID, last, lastErr, value)
}

// SetPriceAndWait sets every validator's price for feedID and waits until the
// chain's price (their median) is value on via.
func (n *Network) SetPriceAndWait(via *Node, feedID, value string, timeout time.Duration) (int64, error) {
	v, err := sdkmath.LegacyNewDecFromStr(value)
	if err != nil {
		return 0, err
	}
	if err := n.SetPrice(feedID, value); err != nil {
		return 0, err
	}
	return via.WaitForPrice(feedID, v, timeout)
}
