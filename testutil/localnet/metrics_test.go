package localnet

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseMetrics(t *testing.T) {
	text := `# HELP infrafi_oracle_price Median price.
# TYPE infrafi_oracle_price gauge
infrafi_oracle_price{feed="gpu/nvidia-h100-sxm5-80gb",unit="uusdai/gpu"} 2.5e+10
infrafi_oracle_price{feed="odd \"one\"\\x",unit="apr"} 0.0525
cometbft_consensus_height{chain_id="c"} 42
go_goroutines 17
`
	m, err := ParseMetrics(strings.NewReader(text))
	require.NoError(t, err)
	require.Len(t, m, 4)

	v, ok := m.Get("infrafi_oracle_price", "feed", "gpu/nvidia-h100-sxm5-80gb")
	require.True(t, ok)
	require.Equal(t, 25e9, v)
	v, ok = m.Get("infrafi_oracle_price", "feed", `odd "one"\x`)
	require.True(t, ok)
	require.Equal(t, 0.0525, v)
	v, ok = m.Get("go_goroutines")
	require.True(t, ok)
	require.Equal(t, 17.0, v)
	_, ok = m.Get("infrafi_oracle_price", "feed", "rate/tbill")
	require.False(t, ok)
	require.Len(t, m.Find("infrafi_oracle_price"), 2)

	_, err = ParseMetrics(strings.NewReader(`broken{feed="x 1`))
	require.Error(t, err)
}
