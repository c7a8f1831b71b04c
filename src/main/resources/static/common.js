// Workforce Watch dashboard: what every page's script shares. Plain ES module, no build step.

export const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- DOM

/** An element with attributes (class, text, on<event> handlers, the rest as attributes) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/** Tells screen reader users what changed, politely, keeping the last five messages. */
export function announce(text) {
  const region = $('announcer');
  region.append(el('p', { text }));
  while (region.childElementCount > 5) region.firstElementChild.remove();
}

// ---------------------------------------------------------------- the API

export class HttpError extends Error {
  constructor(status, url, problem = null) {
    super(problem?.detail ?? `${url} answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// X-Requested-With: a lapsed sign-in answers 401 without a browser password prompt, and the page goes to sign in
const AJAX = { 'X-Requested-With': 'XMLHttpRequest' };

export async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: 'application/json', ...AJAX }, cache: 'no-store' });
  if (response.status === 401) {
    location.assign('/login');
    throw new HttpError(response.status, url);
  }
  if (!response.ok) throw new HttpError(response.status, url, await problemOf(response));
  return response.json();
}

/** Something the page can do without: null instead of an error. */
export async function optionalJson(url) {
  try {
    return await getJson(url);
  } catch (e) {
    return null;
  }
}

/** The RFC 9457 problem a refused request answered, if it did. */
async function problemOf(response) {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return null;
  try {
    return await response.json();
  } catch {
    return null;
  }
}

let meOnce = null;

/** Who is signed in and what they may do (GET /api/me): their roles, teams, pages and the form token. */
export function whoAmI({ fresh = false } = {}) {
  if (fresh || !meOnce) meOnce = getJson('/api/me').catch((e) => { meOnce = null; throw e; });
  return meOnce;
}

/**
 * Sends a change (POST, PUT, DELETE) with the sign-in's form token. A JSON body is sent as JSON; a string, Blob or
 * FormData as it is. Answers the parsed JSON body (null for none); a refusal throws an HttpError carrying the
 * RFC 9457 problem, whose detail and errors the page shows.
 */
export async function send(method, url, body, { headers = {} } = {}) {
  const me = await whoAmI({ fresh: true });
  const h = { Accept: 'application/json, application/problem+json', ...AJAX, [me.csrf.header]: me.csrf.token, ...headers };
  let payload = body;
  if (body != null && !(body instanceof Blob) && !(body instanceof FormData) && typeof body !== 'string') {
    payload = JSON.stringify(body);
    h['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, { method, headers: h, body: payload, cache: 'no-store' });
  if (response.status === 401) {
    location.assign('/login');
    throw new HttpError(response.status, url);
  }
  if (!response.ok) throw new HttpError(response.status, url, await problemOf(response));
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A refusal in words: the problem's title and detail, and a table of its errors (where, value, why) if it has any. */
export function problemView(error) {
  const p = error.problem;
  const box = el('div', { class: 'problem', role: 'alert' },
    el('p', { class: 'problem-title' }, p?.title ?? 'The request was refused'),
    el('p', { text: p?.detail ?? error.message }));
  const errors = p?.errors ?? [];
  if (errors.length) {
    const keys = [...new Set(errors.flatMap((e) => Object.keys(e)))];
    box.append(el('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Problems found' },
      el('table', {},
        el('caption', { class: 'visually-hidden', text: 'Problems found' }),
        el('thead', {}, el('tr', {}, keys.map((k) => el('th', { scope: 'col', text: k.replaceAll('_', ' ') })))),
        el('tbody', {}, errors.map((e) => el('tr', {}, keys.map((k) => el('td', { text: e[k] ?? '' }))))))));
  }
  return box;
}

// ---------------------------------------------------------------- words

export const DATE_LONG = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
export const DATE_SHORT = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
export const DATE_TIME = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });

export const isoDate = (s) => new Date(`${s}T00:00:00Z`);

/** Counts and FTE: whole numbers as they are, others to one decimal place. */
export function num(x) {
  if (x == null) return '—';
  return Number.isInteger(x) ? String(x) : (Math.round(x * 10) / 10).toFixed(1);
}

const MONEY = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });

/** Pounds, whole. */
export function money(x) {
  return x == null ? '—' : MONEY.format(x);
}

/** The projected measures of a forecast or scenario (GET /api/forecast), with how each figure is written. */
export const PROJECTED_MEASURES = [
  { id: 'employed_fte', label: 'Employed FTE', format: (x) => num(x) },
  { id: 'agency_fte', label: 'Agency FTE', format: (x) => num(x) },
  { id: 'vacancy_fte', label: 'Vacancies (FTE)', format: (x) => num(x) },
  { id: 'leavers', label: 'Leavers in the month', format: (x) => num(x) },
  { id: 'starters', label: 'Starters in the month', format: (x) => num(x) },
  { id: 'caseload_per_fte', label: 'Caseload per FTE', format: (x) => num(x) },
  { id: 'pa_caseload_per_fte', label: 'Personal adviser caseload per FTE', format: (x) => num(x) },
  { id: 'agency_rate', label: 'Agency rate', format: (x) => `${num(x)}%` },
  { id: 'agency_cost', label: 'Agency cost in the month', format: (x) => money(x) },
  { id: 'employed_cost', label: 'Employed cost in the month', format: (x) => money(x) },
  { id: 'fte_needed', label: 'Social work FTE needed', format: (x) => num(x) },
  { id: 'case_holding_fte', label: 'Projected case-holding social work FTE', format: (x) => num(x) },
  { id: 'fte_gap', label: 'Social work FTE gap (+ short, − to spare)', format: (x) => num(x) },
];

/** An FTE gap (needed − projected, positive = short) in words, as one amount: "short by 4.2", "2.0 to spare". */
function gapAmount(x) {
  return x > 0 ? `short by ${num(x)}` : x < 0 ? `${num(-x)} to spare` : 'none';
}

/**
 * A projected FTE gap in words with its 10th to 90th percentile: "short by 4.2 FTE (1.1 to 7.5)", "covered, 2.0 FTE
 * to spare (0.5 to 3.1)"; a range that runs from spare to short says both ends.
 */
export function gapText(range) {
  if (!range || range.p50 == null) return '—';
  const { p10, p50, p90 } = range;
  const median = p50 > 0 ? `short by ${num(p50)} FTE` : p50 < 0 ? `covered, ${num(-p50)} FTE to spare` : 'exactly covered';
  if (p10 > 0 && p50 > 0) return `${median} (${num(p10)} to ${num(p90)})`;
  if (p90 < 0 && p50 < 0) return `${median} (${num(-p90)} to ${num(-p10)})`;
  return `${median} (from ${gapAmount(p10)} to ${gapAmount(p90)} FTE)`;
}
