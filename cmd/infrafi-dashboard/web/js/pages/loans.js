// Loans: the whole book with a status filter, and one loan's page.

import { get, getOr, all, partyNames } from '../api.js';
import { html, usd, pct, ratioPct, enumName, when, utc, duration, decimal, decScaled, isSet } from '../format.js';
import { card, section, table, who, badge, attrs } from './common.js';

// In enum order: the REST gateway takes a status filter as its number (index + 1).
export const LOAN_STATUSES = ['PENDING', 'ACTIVE', 'DELINQUENT', 'MARGIN_CALL', 'DEFAULTED', 'FORECLOSING', 'REPAID', 'CANCELLED', 'EXPIRED', 'LIQUIDATED', 'WRITTEN_OFF'];

// OPEN are the statuses in which a loan still owes and holds its collateral.
const OPEN = new Set(['ACTIVE', 'DELINQUENT', 'MARGIN_CALL', 'DEFAULTED', 'FORECLOSING']);
const UNFUNDED = new Set(['PENDING', 'CANCELLED', 'EXPIRED']);
// PERFORMING loans still follow their schedule.
const PERFORMING = new Set(['ACTIVE', 'DELINQUENT', 'MARGIN_CALL']);
// SCHEDULE_ROWS bounds the upcoming payments a loan page lists.
const SCHEDULE_ROWS = 12;

export const loanStatus = (l) => enumName(l.status, 'LOAN_STATUS_');

// outstanding is the principal the loan still owes: the vault's senior
// balance plus the curator's junior principal (nothing before funding).
export function outstanding(l) {
  if (UNFUNDED.has(loanStatus(l))) return null;
  const senior = l.senior && /^\d+$/.test(l.senior.balance) ? BigInt(l.senior.balance) : 0n;
  const junior = /^\d+$/.test(l.junior_principal || '') ? BigInt(l.junior_principal) : 0n;
  return (senior + junior).toString();
}

// collateralValue sums the current valuations of a loan's titles (null when
// none can be valued).
async function collateralValue(l) {
  const vals = await Promise.all((l.title_ids || []).map((id) => getOr(`/infrafi/caliber/v1/titles/${id}/valuation`, null)));
  let sum = 0n;
  let any = false;
  for (const v of vals) {
    if (v && v.valuation && /^\d+$/.test(v.valuation.value)) {
      sum += BigInt(v.valuation.value);
      any = true;
    }
  }
  return any ? sum.toString() : null;
}

// coins lists a balance: USDai with separators, other denoms as base units.
function coins(list) {
  if (!list || list.length === 0) return html`<span class="muted">empty</span>`;
  return html`${list.map((c) => html`<div>${c.denom === 'uusdai' ? html`${usd(c.amount)} USDai` : html`${c.amount} <small class="rel">${c.denom}</small>`}</div>`)}`;
}

