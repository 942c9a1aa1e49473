// Insurance: insurers' pools (reserved and free capacity) and every title's
// policy.

import { all, getOr, partyNames } from '../api.js';
import { html, usd, when } from '../format.js';
import { card, section, table, who, attrs } from './common.js';

function free(p) {
  if (!/^\d+$/.test(p.balance || '') || !/^\d+$/.test(p.reserved || '')) return null;
  return (BigInt(p.balance) - BigInt(p.reserved)).toString();
}

export const insurance = {
  title: 'Insurance',
  nav: 'insurance',
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const [pools, titles, requests, names] = await Promise.all([
      all('/infrafi/caliber/v1/pools', 'pools'),
      all('/infrafi/caliber/v1/titles', 'titles'),
      all('/infrafi/caliber/v1/policy_requests', 'requests').catch(() => []),
      partyNames(),
    ]);
    // There is no policy list: a policy is read per title.
    const policies = (await Promise.all(titles.map((t) => getOr(`/infrafi/caliber/v1/titles/${t.id}/policy`, null)))).filter((p) => p && p.policy).map((p) => p.policy);
    let balance = 0n;
    let reserved = 0n;
    for (const p of pools) {
      if (/^\d+$/.test(p.balance || '')) balance += BigInt(p.balance);
      if (/^\d+$/.test(p.reserved || '')) reserved += BigInt(p.reserved);
    }
    const poolRows = pools.map((p) => ({
      attrs: attrs({ 'data-pool': p.insurer }),
      cells: [who(p.insurer, names), html`<span data-testid="pool-balance-${p.insurer}">${usd(p.balance)}</span>`, usd(p.reserved), html`<span data-testid="pool-free-${p.insurer}">${usd(free(p))}</span>`],
    }));
    const policyRows = policies.map((p) => ({
      attrs: attrs({ 'data-policy': p.title_id }),
      cells: [html`<a href="#/title/${p.title_id}">#${p.title_id}</a>`, who(p.insurer, names), usd(p.insured_value), html`<span data-testid="policy-coverage-${p.title_id}">${usd(p.coverage)}</span>`, usd(p.premium), when(p.starts_at, ctx.now), when(p.expires_at, ctx.now)],
    }));
    const requestRows = requests.map((r) => ({
      cells: [`#${r.id}`, html`<a href="#/title/${r.title_id}">#${r.title_id}</a>`, who(r.insurer, names), usd(r.coverage), usd(r.max_premium), when(r.expires_at, ctx.now)],
    }));
    return html`<h1>Insurance</h1>
      <div class="cards">
        ${card('Pool balances', usd(balance.toString()), 'pools-balance')}
        ${card('Reserved by policies', usd(reserved.toString()), 'pools-reserved')}
        ${card('Free capacity', usd((balance - reserved).toString()), 'pools-free')}
        ${card('Policies in force', String(policies.length), 'policies-count')}
      </div>
      ${section('Pools', table(['Insurer', 'Balance', 'Reserved', 'Free'], poolRows, { id: 'pools', empty: 'No insurer has funded a pool.' }))}
      ${section('Policies', table(['Title', 'Insurer', 'Insured value', 'Coverage', 'Premium', 'From', 'Expires'], policyRows, { id: 'policies', empty: 'No policy.' }))}
      ${requests.length ? section('Open policy requests', table(['Request', 'Title', 'Insurer', 'Coverage', 'Max premium', 'Expires'], requestRows, { id: 'policy-requests' })) : ''}`;
  },
};
