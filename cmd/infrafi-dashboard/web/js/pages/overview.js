// Overview: proof of reserves, the sUSDai vault (NAV, prices, APR, where the
// money is) and two charts.

import { get } from '../api.js';
import { html, usd, fixed, decimal, pct, denomName } from '../format.js';
import { card, section, table, splitBar, attrs } from './common.js';
import { lineChart } from '../charts.js';

// HISTORY_POINTS bounds the share-price chart to the latest checkpoints.
const HISTORY_POINTS = 500;

export const overview = {
  title: 'Overview',
  nav: 'overview',
  async load() {
    const [por, reserves, vaultRes, apr, history] = await Promise.all([
      get('/infrafi/stable/v1/proof_of_reserves'),
      get('/infrafi/stable/v1/reserves'),
      get('/infrafi/yield/v1/vault'),
      get('/infrafi/yield/v1/apr'),
      get(`/infrafi/yield/v1/price_history?pagination.limit=${HISTORY_POINTS}&pagination.reverse=true`),
    ]);
    const v = vaultRes.vault || {};
    const book = v.book || {};
    const treasury = v.treasury || {};
    this.points = (history.checkpoints || []).slice().sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

    const statusByDenom = new Map((reserves.reserves || []).map((r) => [r.asset && r.asset.denom, r]));
    const reserveRows = (por.reserves || []).map((r) => {
      const st = statusByDenom.get(r.denom) || {};
      // IBC vouchers carry an origin (channel, base denom); where the node
      // puts it may differ between the reserve status and its asset.
      const origin = r.origin || st.origin || (st.asset && st.asset.origin);
      const flags = [];
      if (st.depegged) flags.push('depegged');
      if (st.mintable === false) flags.push('not mintable');
      return {
        attrs: attrs({ 'data-denom': r.denom }),
        cells: [
          html`<b>${denomName(r.denom)}</b>${origin ? html`<small class="rel" data-testid="reserve-origin-${r.denom}">origin ${typeof origin === 'string' ? origin : Object.values(origin).join(' / ')}</small>` : ''}${r.denom !== denomName(r.denom) ? html`<small class="rel"><code>${r.denom}</code></small>` : ''}`,
          html`<span data-testid="reserve-held-${r.denom}">${usd(r.held)}</span>`,
          html`<span data-testid="reserve-treasury-${r.denom}">${usd(r.treasury_outstanding)}</span>`,
          st.fx_price_valid ? decimal(st.fx_price, 4) : html`<span class="muted">no fresh price</span>`,
          st.asset && st.asset.cap && st.asset.cap !== '0' ? usd(st.asset.cap) : 'none',
          flags.length ? flags.join(', ') : html`<span class="ok">ok</span>`,
        ],
      };
    });

    const realized = (apr.realized || []).map((r) => card(`Realized APR, ${r.window_days} d`, pct(r.apr), `apr-${r.window_days}`));

    return html`
      <h1>Overview</h1>
      ${section(
        'Proof of reserves',
        html`<div class="cards">
          ${card('USDai supply', usd(por.usdai_supply), 'usdai-supply')}
          ${card('Reserves held', usd(por.reserves_held), 'reserves-held', 'in the x/stable module account')}
          ${card('With the treasury (T-bills)', usd(por.treasury_outstanding), 'treasury-outstanding')}
          ${card('Total reserves', usd(por.total_reserves), 'total-reserves')}
          ${card('Backing ratio (held)', pct(por.ratio), 'backing-ratio', 'reserves held / supply')}
          ${card('Backing ratio (total)', pct(por.total_ratio), 'total-ratio', 'held + treasury / supply')}
        </div>
        ${table(['Reserve', 'Held', 'With treasury', 'FX price', 'Cap', 'Status'], reserveRows, { id: 'reserves', empty: 'No reserve asset holds anything yet.' })}`,
      )}
      ${section(
        'sUSDai vault',
        html`<div class="cards">
          ${card('NAV', usd(v.nav), 'nav')}
          ${card('Conservative NAV', usd(v.conservative_nav), 'conservative-nav', 'NAV less write-downs of impaired loans')}
          ${card('Share price', decimal(v.share_price, 6), 'share-price', 'USDai per sUSDai')}
          ${card('Redemption price', decimal(v.redemption_price, 6), 'redemption-price', 'what a redemption pays per sUSDai')}
          ${card('sUSDai outstanding', fixed(v.total_shares, 6, 2), 'total-shares')}
          ${card('Projected APR', pct(apr.projected), 'apr-projected', 'from today\u2019s book and T-bill rate')}
          ${realized}
        </div>`,
      )}
      ${section(
        'Where the vault\u2019s money is',
        splitBar(
          [
            { label: 'Idle USDai', value: v.idle, key: 'split-idle' },
            { label: 'T-bills', value: treasury.principal, key: 'split-tbills' },
            { label: 'Senior loan book', value: book.principal, key: 'split-book' },
          ],
          usd,
        ),
      )}
      <div class="charts">
        ${section('Share price history', this.points.length > 1 ? html`<div class="chart" id="chart-price"></div>` : html`<p class="muted">Not enough checkpoints yet.</p>`)}
        ${section('NAV and conservative NAV', this.points.length > 1 ? html`<div class="chart" id="chart-nav"></div>` : html`<p class="muted">Not enough checkpoints yet.</p>`)}
      </div>`;
  },
  after(root) {
    const pts = this.points || [];
    if (pts.length < 2) return;
    const t = pts.map((p) => new Date(p.time).getTime() / 1000);
    // Charts need numbers; the exact figures are in the cards above.
    lineChart(root.querySelector('#chart-price'), t, [{ label: 'share price', values: pts.map((p) => Number(p.share_price)) }], 6);
    lineChart(
      root.querySelector('#chart-nav'),
      t,
      [
        { label: 'NAV', values: pts.map((p) => Number(p.nav) / 1e6) },
        { label: 'conservative NAV', values: pts.map((p) => Number(p.conservative_nav) / 1e6) },
      ],
      0,
    );
  },
};
