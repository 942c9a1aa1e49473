// Collateral: GPU titles by class, custodian and status with their
// valuation, custody and insurance; lookup by serial; one title's page.

import { get, getOr, all, partyNames } from '../api.js';
import { html, usd, pct, decimal, enumName, when, relative, isSet } from '../format.js';
import { card, section, table, who, badge, attrs } from './common.js';

// In enum order: the REST gateway takes a status filter as its number (index + 1).
const TITLE_STATUSES = ['PENDING_CUSTODY', 'ACTIVE', 'PLEDGED', 'FORECLOSING', 'REDEMPTION_REQUESTED', 'REDEEMED', 'CASUALTY'];
// SERIAL is x/caliber's serial rule: 1 to 64 of [A-Z0-9._-], starting
// alphanumeric. Input is upper-cased first, as serials are stored.
const SERIAL = /^[A-Z0-9][A-Z0-9._-]{0,63}$/;

const titleStatus = (t) => enumName(t.status, 'TITLE_STATUS_');

// titleFacts reads what the tables show about one title.
async function titleFacts(id) {
  const [t, valuation, policy] = await Promise.all([
    get(`/infrafi/caliber/v1/titles/${id}`),
    getOr(`/infrafi/caliber/v1/titles/${id}/valuation`, null),
    getOr(`/infrafi/caliber/v1/titles/${id}/policy`, null),
  ]);
  return { t, valuation: valuation && valuation.valuation, policy: policy && policy.policy };
}

function custodyAge(custody, now) {
  if (!custody || !isSet(custody.last_attested_at)) return html`<span class="muted">never attested</span>`;
  return html`${relative(custody.last_attested_at, now)}${custody.stale ? html` ${badge('stale')}` : ''}`;
}

export const collateral = {
  title: 'Collateral',
  nav: 'collateral',
  parse(q, ignored) {
    const opts = {};
    for (const [k, v] of q.entries()) {
      if (v === '') continue;
      if (k === 'status') {
        const up = v.toUpperCase().replace(/^TITLE_STATUS_/, '');
        if (TITLE_STATUSES.includes(up)) opts.status = up;
        else ignored.push(`Ignored the unknown title status "${v}".`);
      } else if (k === 'class' || k === 'custodian') {
        if (/^[A-Za-z0-9._\-/]{1,128}$/.test(v)) opts[k] = v;
        else ignored.push(`Ignored the malformed ${k} "${v}".`);
      } else if (k === 'serial') {
        const serial = v.trim().toUpperCase();
        if (SERIAL.test(serial)) opts.serial = serial;
        else ignored.push(`Ignored "${v}": a serial is 1 to 64 letters, digits, ".", "_" or "-".`);
      } else ignored.push(`Ignored the unknown parameter "${k}".`);
    }
    return opts;
  },
  controls(opts) {
    return html`<form id="serial-form" class="filter" data-testid="serial-form">
        <label>Serial <input id="serial" name="serial" data-testid="serial-input" value="${opts.serial || ''}" placeholder="e.g. SN-0001" autocomplete="off"></label>
        <button type="submit">Find title</button>
      </form>
      <label class="filter">Status <select id="title-status" data-testid="title-status-filter"><option value="">all</option>${TITLE_STATUSES.map((s) => html`<option ${opts.status === s ? 'selected' : ''}>${s}</option>`)}</select></label>`;
  },
  bind(el, opts) {
    el.querySelector('#serial-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const s = el.querySelector('#serial').value.trim();
      location.hash = s ? `#/collateral?serial=${encodeURIComponent(s)}` : '#/collateral';
    });
    el.querySelector('#title-status').addEventListener('change', (e) => {
      const q = new URLSearchParams();
      if (opts.class) q.set('class', opts.class);
      if (opts.custodian) q.set('custodian', opts.custodian);
      if (e.target.value) q.set('status', e.target.value);
      location.hash = `#/collateral${q.toString() ? '?' + q : ''}`;
    });
  },
  async load(ctx) {
    let lookup = '';
    if (ctx.opts.serial) {
      const r = await getOr(`/infrafi/caliber/v1/title_by_serial/${encodeURIComponent(ctx.opts.serial)}`, null);
      const t = r && r.title;
      lookup = t
        ? html`<p class="found" data-testid="serial-result">Serial <code>${ctx.opts.serial}</code> is in <a href="#/title/${t.id}" data-testid="serial-title">title #${t.id}</a> (${t.class_id}, ${titleStatus(t)}).</p>`
        : html`<p class="warn" data-testid="serial-result">No live title holds serial <code>${ctx.opts.serial}</code>.</p>`;
    }
    const q = new URLSearchParams();
    if (ctx.opts.class) q.set('class_id', ctx.opts.class);
    if (ctx.opts.status) q.set('status', String(TITLE_STATUSES.indexOf(ctx.opts.status) + 1));
    if (ctx.opts.custodian) q.set('custodian', ctx.opts.custodian);
    const [list, classes, names] = await Promise.all([
      all(`/infrafi/caliber/v1/titles${q.toString() ? '?' + q : ''}`, 'titles'),
      all('/infrafi/caliber/v1/asset_classes', 'asset_classes'),
      partyNames(),
    ]);
    const facts = await Promise.all(list.map((t) => titleFacts(t.id)));
    const rows = facts.map(({ t, valuation, policy }) => {
      const title = t.title;
      return {
        attrs: attrs({ 'data-title': title.id }),
        cells: [
          html`<a href="#/title/${title.id}">#${title.id}</a>`,
          html`<a href="#/collateral?class=${encodeURIComponent(title.class_id)}">${title.class_id}</a>`,
          title.units,
          badge(titleStatus(title)),
          html`<a href="#/collateral?custodian=${encodeURIComponent(title.custodian)}" title="titles held by this custodian">${who(title.custodian, names)}</a>`,
          html`<span data-testid="title-value-${title.id}">${valuation ? usd(valuation.value) : '—'}</span>`,
          valuation ? valuation.bound_by || '—' : '—',
          custodyAge(t.custody, ctx.now),
          policy ? html`${usd(policy.coverage)} <small class="rel">by ${who(policy.insurer, names)}</small>` : html`<span class="muted">uninsured</span>`,
        ],
      };
    });
    const classRows = classes.map((c) => ({
      cells: [
        html`<a href="#/collateral?class=${encodeURIComponent(c.id)}">${c.id}</a>`,
        `${c.manufacturer || ''} ${c.model || ''}`.trim() || '—',
        pct(c.max_ltv),
        pct(c.depreciation_per_year),
        pct(c.residual_ratio),
        c.market_feed || html`<span class="muted">none</span>`,
        c.eligible ? 'yes' : 'no',
      ],
    }));
    return html`<h1>Collateral${ctx.opts.class ? html` <small>· ${ctx.opts.class}</small>` : ''}${ctx.opts.custodian ? html` <small>· custodian ${names.get(ctx.opts.custodian) || ctx.opts.custodian}</small>` : ''}${ctx.opts.status ? html` <small>· ${ctx.opts.status}</small>` : ''}</h1>
      ${lookup}
      ${section('Titles', table(['Title', 'Class', 'Units', 'Status', 'Custodian', 'Value', 'Bound by', 'Custody attested', 'Insurance'], rows, { id: 'titles', empty: 'No title matches.' }))}
      ${section('Asset classes', table(['Class', 'Model', 'Max LTV', 'Depreciation / year', 'Residual', 'Market feed', 'Eligible'], classRows, { id: 'classes' }))}`;
  },
};