// lockboxSection shows the loan's revenue lockbox (x/lending "Revenue and
// the lockbox"): where rent is paid, what it holds, the cash-flow record
// and the debt-service coverage against the product's covenant.
function lockboxSection(res, l, ctx) {
  if (!res.lockbox) return '';
  const terms = l.terms || {};
  const minDscr = decScaled(terms.min_dscr || '0');
  const periods = [...(l.cash_flow || [])].sort((a, b) => Date.parse(a.end) - Date.parse(b.end));
  const rows = periods.map((p) => ({
    cells: [when(p.end, ctx.now), usd(p.revenue), usd(p.debt_service), ratioPct(p.revenue, p.debt_service)],
  }));
  const facts = [
    ['Lockbox address', html`<code data-testid="loan-lockbox">${res.lockbox}</code>`],
    ['Holds', html`<span data-testid="loan-lockbox-balance">${coins(res.lockbox_balance)}</span>`],
    ['Debt-service coverage', html`<span data-testid="loan-dscr">${periods.length ? decimal(res.dscr, 2) + '×' : '—'}</span>`],
    ['Covenant', minDscr && minDscr > 0n ? html`at least ${decimal(terms.min_dscr, 2)}× over ${periods.length} of ${terms.cash_flow_periods || 3} periods` : 'none'],
    ['Excess at the due date', enumName(terms.sweep_excess || 'SWEEP_EXCESS_HOLD', 'SWEEP_EXCESS_') === 'PREPAY' ? 'prepays principal' : 'held for the next period'],
    ['Borrower may withdraw', html`<span data-testid="loan-withdrawable">${usd(res.withdrawable || '0')}</span> USDai`],
  ];
  return section(
    'Revenue and the lockbox',
    html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>
      ${table(['Period ended', 'Revenue', 'Debt service', 'Coverage'], rows, { id: 'cash-flow', empty: 'No period has ended since funding.' })}`,
  );
}

export const loans = {
  title: 'Loans',
  nav: 'loans',
  parse(q, ignored) {
    const opts = {};
    const s = q.get('status');
    if (s !== null && s !== '') {
      const up = s.toUpperCase().replace(/^LOAN_STATUS_/, '');
      if (LOAN_STATUSES.includes(up)) opts.status = up;
      else ignored.push(`Ignored the unknown loan status "${s}": showing every loan.`);
    }
    for (const k of q.keys()) if (k !== 'status') ignored.push(`Ignored the unknown parameter "${k}".`);
    return opts;
  },
  controls(opts) {
    return html`<label class="filter">Status
      <select id="status-filter" data-testid="status-filter">
        <option value="">all</option>
        ${LOAN_STATUSES.map((s) => html`<option value="${s}" ${opts.status === s ? 'selected' : ''}>${s}</option>`)}
      </select></label>`;
  },
  bind(el) {
    el.querySelector('#status-filter').addEventListener('change', (e) => {
      location.hash = e.target.value ? `#/loans?status=${e.target.value}` : '#/loans';
    });
  },
  async load(ctx) {
    const path = ctx.opts.status ? `/infrafi/lending/v1/loans?status=${LOAN_STATUSES.indexOf(ctx.opts.status) + 1}` : '/infrafi/lending/v1/loans';
    const [list, book, names] = await Promise.all([all(path, 'loans'), get('/infrafi/lending/v1/book'), partyNames()]);
    const values = await Promise.all(list.map((l) => (OPEN.has(loanStatus(l)) ? collateralValue(l) : null)));
    const rows = list.map((l, i) => {
      const out = outstanding(l);
      const st = loanStatus(l);
      return {
        attrs: attrs({ 'data-loan': l.id, 'data-status': st }),
        cells: [
          html`<a href="#/loan/${l.id}">#${l.id}</a>`,
          badge(st),
          who(l.borrower, names),
          usd(l.principal),
          html`<span data-testid="loan-outstanding-${l.id}">${out === null ? '—' : usd(out)}</span>`,
          out !== null && values[i] ? ratioPct(out, values[i]) : '—',
          OPEN.has(st) ? when(l.next_due_time, ctx.now) : '—',
          who(l.curator, names),
          UNFUNDED.has(st) ? '—' : usd(l.junior_principal),
          UNFUNDED.has(st) ? '—' : usd(l.dsr),
        ],
      };
    });
    const counts = (book.status_counts || []).map((c) => html`<li>${enumName(c.status, 'LOAN_STATUS_')} <b>${c.count}</b></li>`);
    return html`<h1>Loans${ctx.opts.status ? html` <small>· ${ctx.opts.status}</small>` : ''}</h1>
      <div class="cards">
        ${card('Senior principal (vault)', usd(book.senior_principal), 'book-senior')}
        ${card('Junior principal (curators)', usd(book.junior_principal), 'book-junior')}
        ${card('Debt-service reserves held', usd(book.dsr_held), 'book-dsr')}
      </div>
      ${counts.length ? html`<ul class="counts">${counts}</ul>` : ''}
      ${table(['Loan', 'Status', 'Borrower', 'Principal', 'Outstanding', 'LTV', 'Next due', 'Curator', 'Junior', 'DSR'], rows, {
        id: 'loans',
        empty: ctx.opts.status ? `No loan is ${ctx.opts.status}.` : 'No loan yet.',
      })}`;
  },
};

