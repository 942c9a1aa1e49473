// Auctions: open Dutch auctions with the price a bid pays now, and the
// history of sold, unsold (written off) and recovered lots.

import { get, all, partyNames } from '../api.js';
import { html, usd, enumName, when, duration, decimal } from '../format.js';
import { card, section, table, who, badge, attrs } from './common.js';

const auctionStatus = (a) => enumName(a.status, 'AUCTION_STATUS_');

// floor is top_price × floor_ratio, truncated like the chain.
function floor(a) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(a.floor_ratio || '');
  if (!m || !/^\d+$/.test(a.top_price || '')) return null;
  const ratio = BigInt(m[1]) * 10n ** 18n + BigInt(((m[2] || '') + '0'.repeat(18)).slice(0, 18));
  return ((BigInt(a.top_price) * ratio) / 10n ** 18n).toString();
}

function titlesCell(a) {
  return html`${(a.title_ids || []).map((t) => html`<a href="#/title/${t}">#${t}</a> `)}`;
}

export const auctions = {
  title: 'Auctions',
  nav: 'auctions',
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const [list, names] = await Promise.all([all('/infrafi/lending/v1/auctions', 'auctions'), partyNames()]);
    const open = list.filter((a) => auctionStatus(a) === 'OPEN');
    const closed = list.filter((a) => auctionStatus(a) !== 'OPEN');
    // The list has no current price: read each open auction for it.
    const prices = await Promise.all(open.map((a) => get(`/infrafi/lending/v1/auctions/${a.id}`)));
    const openRows = open.map((a, i) => ({
      attrs: attrs({ 'data-auction': a.id }),
      cells: [
        html`<a href="#/auction/${a.id}">#${a.id}</a>`,
        html`<a href="#/loan/${a.id}">#${a.id}</a>`,
        titlesCell(a),
        html`<b class="price" data-testid="auction-price-${a.id}">${usd(prices[i].current_price)}</b>`,
        usd(a.top_price),
        html`<span data-testid="auction-floor-${a.id}">${usd(floor(a))}</span>`,
        when(a.ends_at, ctx.now),
        `${a.resets} / ${a.max_resets}`,
      ],
    }));
    const closedRows = closed.map((a) => {
      const w = a.waterfall || {};
      return {
        attrs: attrs({ 'data-auction': a.id }),
        cells: [
          html`<a href="#/auction/${a.id}">#${a.id}</a>`,
          badge(auctionStatus(a)),
          titlesCell(a),
          /^\d+$/.test(a.price_paid || '') && a.price_paid !== '0' ? usd(a.price_paid) : '—',
          who(a.buyer, names),
          w.senior_loss !== undefined ? usd(w.senior_loss) : '—',
          w.junior_loss !== undefined ? usd(w.junior_loss) : '—',
          when(a.closed_at, ctx.now),
        ],
      };
    });
    return html`<h1>Auctions</h1>
      ${section('Open', table(['Auction', 'Loan', 'Titles', 'Price now', 'Top', 'Floor', 'Round ends', 'Resets'], openRows, { id: 'open-auctions', empty: 'No auction is open.' }))}
      ${section('History', table(['Auction', 'Outcome', 'Titles', 'Sold for', 'Buyer', 'Vault loss', 'First-loss loss', 'Closed'], closedRows, { id: 'closed-auctions', empty: 'No auction has closed yet.' }))}`;
  },
};

export const auction = {
  title: 'Auction',
  nav: 'auctions',
  notFound: (params) => `There is no auction ${params[0]} on this chain (an auction has its loan's id).`,
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const id = ctx.params[0];
    const [res, names] = await Promise.all([get(`/infrafi/lending/v1/auctions/${id}`), partyNames()]);
    const a = res.auction || {};
    const w = a.waterfall || {};
    const st = auctionStatus(a);
    const wRows = Object.entries(w)
      .filter(([, v]) => typeof v === 'string' && /^\d+$/.test(v))
      .map(([k, v]) => ({ cells: [k.replace(/_/g, ' '), usd(v)] }));
    return html`<h1>Auction #${a.id} ${badge(st)}</h1>
      <div class="cards">
        ${st === 'OPEN' ? card('Price now', html`<span class="price">${usd(res.current_price)}</span>`, 'auction-price', 'what a bid pays in this block') : ''}
        ${card('Reference value', usd(a.reference_value), 'auction-reference')}
        ${card('Top price', usd(a.top_price), 'auction-top')}
        ${card('Floor', usd(floor(a)), 'auction-floor', `${decimal(a.floor_ratio, 2)} × top`)}
        ${card('Resets', `${a.resets} / ${a.max_resets}`, 'auction-resets')}
        ${/^\d+$/.test(a.price_paid || '') && a.price_paid !== '0' ? card('Sold for', usd(a.price_paid), 'auction-paid') : ''}
      </div>
      ${section(
        'Lot',
        html`<dl class="facts">
          <dt>Loan</dt><dd><a href="#/loan/${a.id}">#${a.id}</a></dd>
          <dt>Titles</dt><dd>${titlesCell(a)}</dd>
          <dt>Started</dt><dd>${when(a.started_at, ctx.now)}</dd>
          <dt>Round start</dt><dd>${when(a.round_start, ctx.now)}</dd>
          ${st === 'OPEN' ? html`<dt>Round ends</dt><dd>${when(a.ends_at, ctx.now)}</dd>` : ''}
          <dt>Round length</dt><dd>${duration(a.duration)}</dd>
          <dt>Buyer</dt><dd>${who(a.buyer, names)}</dd>
          <dt>Closed</dt><dd>${when(a.closed_at, ctx.now)}</dd>
        </dl>`,
      )}
      ${wRows.length && st !== 'OPEN' ? section('Waterfall', table(['Part', 'USDai'], wRows, { id: 'waterfall' })) : ''}`;
  },
};
