// Pieces every page uses: stat cards, tables, addresses with party names.

import { html, short, escapeHTML, raw } from '../format.js';

// card is one headline figure; `key` becomes its data-testid so tests can
// compare it with the REST value.
export function card(label, value, key, sub) {
  return html`<div class="card"><div class="label">${label}</div><div class="value" data-testid="${key}">${value}</div>${sub ? html`<div class="sub">${sub}</div>` : ''}</div>`;
}

// table renders rows under headers; each cell is markup or text. `label`
// repeats the header on phones, where rows become cards.
export function table(headers, rows, { id, empty = 'Nothing yet.' } = {}) {
  if (rows.length === 0) return html`<p class="muted empty" data-testid="${id ? id + '-empty' : 'empty'}">${empty}</p>`;
  return html`<div class="table-wrap"><table data-testid="${id || ''}"><thead><tr>${headers.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr ${raw(r.attrs || '')}>${r.cells.map((c, i) => html`<td data-label="${headers[i]}">${c}</td>`)}</tr>`,
  )}</tbody></table></div>`;
}

// attrs builds a row's attributes (escaped) from an object.
export function attrs(o) {
  return Object.entries(o)
    .map(([k, v]) => `${k}="${escapeHTML(v)}"`)
    .join(' ');
}

// who shows an address by its party name when it has one.
export function who(addr, names) {
  if (!addr) return html`<span class="muted">—</span>`;
  const name = names && names.get(addr);
  return html`<span class="addr" title="${addr}">${name ? html`<b>${name}</b> ` : ''}<code>${short(addr)}</code></span>`;
}

export function badge(text, kind) {
  return html`<span class="badge ${kind || String(text).toLowerCase()}">${text}</span>`;
}

// section wraps a titled block.
export function section(title, body, id) {
  return html`<section class="block"${id ? raw(` id="${escapeHTML(id)}"`) : ''}><h2>${title}</h2>${body}</section>`;
}

// splitBar shows parts of a whole as one stacked bar with a legend.
export function splitBar(parts, fmt) {
  const total = parts.reduce((s, p) => s + (/^\d+$/.test(p.value) ? BigInt(p.value) : 0n), 0n);
  const segs = parts.map((p, i) => {
    const v = /^\d+$/.test(p.value) ? BigInt(p.value) : 0n;
    const w = total > 0n ? Number((v * 10000n) / total) / 100 : 0;
    return { ...p, w, i };
  });
  return html`<div class="splitbar" role="img" aria-label="${parts.map((p) => `${p.label} ${fmt(p.value)}`).join(', ')}">${segs.map(
    (s) => html`<span class="seg s${s.i}" style="width:${s.w}%" title="${s.label}: ${fmt(s.value)}"></span>`,
  )}</div><ul class="legend">${segs.map((s) => html`<li><span class="dot s${s.i}"></span>${s.label} <b data-testid="${s.key}">${fmt(s.value)}</b> <span class="muted">(${s.w.toFixed(2)}%)</span></li>`)}</ul>`;
}
