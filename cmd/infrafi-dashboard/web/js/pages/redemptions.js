// Redemptions: the sUSDai epoch, its cancel cutoff, and the queue in the
// order the vault serves it (highest bid first, then first come).

import { get, all, partyNames } from '../api.js';
import { html, usd, fixed, bps, when, relative, decimal } from '../format.js';
import { card, section, table, who, attrs } from './common.js';

export const redemptions = {
  title: 'Redemptions',
  nav: 'redemptions',
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const [epoch, queue, vault, names] = await Promise.all([
      get('/infrafi/yield/v1/epoch'),
      all('/infrafi/yield/v1/queue', 'requests'),
      get('/infrafi/yield/v1/vault'),
      partyNames(),
    ]);
    const e = epoch.epoch || {};
    const round = epoch.round || {};
    const price = (vault.vault || {}).redemption_price;
    const rows = queue.map((r, i) => ({
      attrs: attrs({ 'data-request': r.id }),
      cells: [
        i + 1,
        `#${r.id}`,
        who(r.owner, names),
        html`<span data-testid="request-shares-${r.id}">${fixed(r.shares, 6, 2)}</span>`,
        bps(r.bid_bps),
        r.epoch,
        when(r.requested_at, ctx.now),
      ],
    }));
    return html`<h1>Redemptions</h1>
      <div class="cards">
        ${card('Epoch', e.number ?? '—', 'epoch-number', html`${when(e.start, ctx.now)}`)}
        ${card('Epoch ends', html`${relative(e.end, ctx.now)}`, 'epoch-end', html`${when(e.end, ctx.now)}`)}
        ${card('Cancel cutoff', epoch.cancellable ? html`${relative(epoch.cancel_cutoff, ctx.now)}` : 'passed', 'cancel-cutoff', html`${when(epoch.cancel_cutoff, ctx.now)}`)}
        ${card('Queued sUSDai', fixed(epoch.queued_shares, 6, 2), 'queued-shares')}
        ${card('Redemption price', decimal(price, 6), 'queue-redemption-price', 'USDai per sUSDai')}
        ${round.active ? card('Serving round', html`epoch ${round.epoch}: ${round.served} served, ${usd(round.paid)} USDai paid`, 'round') : ''}
      </div>
      ${section('Queue in service order', table(['Order', 'Request', 'Owner', 'sUSDai', 'Bid', 'Epoch', 'Requested'], rows, { id: 'queue', empty: 'The queue is empty.' }))}`;
  },
};
