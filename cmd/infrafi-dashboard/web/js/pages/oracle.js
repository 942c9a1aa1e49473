// Oracle: every feed with its price, age, validity and who prices it: the
// validators through vote extensions, or registered feeders.

import { get, all, partyNames } from '../api.js';
import { html, decimal, usd, when, relative, duration, isSet } from '../format.js';
import { section, table, who, badge, attrs } from './common.js';

// value writes a feed value in its unit: micro-USDai per something reads as USDai.
export function feedValue(value, unit) {
  if (typeof unit === 'string' && /^uusdai\b/i.test(unit)) {
    const int = (value || '').split('.')[0];
    return html`${usd(int)} <small class="rel">USDai${unit.replace(/^uusdai/i, '')}</small>`;
  }
  return html`${decimal(value, 6)}${unit ? html` <small class="rel">${unit}</small>` : ''}`;
}

// byValidators is true for a feed priced by the validators' vote extensions
// (the REST gateway writes the enum by name; older nodes have no source).
export function byValidators(feed) {
  return feed.source === 'FEED_SOURCE_VOTE_EXTENSIONS' || feed.source === 1;
}

export const oracle = {
  title: 'Oracle',
  nav: 'oracle',
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const [feeds, prices, names] = await Promise.all([all('/infrafi/oracle/v1/feeds', 'feeds'), get('/infrafi/oracle/v1/prices'), partyNames()]);
    const byFeed = new Map((prices.prices || []).map((p) => [p.feed_id, p]));
    const feeders = await Promise.all(feeds.map((f) => (byValidators(f) ? [] : get(`/infrafi/oracle/v1/feeders/${f.id}`).then((r) => r.feeders || []))));
    const rows = feeds.map((f, i) => {
      const p = byFeed.get(f.id);
      return {
        attrs: attrs({ 'data-feed': f.id }),
        cells: [
          html`<b>${f.id}</b>${f.description ? html`<small class="rel">${f.description}</small>` : ''}`,
          p ? html`<span data-testid="feed-value-${f.id}">${feedValue(p.value, f.unit)}</span>` : html`<span class="muted">no price</span>`,
          p && isSet(p.updated_at) ? html`${relative(p.updated_at, ctx.now).replace(' ago', '')} <small class="rel">${when(p.updated_at, ctx.now)}</small>` : '—',
          duration(f.max_age),
          p ? (p.valid ? badge('valid') : badge('stale')) : badge('none', 'stale'),
          html`<span data-testid="feed-source-${f.id}">${byValidators(f) ? 'validators' : 'feeders'}</span>`,
          byValidators(f)
            ? html`<span class="muted">stake-weighted median of the validators' vote extensions</span>`
            : html`${feeders[i].map((a) => html`<div>${who(a, names)}</div>`)}`,
        ],
      };
    });
    return html`<h1>Oracle</h1>
      ${section('Feeds', table(['Feed', 'Price', 'Age', 'Max age', 'State', 'Source', 'Priced by'], rows, { id: 'feeds', empty: 'No feed registered.' }))}`;
  },
};