const EVENT_TYPES = ['EventLoanRequested', 'EventLoanFunded', 'EventLoanPayment', 'EventLoanRepaid', 'EventCollateralChanged', 'EventAuctionSold', 'EventLoanSettled', 'EventLockboxWithdrawal'];

// loanEvents finds the transactions that emitted one of the loan's typed
// events (typed-event attributes are JSON, so the id is quoted).
async function loanEvents(id) {
  const results = await Promise.all(
    EVENT_TYPES.map((t) =>
      get(`/cosmos/tx/v1beta1/txs?query=${encodeURIComponent(`infrafi.lending.v1.${t}.loan_id='"${id}"'`)}&pagination.limit=50&order_by=ORDER_BY_ASC`)
        .then((r) => (r.tx_responses || []).map((tx) => ({ type: t, tx })))
        .catch(() => []),
    ),
  );
  const seen = new Map();
  for (const r of results.flat()) {
    const key = `${r.tx.txhash}/${r.type}`;
    if (!seen.has(key)) seen.set(key, r);
  }
  return [...seen.values()].sort((a, b) => Number(a.tx.height) - Number(b.tx.height) || a.type.localeCompare(b.type));
}

export const loan = {
  title: 'Loan',
  nav: 'loans',
  notFound: (params) => `There is no loan ${params[0]} on this chain.`,
  parse(q, ignored) {
    for (const k of q.keys()) ignored.push(`Ignored the unknown parameter "${k}".`);
    return {};
  },
  async load(ctx) {
    const id = ctx.params[0];
    const [res, names] = await Promise.all([get(`/infrafi/lending/v1/loans/${id}`), partyNames()]);
    const l = res.loan || {};
    const st = loanStatus(l);
    const [schedule, titles, auction, events] = await Promise.all([
      PERFORMING.has(st) ? getOr(`/infrafi/lending/v1/loans/${id}/schedule?limit=${SCHEDULE_ROWS}`, { payments: [] }) : { payments: [] },
      Promise.all(
        (l.title_ids || []).map(async (tid) => ({
          id: tid,
          title: await getOr(`/infrafi/caliber/v1/titles/${tid}`, null),
          valuation: await getOr(`/infrafi/caliber/v1/titles/${tid}/valuation`, null),
        })),
      ),
      ['DEFAULTED', 'FORECLOSING', 'LIQUIDATED', 'WRITTEN_OFF'].includes(st) ? getOr(`/infrafi/lending/v1/auctions/${id}`, null) : null,
      loanEvents(id),
    ]);
    const out = outstanding(l);
    // A closed loan's titles have left it (released or sold): no LTV then.
    let value = 0n;
    if (OPEN.has(st)) for (const t of titles) if (t.valuation && t.valuation.valuation) value += BigInt(t.valuation.valuation.value || '0');
    const senior = l.senior || {};
    const terms = l.terms || {};
    const facts = [
      ['Product', l.product_id],
      ['Borrower', who(l.borrower, names)],
      ['Curator', who(l.curator, names)],
      ['APR', isSet(l.funded_at) ? pct(l.apr) : '—'],
      ['Created', when(l.created_at, ctx.now)],
      ['Funded', when(l.funded_at, ctx.now)],
      ['Maturity', when(l.maturity, ctx.now)],
      ['Next due', OPEN.has(st) ? when(l.next_due_time, ctx.now) : '—'],
      ['Payments left', l.payments_remaining ?? '—'],
      ['Interest due', usd(l.interest_due)],
      ['Principal due', usd(l.principal_due)],
      ['Repayment interval', duration(terms.repayment_interval)],
      ['Liquidation LTV', terms.liquidation_ltv ? pct(terms.liquidation_ltv) : '—'],
      ['Closed', when(l.closed_at, ctx.now)],
    ];
    if (st === 'PENDING') facts.push(['Request expires', when(l.pending_expires_at, ctx.now)]);
    if (isSet(l.delinquent_since)) facts.push(['Delinquent since', when(l.delinquent_since, ctx.now)], ['Late interest', usd(l.late_interest)]);
    if (isSet(l.margin_call_deadline)) facts.push(['Margin call', html`${l.margin_call_reason || ''} · cure by ${when(l.margin_call_deadline, ctx.now)}`]);
    if (l.default_reason) facts.push(['Default reason', l.default_reason]);

    const scheduleRows = (schedule.payments || []).map((p) => ({
      cells: [p.number, when(p.due_time, ctx.now), usd(p.principal), usd(p.interest), usd(p.total), usd(p.balance_after)],
    }));
    const titleRows = titles.map((t) => {
      const v = t.valuation && t.valuation.valuation;
      return {
        cells: [
          html`<a href="#/title/${t.id}">#${t.id}</a>`,
          t.title ? t.title.title.class_id : '—',
          t.title ? badge(enumName(t.title.title.status, 'TITLE_STATUS_')) : '—',
          html`<span data-testid="loan-title-value-${t.id}">${v ? usd(v.value) : '—'}</span>`,
          v ? v.bound_by || '—' : '—',
        ],
      };
    });
    const eventRows = events.map((e) => ({
      cells: [e.tx.height, when(e.tx.timestamp, ctx.now), e.type.replace(/^Event/, ''), html`<code title="${e.tx.txhash}">${e.tx.txhash.slice(0, 12)}…</code>`],
    }));

    return html`<h1>Loan #${l.id} ${badge(st)}</h1>
      <div class="cards">
        ${card('Principal', usd(l.principal), 'loan-principal')}
        ${card('Outstanding', out === null ? '—' : usd(out), 'loan-outstanding')}
        ${card('Payoff now', res.payoff ? usd(res.payoff) : '—', 'loan-payoff')}
        ${card('Collateral value', value > 0n ? usd(value.toString()) : '—', 'loan-collateral')}
        ${card('LTV', out !== null && value > 0n ? ratioPct(out, value.toString()) : '—', 'loan-ltv')}
        ${card('Senior (vault)', usd(senior.balance), 'loan-senior', senior.rate ? `at ${pct(senior.rate)}` : '')}
        ${card('Junior (first loss)', usd(l.junior_principal), 'loan-junior')}
        ${card('Debt-service reserve', usd(l.dsr), 'loan-dsr')}
      </div>
      ${section('Terms and dates', html`<dl class="facts">${facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`)}
      ${section(
        'Impairment',
        senior.impaired
          ? html`<p data-testid="loan-impairment">The vault has written its senior claim down by <b>${usd(senior.write_down)}</b> USDai (expected recovery ${usd(String(BigInt(senior.balance || '0') - BigInt(senior.write_down || '0')))}).</p>`
          : html`<p class="muted" data-testid="loan-impairment">Not impaired.</p>`,
      )}
      ${UNFUNDED.has(st) ? '' : lockboxSection(res, l, ctx)}
      ${auction ? section('Auction', html`<p><a href="#/auction/${id}">Auction #${id}</a> · ${enumName(auction.auction.status, 'AUCTION_STATUS_')}${auction.current_price && auction.current_price !== '0' ? html` · current price <b>${usd(auction.current_price)}</b>` : ''}</p>`) : ''}
      ${section(OPEN.has(st) ? 'Collateral' : 'Collateral (titles today)', table(['Title', 'Class', 'Status', 'Value', 'Bound by'], titleRows, { id: 'loan-titles' }))}
      ${PERFORMING.has(st) ? section(`Next ${SCHEDULE_ROWS} payments`, table(['#', 'Due', 'Principal', 'Interest', 'Total', 'Balance after'], scheduleRows, { id: 'schedule', empty: 'No payment scheduled.' })) : ''}
      ${section('Events (transactions)', table(['Height', 'Time', 'Event', 'Tx'], eventRows, { id: 'loan-events', empty: 'No indexed transaction mentions this loan (block-time steps such as due dates and defaults appear in the dates above).' }))}
      <p class="muted">Times: ${utc(ctx.now.toISOString())} is the latest block.</p>`;
  },
};