export const title = {
  title: 'Title',
  nav: 'collateral',
  notFound: (params) => `There is no title ${params[0]} on this chain.`,
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const id = ctx.params[0];
    const [{ t, valuation, policy }, names] = await Promise.all([titleFacts(id), partyNames()]);
    const tt = t.title || {};
    const custody = t.custody;
    const apprRows = ((valuation && valuation.appraisals) || []).map((a) => ({
      cells: [who(a.appraiser, names), usd(a.value), when(a.appraised_at, ctx.now), when(a.valid_until, ctx.now), decimal(a.factor, 4), usd(a.depreciated_value)],
    }));
    return html`<h1>Title #${tt.id} ${badge(titleStatus(tt))}</h1>
      <div class="cards">
        ${card('Value', valuation ? usd(valuation.value) : '—', 'title-value', valuation ? `bound by ${valuation.bound_by || '—'}` : 'no valuation')}
        ${card('Appraised (depreciated)', valuation ? usd(valuation.appraised_value) : '—', 'title-appraised')}
        ${card('Market bound', valuation && valuation.has_market_value ? usd(valuation.market_value) : '—', 'title-market', valuation && valuation.has_market_value ? `${tt.units} × ${usd(String(valuation.market_price).split('.')[0])}` : 'no market feed')}
        ${card('Insured coverage', policy ? usd(policy.coverage) : '—', 'title-coverage')}
      </div>
      ${section(
        'Title',
        html`<dl class="facts">
          <dt>Class</dt><dd><a href="#/collateral?class=${encodeURIComponent(tt.class_id || '')}">${tt.class_id}</a></dd>
          <dt>Units</dt><dd>${tt.units}</dd>
          <dt>Serials</dt><dd data-testid="title-serials">${(tt.serials || []).map((s) => html`<code>${s}</code> `)}</dd>
          <dt>Owner</dt><dd>${who(tt.owner, names)}</dd>
          <dt>Issuer</dt><dd>${who(tt.issuer, names)}</dd>
          <dt>Custodian</dt><dd>${who(tt.custodian, names)}</dd>
          <dt>Facility</dt><dd>${tt.facility || '—'} ${tt.jurisdiction ? `(${tt.jurisdiction})` : ''}</dd>
          <dt>Created</dt><dd>${when(tt.created_at, ctx.now)}</dd>
        </dl>`,
      )}
      ${section(
        'Custody attestation',
        custody
          ? html`<dl class="facts"><dt>Last attested</dt><dd>${when(custody.last_attested_at, ctx.now)}</dd><dt>Expires</dt><dd>${when(custody.expires_at, ctx.now)}</dd><dt>Online</dt><dd>${custody.online ? 'yes' : 'no'}</dd><dt>Uptime</dt><dd>${custody.uptime_bps !== undefined ? (custody.uptime_bps / 100).toFixed(2) + '%' : '—'}</dd><dt>Stale</dt><dd>${custody.stale ? badge('stale') : 'no'}</dd></dl>`
          : html`<p class="muted">Never attested.</p>`,
      )}
      ${section('Appraisals (depreciated to today)', table(['Appraiser', 'Value', 'Appraised', 'Valid until', 'Factor', 'Depreciated'], apprRows, { id: 'appraisals', empty: 'No appraisal.' }))}
      ${section(
        'Insurance policy',
        policy
          ? html`<dl class="facts"><dt>Insurer</dt><dd>${who(policy.insurer, names)}</dd><dt>Insured value</dt><dd>${usd(policy.insured_value)}</dd><dt>Coverage</dt><dd>${usd(policy.coverage)}</dd><dt>Premium</dt><dd>${usd(policy.premium)}</dd><dt>From</dt><dd>${when(policy.starts_at, ctx.now)}</dd><dt>Expires</dt><dd>${when(policy.expires_at, ctx.now)}</dd></dl>`
          : html`<p class="muted">Uninsured.</p>`,
      )}`;
  },
};
