// Workforce Watch dashboard: one page for the authority (/), a service (/services/{name}) and a team
// (/teams/{id}). Plain ES module, no build step and nothing loaded from elsewhere. It reads the public API:
// /api/authority, /api/indicators, /api/spc, /api/risks, /api/data-freshness, the charts under /api/charts,
// and follows /api/risks/stream to update in place.

import {
  $, el, announce, getJson, optionalJson, whoAmI, send, DATE_LONG, DATE_SHORT, DATE_TIME, isoDate, num, money, PROJECTED_MEASURES, gapText,
} from '/common.js';

/** The indicators in the performance framework's order, with the words and units people read. */
const INDICATORS = [
  { id: 'caseload_per_fte', label: 'Caseload per FTE', unit: 'per_fte', suffix: 'children per FTE',
    basis: (n, d) => `${num(n)} children ÷ ${num(d)} case-holding FTE` },
  { id: 'workers_over_caseload', label: 'Workers over the caseload limit', unit: 'count', suffix: 'workers', one: 'worker',
    basis: (n, d) => `of ${of(d, 'case-holding worker')}` },
  { id: 'pa_caseload_per_fte', label: 'Personal adviser caseload per FTE', unit: 'per_fte', suffix: 'care leavers per FTE',
    basis: (n, d) => `${num(n)} care leavers ÷ ${num(d)} adviser FTE` },
  { id: 'agency_rate', label: 'Agency rate', unit: 'percent',
    basis: (n, d) => `${num(n)} agency FTE of ${num(d)} FTE` },
  { id: 'vacancy_rate', label: 'Vacancy rate', unit: 'percent',
    basis: (n, d) => `${num(n)} FTE vacant of ${num(d)} FTE` },
  { id: 'turnover_rate', label: 'Turnover rate', unit: 'percent',
    basis: (n, d) => `${num(n)} FTE left in 12 months; ${num(d)} FTE in post` },
  { id: 'worker_changes', label: 'Children with 3 or more workers in 12 months', unit: 'percent',
    basis: (n, d) => `${num(n)} of ${num(d)} children with an open case` },
  { id: 'allocation_wait', label: 'Referrals waiting beyond the allocation limit', unit: 'count', suffix: 'referrals', one: 'referral',
    basis: (n, d, detail) => `of ${num(d)} waiting${detail == null ? '' : `; oldest ${of(detail, 'working day')}`}` },
  { id: 'supervision_overdue', label: 'Supervision overdue', unit: 'percent',
    basis: (n, d) => `${num(n)} of ${num(d)} case-holding staff` },
  { id: 'induction_incomplete', label: 'Induction incomplete', unit: 'percent',
    basis: (n, d) => `${num(n)} of ${num(d)} staff past 90 days` },
  { id: 'assessment_out_of_date', label: 'Children in care without an up-to-date assessment', unit: 'percent',
    basis: (n, d) => `${num(n)} of ${of(d, 'child', 'children')} in care` },
  { id: 'pa_late', label: 'Children 17+ in care without a personal adviser', unit: 'count', suffix: 'young people', one: 'young person',
    basis: (n, d) => `of ${num(d)} aged 17 or more in care` },
  { id: 'care_leaver_contact_overdue', label: 'Care leavers with contact overdue', unit: 'percent',
    basis: (n, d) => `${num(n)} of ${of(d, 'care leaver')}` },
  { id: 'ooh_cover_gap', label: 'Out-of-hours shifts short of cover', unit: 'count', suffix: 'shift-days', one: 'shift-day',
    basis: (n, d) => `of ${num(d)} shift-days in the next 28 days` },
  { id: 'absence_rate', label: 'Sickness absence rate', unit: 'percent',
    basis: (n, d) => `${num(n)} days lost of ${num(d)} working days (12 months)` },
  { id: 'agency_noncompliant', label: 'Agency workers breaking national rules', unit: 'count', suffix: 'agency workers', one: 'agency worker',
    basis: (n, d) => `of ${of(d, 'agency worker')}` },
];
const BY_ID = new Map(INDICATORS.map((i) => [i.id, i]));

const SEVERITY = {
  red: { word: 'Red', icon: 'red' },
  amber: { word: 'Amber', icon: 'amber' },
  ok: { word: 'Green', icon: 'ok' },
  none: { word: 'No data', icon: 'none' },
};

// SPC verdicts in words, as the chart and the board pack say them; the API's "verdict" sentence is preferred.
const VARIATION = {
  concerning: 'Special cause: concerning',
  improving: 'Special cause: improving',
  common_cause: 'Common cause',
  not_enough_data: 'Not enough data for SPC',
};
const ASSURANCE = {
  consistently_passes: 'consistently passes the target',
  consistently_fails: 'consistently fails the target',
  hit_and_miss: 'hit and miss against the target',
  process_changed: 'process changed: rebase suggested',
  no_target: '',
  not_enough_data: '',
};
const SPC_RULE = {
  outside_limits: 'a point outside the process limits',
  trend: 'a trend of 7 rising or falling',
  two_of_three: 'two of three beyond two sigma',
  shift: 'a shift of 7 on one side of the mean',
};

const RISKS_SHOWN = 10;
const TEAMS_AT_RISK_SHOWN = 6;
const HISTORY_WAIT_MS = 1500;
const LIVE_DEBOUNCE_MS = 250;
const POLL_MS = 5 * 60 * 1000;
/** Narrower than this, the page is laid out for a phone: red first, the tiles as a compact list. */
const PHONE = '(max-width: 599px)';

const state = {
  authority: null,
  route: null,
  selected: new URLSearchParams(location.search).get('indicator'),
  showAllRisks: false,
  showAllTeamsAtRisk: false,
  dataVersion: 0,
  renderToken: 0,
  clockSkew: 0,
  freshness: null,
  asOf: null,
};


// ---------------------------------------------------------------- formatting

/** One decimal place for rates and per-FTE figures, whole numbers for counts (as the tests read them too). */
function formatValue(value, unit) {
  if (value == null) return '—';
  if (unit === 'count') return Number.isInteger(value) ? String(value) : value.toFixed(1);
  return value.toFixed(1);
}

function withUnit(value, def) {
  const v = formatValue(value, def.unit);
  if (value == null) return v;
  if (def.unit === 'percent') return `${v}%`;
  return `${v} ${suffix(value, def)}`;
}

/** The unit's words for a value: "1 agency worker", "2 agency workers". */
function suffix(value, def) {
  return Number(value) === 1 && def.one ? def.one : def.suffix;
}

/** "1 agency worker", "3 agency workers": a count with its noun. */
function of(n, singular, plural = `${singular}s`) {
  return `${num(n)} ${n === 1 ? singular : plural}`;
}


function threshold(x, def) {
  const v = num(x);
  return def.unit === 'percent' ? `${v}%` : v;
}

/** A threshold or target with its unit: 22 children per FTE, 10%. */
function plain(x, def) {
  return def.unit === 'percent' ? `${num(x)}%` : `${num(x)} ${suffix(x, def)}`;
}

const DATE_DM = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** The last day of the month before the one the date falls in. */
function previousMonthEnd(asOf) {
  const d = isoDate(asOf);
  const end = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 0));
  return end.toISOString().slice(0, 10);
}

function monthsBetween(from, to) {
  const a = isoDate(from);
  const b = isoDate(to);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth()) - (b.getUTCDate() < a.getUTCDate() ? 1 : 0);
}

function ago(instant) {
  const ms = Date.now() + state.clockSkew - new Date(instant).getTime();
  const min = Math.round(ms / 60000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const h = Math.round(min / 60);
  if (h < 48) return `${h} h ago`;
  const days = Math.round(h / 24);
  if (days < 60) return `${days} days ago`;
  return `${Math.round(days / 30.4)} months ago`;
}

const DATASET_NAMES = {
  children_in_care: 'children in care', care_leavers: 'care leavers', shift_requirements: 'shift requirements',
};
const datasetName = (d) => DATASET_NAMES[d] ?? d.replaceAll('_', ' ');

// ---------------------------------------------------------------- DOM helpers

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A shape per severity, so the state reads without colour: cross in an octagon, ! in a triangle, tick in a circle. */
function severityIcon(kind) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', 'icon');
  const shapes = {
    red: ['<path d="M5 1h6l4 4v6l-4 4H5l-4-4V5z" fill="currentColor"/>',
          '<path d="M5.5 5.5l5 5M10.5 5.5l-5 5" class="m" stroke-width="1.8" stroke-linecap="round"/>'],
    amber: ['<path d="M8 1.2l7 13.1H1z" fill="currentColor"/>',
            '<path d="M8 5.6v4.4" class="m" stroke-width="1.8" stroke-linecap="round"/><circle cx="8" cy="12.2" r="1" class="mf"/>'],
    ok: ['<circle cx="8" cy="8" r="7" fill="currentColor"/>',
         '<path d="M4.6 8.2l2.3 2.3 4.5-4.6" fill="none" class="m" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>'],
    none: ['<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.6"/>',
           '<path d="M5 8h6" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>'],
    concerning: ['<circle cx="8" cy="8" r="7" fill="currentColor"/>',
                 '<path d="M8 12V4.5M4.8 7.5L8 4.3l3.2 3.2" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>'],
    improving: ['<circle cx="8" cy="8" r="7" fill="currentColor"/>',
                '<path d="M8 4v7.5M4.8 8.5L8 11.7l3.2-3.2" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>'],
    common_cause: ['<circle cx="8" cy="8" r="7" fill="currentColor"/>',
                   '<path d="M3.6 8.6c1.2-2.4 2.4-2.4 3.6 0s2.4 2.4 3.6 0 1.6-1.6 1.8-1.2" fill="none" stroke="#fff" stroke-width="1.6" stroke-linecap="round"/>'],
    not_enough_data: ['<circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.6"/>',
                      '<circle cx="5" cy="8" r="1" fill="currentColor"/><circle cx="8" cy="8" r="1" fill="currentColor"/><circle cx="11" cy="8" r="1" fill="currentColor"/>'],
  };
  svg.innerHTML = (shapes[kind] ?? shapes.none).join('');
  return svg;
}

function badge(severity) {
  const s = SEVERITY[severity] ?? SEVERITY.none;
  return el('span', { class: `badge badge-${severity ?? 'none'}` }, severityIcon(s.icon), el('span', { text: s.word }));
}

// ---------------------------------------------------------------- routes and data

function parseRoute(pathname) {
  if (pathname === '/' || pathname === '') return { level: 'authority', scope: 'authority' };
  let m = pathname.match(/^\/services\/(.+?)\/?$/);
  if (m) return { level: 'service', scope: safeDecode(m[1]) };
  m = pathname.match(/^\/teams\/([^/]+)\/?$/);
  if (m) return { level: 'team', scope: safeDecode(m[1]) };
  m = pathname.match(/^\/([a-z-]+)\/?$/);
  if (m && WORK_PAGES[m[1]]) return { level: 'page', scope: m[1] };
  return { level: 'unknown', scope: pathname };
}

/**
 * The pages for doing work, by address, with the roles they are for (as GET /api/me lists the caller's own): each
 * is drawn by its module, /pages/{name}.js, which exports render(root, context).
 */
const WORK_PAGES = {
  imports: { title: 'Imports', for: 'HR and administrators' },
  'data-quality': { title: 'Data quality', for: 'heads of service, HR and administrators' },
  thresholds: { title: 'Thresholds', for: 'heads of service and administrators' },
  scenarios: { title: 'Scenarios', for: 'heads of service, HR and administrators' },
  agency: { title: 'Agency register', for: 'HR and administrators' },
  reports: { title: 'Reports', for: 'everyone signed in' },
};

function safeDecode(s) {
  try { return decodeURIComponent(s); } catch { return s; }
}

const serviceUrl = (name) => `/services/${encodeURIComponent(name)}`;
const teamUrl = (id) => `/teams/${encodeURIComponent(id)}`;

/** Who is signed in and what they may see (GET /api/me); people-level charts are asked for only when allowed. */
let me = null;

async function showAccount() {
  me = await whoAmI();
  $('account-name').textContent = `${me.name} (${me.roles.map((r) => r.replaceAll('_', ' ')).join(', ')})`;
  const csrf = $('account-csrf');
  csrf.name = me.csrf.parameter;
  csrf.value = me.csrf.token;
  $('account').hidden = false;
}

// Signing out takes the form token of this moment: a token read when the page opened may have been
// renewed since (a new sign-in elsewhere in the session, a session id renewed on another tab).
$('account').addEventListener('submit', async (event) => {
  if (event.target.dataset.fresh === 'true') return;
  event.preventDefault();
  try {
    const now = await getJson('/api/me');
    $('account-csrf').value = now.csrf.token;
  } finally {
    event.target.dataset.fresh = 'true';
    event.target.submit();
  }
});

function seesPeopleOf(team) {
  return me !== null && (me.sees_people === 'all' || (me.sees_people === 'own_teams' && me.teams.includes(team)));
}

/**
 * Answers kept for the page's lifetime. Today's figures are dropped whenever a live event says they changed;
 * month-end figures and SPC verdicts (history) only on a full refresh: a reconnect or the periodic poll.
 */
const cache = new Map();

function cached(key, url, optional = false) {
  if (!cache.has(key)) {
    const promise = (optional ? optionalJson(url) : getJson(url)).catch((e) => { cache.delete(key); throw e; });
    cache.set(key, promise);
  }
  return cache.get(key);
}

function indicators(level, asOf) {
  return cached(asOf ? `history|${level}|${asOf}` : `today|${level}`, `/api/indicators?level=${level}${asOf ? `&as_of=${asOf}` : ''}`);
}

function spcVerdicts(route) {
  const query = `level=${route.level}${route.level === 'authority' ? '' : `&scope=${encodeURIComponent(route.scope)}`}`;
  return cached(`history|spc|${query}`, `/api/spc?${query}`, true);
}

/** Today's figures changed (a live event): fetch them again, and redraw the charts. */
function forgetToday() {
  state.dataVersion += 1;
  for (const key of [...cache.keys()]) if (key.startsWith('today|')) cache.delete(key);
}

/** Anything may have changed (after a reconnect, or now and then): fetch everything again. */
function forgetAll() {
  state.dataVersion += 1;
  cache.clear();
  state.authority = null;
}

function locate(route, authority) {
  if (route.level === 'authority') return { ok: true };
  if (route.level === 'service') {
    const service = authority.services.find((s) => s.service === route.scope);
    return service ? { ok: true, service } : { ok: false, text: `There is no service called “${route.scope}”.` };
  }
  if (route.level === 'team') {
    for (const service of authority.services) {
      const team = service.teams.find((t) => t.team_id === route.scope);
      if (team) return { ok: true, service, team };
    }
    return { ok: false, text: `There is no team with the id “${route.scope}”. It may have been renamed or closed.` };
  }
  return { ok: false, text: 'This address is not a page of the dashboard.' };
}

const childLevel = { authority: 'service', service: 'team' };

function inScope(entry, route) {
  return entry.level === route.level && (route.level === 'authority' || entry.scope === route.scope);
}

function riskInScope(risk, route) {
  if (route.level === 'page') return false;
  if (route.level === 'authority') return true;
  if (route.level === 'service') return risk.service === route.scope;
  return risk.level === 'team' && risk.scope === route.scope;
}

// ---------------------------------------------------------------- rendering

async function render({ live = false } = {}) {
  const token = ++state.renderToken;
  const route = parseRoute(location.pathname);
  const sameScope = state.route && state.route.level === route.level && state.route.scope === route.scope;
  state.route = route;
  if (!sameScope) {
    state.showAllRisks = false;
    state.showAllTeamsAtRisk = false;
  }
  try {
    const fresh = !state.authority;
    if (fresh) state.authority = await getJson('/api/authority');
    if (token !== state.renderToken) return;
    if (route.level === 'page') {
      // a live refresh leaves a work page that is already drawn as it is: a half-typed reason, a scenario being
      // built or an upload in progress are the user's, not figures to redraw
      if (live && !$('work').hidden && $('work').dataset.page === route.scope) return;
      await renderWorkPage(route, token);
      return;
    }
    $('work').hidden = true;
    let where = locate(route, state.authority);
    if (!where.ok && !fresh) {
      // a team or service added since the page loaded
      state.authority = await getJson('/api/authority');
      if (token !== state.renderToken) return;
      where = locate(route, state.authority);
    }
    const authority = state.authority;
    renderMasthead(authority);
    renderBreadcrumbs(route, where, authority);
    if (!where.ok) {
      renderNotFound(route, where.text);
      return;
    }
    $('not-found').hidden = true;
    $('content').hidden = false;

    const level = route.level;
    const child = childLevel[level];
    const [current, childNow, authorityNow, risks, teamsNow] = await Promise.all([
      indicators(level),
      child ? indicators(child) : null,
      level === 'authority' ? null : indicators('authority'),
      level === 'team' ? getJson('/api/risks') : null,
      level === 'team' ? null : indicators('team'),
    ]);
    if (token !== state.renderToken) return;
    // Last month end and the SPC verdicts come from the history, which may still be computing just after an
    // import: the tiles do not wait long for them, and gain their trend and verdict when they come.
    const history = Promise.all([
      indicators(level, previousMonthEnd(current.as_of)).catch(() => null),
      spcVerdicts(route).catch(() => null),
    ]);
    const early = await Promise.race([history, new Promise((resolve) => setTimeout(() => resolve(null), HISTORY_WAIT_MS))]);
    if (token !== state.renderToken) return;

    const mine = current.indicators.filter((e) => inScope(e, route));
    const comparators = authorityNow ? new Map(authorityNow.indicators.map((e) => [e.indicator, e])) : null;
    const context = ([previous, spc] = [null, null]) => ({
      route, where, authority, asOf: current.as_of, previousAsOf: previous?.as_of, comparators,
      before: previous ? new Map(previous.indicators.filter((e) => inScope(e, route)).map((e) => [e.indicator, e])) : new Map(),
      spc: spc?.indicators ?? null,
    });
    const ctx = context(early ?? undefined);
    if (!early) {
      history.then((late) => {
        if (token === state.renderToken) renderTiles(mine, context(late), false);
      });
    }

    state.asOf = current.as_of;
    renderHeading(route, where, current.as_of, mine);
    renderDrill(route, where, childNow);
    const present = new Set(mine.map((e) => e.indicator));
    if (!state.selected || !BY_ID.has(state.selected) || !present.has(state.selected)) {
      state.selected = present.has('caseload_per_fte') ? 'caseload_per_fte' : (INDICATORS.find((d) => present.has(d.id))?.id ?? null);
    }
    renderTiles(mine, ctx, live);
    renderCharts(route, where);
    // a team's own risks; above a team, the teams at risk and the wider risks they do not show stand in for a flat list
    $('team-risks').hidden = route.level !== 'team';
    if (route.level === 'team') renderRisks(risks.risks.filter((r) => riskInScope(r, route)), route, authority);
    renderPinButton(route);
    renderYourTeams(route, authority);
    await renderWorkers(route, token);
    if (token !== state.renderToken) return;
    renderMatrix(route, where, teamsNow);
    await renderTeamsAtRisk(route, authority, token);
    if (token !== state.renderToken) return;
    renderOutlook(route);
    syncQuery();
    document.body.dataset.ready = 'true';
  } catch (e) {
    if (token !== state.renderToken) return;
    renderError(e);
  }
}

/** A work page: its heading, and its module's drawing, or why the caller may not use it. */
async function renderWorkPage(route, token) {
  const authority = state.authority;
  const page = WORK_PAGES[route.scope];
  renderMasthead(authority);
  $('breadcrumbs').replaceChildren(el('li', {}, el('a', { href: '/', text: authority.name ?? 'Authority' })),
    el('li', {}, el('span', { 'aria-current': 'page', text: page.title })));
  $('title').textContent = page.title;
  document.title = `${page.title} · Workforce Watch`;
  // a work page shows no figures of its own: the masthead says when the dashboard's were last read, if it was
  $('as-of').textContent = state.asOf ? `Figures as at ${DATE_LONG.format(isoDate(state.asOf))}` : '';
  $('subtitle').textContent = '';
  $('rag-summary').replaceChildren();
  $('pin-wrap').hidden = true;
  $('not-found').hidden = true;
  $('content').hidden = true;
  const root = $('work');
  root.hidden = false;
  const me = await whoAmI();
  if (token !== state.renderToken) return;
  if (!me.pages.some((p) => p.path === `/${route.scope}`)) {
    root.replaceChildren(el('p', { class: 'refused', text: `This page is for ${page.for}. Your sign-in (${me.roles.join(', ').replaceAll('_', ' ')}) may not use it.` }),
      el('p', {}, el('a', { href: '/', text: 'Go to the whole authority' })));
    document.body.dataset.ready = 'true';
    return;
  }
  const module = await import(`/pages/${route.scope}.js`);
  if (token !== state.renderToken) return;
  root.replaceChildren();
  root.dataset.page = route.scope;
  await module.render(root, { me, authority, asOf: state.asOf, announce });
  if (token !== state.renderToken) return;
  document.body.dataset.ready = 'true';
}

/** The pages the caller may use, beside the dashboard, in the masthead. */
function renderNav(me) {
  const here = location.pathname;
  const links = [{ path: '/', title: 'Dashboard' }, ...me.pages];
  $('site-nav-list').replaceChildren(...links.map((p) => el('li', {},
    el('a', { href: p.path, text: p.title, 'aria-current': p.path === here ? 'page' : null }))),
  // the caller's pinned teams, for quick access
  ...pins.map((p) => el('li', { class: 'nav-pin', 'data-team': p.team_id },
    el('a', { href: teamUrl(p.team_id), 'aria-current': teamUrl(p.team_id) === here ? 'page' : null },
      el('span', { class: 'visually-hidden', text: 'Pinned team: ' }), p.team_name))));
  $('site-nav').hidden = false;
}

function renderMasthead(authority) {
  if (me) renderNav(me);
  const name = authority.name ? `${authority.name} children's services workforce` : "Children's services workforce";
  $('authority-name').textContent = name;
  // only the demo is synthetic: a real authority's own data never carries the notice
  for (const id of ['demo-notice', 'demo-footer']) {
    $(id).textContent = authority.synthetic ? authority.notice : '';
    $(id).hidden = !authority.synthetic;
  }
}

function scopeTitle(route, where, authority) {
  if (route.level === 'authority') return authority.name ?? 'The authority';
  if (route.level === 'service') return where.service.service;
  return where.team.team_name;
}

function renderBreadcrumbs(route, where, authority) {
  const items = [{ text: authority.name ?? 'Authority', href: '/' }];
  if (where.ok && route.level !== 'authority') items.push({ text: where.service.service, href: serviceUrl(where.service.service) });
  if (where.ok && route.level === 'team') items.push({ text: where.team.team_name, href: teamUrl(where.team.team_id) });
  if (!where.ok) items.push({ text: 'Not found' });
  $('breadcrumbs').replaceChildren(...items.map((item, i) => {
    const last = i === items.length - 1;
    return el('li', {}, last
      ? el('span', { 'aria-current': 'page', text: item.text })
      : el('a', { href: item.href, text: item.text }));
  }));
}

function renderHeading(route, where, asOf, entries) {
  const title = scopeTitle(route, where, state.authority);
  $('title').textContent = title;
  document.title = `${title} · Workforce Watch`;
  const subtitle = route.level === 'authority'
    ? `Whole authority · ${of(state.authority.services.length, 'service')}, ${of(state.authority.services.reduce((n, s) => n + s.teams.length, 0), 'team')}`
    : route.level === 'service'
      ? `Service · ${of(where.service.teams.length, 'team')}`
      : `Team ${where.team.team_id} · ${where.service.service} service · ${where.team.team_type.replaceAll('_', ' ')} team`;
  $('subtitle').textContent = subtitle;
  $('as-of').textContent = `Figures as at ${DATE_LONG.format(isoDate(asOf))}`;
  const counts = { red: 0, amber: 0, ok: 0 };
  for (const e of entries) if (counts[e.severity] != null) counts[e.severity] += 1;
  $('rag-summary').replaceChildren(
    ...['red', 'amber', 'ok'].map((s) => el('span', { class: `count count-${s}` }, severityIcon(SEVERITY[s].icon),
      el('span', { text: `${counts[s]} ${SEVERITY[s].word.toLowerCase()}` }))));
}

function renderDrill(route, where, childNow) {
  const section = $('drill');
  if (route.level === 'team') {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const items = route.level === 'authority'
    ? state.authority.services.map((s) => ({ name: s.service, href: serviceUrl(s.service), scope: s.service, note: of(s.teams.length, 'team') }))
    : where.service.teams.map((t) => ({ name: t.team_name, href: teamUrl(t.team_id), scope: t.team_id, note: `${t.team_id} · ${t.team_type.replaceAll('_', ' ')}` }));
  $('drill-heading').textContent = route.level === 'authority' ? 'Services' : 'Teams';
  const severities = new Map();
  for (const e of childNow?.indicators ?? []) {
    const c = severities.get(e.scope) ?? { red: 0, amber: 0 };
    if (e.severity === 'red' || e.severity === 'amber') c[e.severity] += 1;
    severities.set(e.scope, c);
  }
  // updated in place, so a live update does not take the keyboard focus away from a link
  const list = $('drill-list');
  const existing = new Map([...list.children].map((li) => [li.dataset.href, li]));
  const nodes = items.map((item) => {
    const c = severities.get(item.scope) ?? { red: 0, amber: 0 };
    let li = existing.get(item.href);
    if (!li) {
      li = el('li', { class: 'drill-item', 'data-scope': item.scope, 'data-href': item.href },
        el('a', { href: item.href, class: 'drill-link' }, el('span', { class: 'drill-name', text: item.name }),
          el('span', { class: 'drill-note', text: item.note })),
        el('p', { class: 'drill-counts' }));
    }
    li.querySelector('.drill-counts').replaceChildren(
      el('span', { class: 'count count-red' }, severityIcon('red'), el('span', { text: `${c.red} red` })),
      el('span', { class: 'count count-amber' }, severityIcon('amber'), el('span', { text: `${c.amber} amber` })));
    return li;
  });
  if (nodes.length !== list.children.length || nodes.some((n, i) => list.children[i] !== n)) list.replaceChildren(...nodes);
}

/** Runs a re-render of a container and puts the focus back on the equivalent link or button if it was inside. */
function keepingFocus(container, rerender) {
  const active = document.activeElement;
  const key = active && container.contains(active) ? (active.getAttribute('href') ?? active.textContent) : null;
  rerender();
  if (key != null && !container.contains(document.activeElement)) {
    const again = [...container.querySelectorAll('a, button')].find((n) => (n.getAttribute('href') ?? n.textContent) === key);
    if (again) again.focus({ preventScroll: true });
  }
}

function renderTiles(entries, ctx, live) {
  const list = $('tiles');
  const byId = new Map(entries.map((e) => [e.indicator, e]));
  const existing = new Map([...list.children].map((li) => [li.dataset.indicator, li]));
  const scopeKey = `${ctx.route.level}|${ctx.route.scope}`;
  const rebuild = list.dataset.scope !== scopeKey;
  list.dataset.scope = scopeKey;
  const shown = INDICATORS.filter((d) => byId.has(d.id));
  const changes = [];
  const nodes = shown.map((def) => {
    const entry = byId.get(def.id);
    let li = rebuild ? null : existing.get(def.id);
    const old = li ? { severity: li.dataset.severity, value: li.querySelector('[data-value]')?.dataset.value } : null;
    if (!li) li = buildTile(def);
    fillTile(li, def, entry, ctx);
    if (live && old && (old.severity !== li.dataset.severity || old.value !== li.querySelector('[data-value]').dataset.value)) {
      changes.push({ def, li, from: old.severity, to: li.dataset.severity });
    }
    return li;
  });
  if (rebuild || nodes.length !== list.children.length || nodes.some((n, i) => list.children[i] !== n)) list.replaceChildren(...nodes);
  for (const c of changes) {
    c.li.classList.remove('changed');
    void c.li.offsetWidth; // restart the highlight if it is still running
    c.li.classList.add('changed');
    setTimeout(() => c.li.classList.remove('changed'), 4000);
    const where = scopeTitle(ctx.route, ctx.where, ctx.authority);
    const value = c.li.querySelector('.tile-figure').textContent.trim();
    announce(c.from !== c.to
      ? `${c.def.label} for ${where} is now ${SEVERITY[c.to]?.word ?? c.to}: ${value}.`
      : `${c.def.label} for ${where} changed to ${value}.`);
  }
  renderRedFirst(shown.filter((d) => byId.get(d.id).value != null && byId.get(d.id).severity === 'red'));
  const missing = INDICATORS.filter((d) => !byId.has(d.id));
  const note = $('not-measured');
  note.hidden = missing.length === 0;
  note.textContent = missing.length ? `Not measured here (nobody in scope): ${missing.map((d) => d.label).join(', ')}.` : '';
}

/**
 * On a phone, what is red leads the page: the red indicators, each a button to its charts, under the heading's
 * counts and before the teams at risk (the list is hidden on wider screens, where the tiles show it at a glance).
 */
function renderRedFirst(reds) {
  let box = $('red-first');
  if (!box) {
    box = el('div', { id: 'red-first', class: 'red-first' },
      el('h2', { class: 'red-first-heading', id: 'red-first-heading', text: 'Red now' }),
      el('ul', { class: 'red-first-list', 'aria-labelledby': 'red-first-heading' }));
    $('content').prepend(box);
  }
  box.hidden = reds.length === 0;
  const list = box.querySelector('ul');
  // a live update keeps the keyboard focus on the indicator it was on
  keepingFocus(list, () => list.replaceChildren(...reds.map((def) => {
    const figure = $('tiles').querySelector(`.tile[data-indicator="${def.id}"] .tile-figure`)?.textContent.trim() ?? '';
    return el('li', {}, el('button', { type: 'button', class: 'red-first-item', onclick: () => selectIndicator(def.id) },
      severityIcon('red'), el('span', { class: 'red-first-name', text: def.label }), el('span', { class: 'red-first-value', text: figure })));
  })));
}

function buildTile(def) {
  const select = el('button', { type: 'button', class: 'tile-select', 'aria-pressed': 'false', onclick: () => selectIndicator(def.id) },
    el('span', { class: 'tile-name', text: def.label }));
  return el('li', { class: 'tile', 'data-indicator': def.id },
    el('div', { class: 'tile-top' }, el('h3', { class: 'tile-heading' }, select), el('span', { class: 'tile-badge' })),
    el('p', { class: 'tile-figure' }, el('span', { class: 'tile-value', 'data-value': '' }), el('span', { class: 'tile-unit' })),
    el('p', { class: 'tile-basis' }),
    el('p', { class: 'tile-thresholds' }),
    el('p', { class: 'tile-trend' }),
    el('p', { class: 'tile-compare' }),
    el('p', { class: 'tile-spc' }));
}

function fillTile(li, def, entry, ctx) {
  const severity = entry.value == null ? 'none' : (entry.severity ?? 'none');
  li.dataset.severity = severity;
  li.classList.toggle('selected', state.selected === def.id);
  li.querySelector('.tile-select').setAttribute('aria-pressed', String(state.selected === def.id));

  const value = li.querySelector('.tile-value');
  value.dataset.value = entry.value == null ? '' : String(entry.value);
  value.textContent = formatValue(entry.value, def.unit);
  li.querySelector('.tile-unit').textContent = entry.value == null ? '' : def.unit === 'percent' ? '%' : ` ${suffix(entry.value, def)}`;
  li.querySelector('.tile-unit').classList.toggle('tile-unit-words', def.unit !== 'percent');
  li.querySelector('.tile-badge').replaceChildren(badge(severity));
  li.querySelector('.tile-basis').textContent = def.basis(entry.numerator, entry.denominator, entry.detail);
  li.querySelector('.tile-thresholds').textContent =
    `Amber from ${threshold(entry.amber, def)} · Red from ${threshold(entry.red, def)} · Target ${threshold(entry.target, def)}`;

  const trend = li.querySelector('.tile-trend');
  const prev = ctx.before.get(def.id);
  trend.replaceChildren(...trendParts(def, entry, prev, ctx.previousAsOf));
  trend.dataset.trend = trend.firstChild?.dataset?.direction ?? 'none';

  li.querySelector('.tile-compare').replaceChildren(...compareParts(def, entry, ctx));

  const spcLine = li.querySelector('.tile-spc');
  const verdict = ctx.spc?.[def.id];
  if (verdict && verdict.variation) {
    li.dataset.spc = verdict.variation;
    const assurance = ASSURANCE[verdict.assurance] ?? '';
    const text = verdict.verdict ?? `${VARIATION[verdict.variation] ?? verdict.variation}${assurance ? `; ${assurance}` : ''}`;
    spcLine.hidden = false;
    spcLine.replaceChildren(el('span', {
      class: `spc spc-${verdict.variation}`,
      title: verdict.latest_rule ? `Latest month: ${SPC_RULE[verdict.latest_rule] ?? verdict.latest_rule}`
        : 'No special-cause signal in the latest month',
    }, severityIcon(verdict.variation), el('span', { class: 'visually-hidden', text: 'Statistical process control: ' }), el('span', { text })));
  } else {
    delete li.dataset.spc;
    spcLine.hidden = true;
    spcLine.replaceChildren();
  }
}

function trendParts(def, entry, prev, previousAsOf) {
  if (!previousAsOf || !prev || prev.value == null || entry.value == null) {
    return [el('span', { class: 'trend trend-none', 'data-direction': 'none', text: 'No figure for last month end' })];
  }
  const shown = (x) => Number(formatValue(x, def.unit));
  const diff = shown(entry.value) - shown(prev.value);
  const when = DATE_DM.format(isoDate(previousAsOf));
  if (Math.abs(diff) < 1e-9) {
    return [el('span', { class: 'trend trend-same', 'data-direction': 'same' },
      el('span', { 'aria-hidden': 'true', text: '▶ ' }), `No change since ${when}`)];
  }
  const up = diff > 0;
  const amount = def.unit === 'count' && Number.isInteger(diff) ? String(Math.abs(diff)) : Math.abs(diff).toFixed(1);
  const unit = def.unit === 'percent' ? ' points' : '';
  // every indicator is higher-is-worse, so up is worse
  return [el('span', { class: `trend ${up ? 'trend-worse' : 'trend-better'}`, 'data-direction': up ? 'up' : 'down' },
    el('span', { 'aria-hidden': 'true', text: up ? '▲ ' : '▼ ' }),
    `${up ? 'Up' : 'Down'} ${amount}${unit} since ${when} (${up ? 'worse' : 'better'})`)];
}

function compareParts(def, entry, ctx) {
  const fmt = (x) => x == null ? null : (def.unit === 'percent' ? `${x.toFixed(1)}%` : x.toFixed(1));
  if (ctx.route.level === 'authority') {
    const b = entry.benchmark;
    if (!b) return [];
    const parts = [];
    if (b.england != null) parts.push(`England ${fmt(b.england)}`);
    if (b.region != null) parts.push(`${ctx.authority.region_name ?? 'Region'} ${fmt(b.region)}`);
    if (b.statistical_neighbours_median != null) parts.push(`Neighbours ${fmt(b.statistical_neighbours_median)}`);
    if (b.band) parts.push(`Band ${b.band} (rank ${b.rank} of ${b.of})`);
    if (!parts.length && b.note) parts.push(b.note);
    return parts.length ? [el('span', { class: 'compare-label', text: `Published ${b.year ?? ''}: `.replace(' :', ':') }), parts.join(' · ')] : [];
  }
  const a = ctx.comparators?.get(def.id);
  if (!a || a.value == null) return [];
  return [el('span', { class: 'compare-label', text: 'Authority: ' }), withUnit(a.value, def)];
}

// ---------------------------------------------------------------- charts

function selectIndicator(id) {
  // on a phone the charts are far below the list: choosing an indicator takes the reader (and the focus) to them
  const phone = window.matchMedia(PHONE).matches;
  if (state.selected === id || phone) {
    if (state.selected !== id) selectIndicatorNow(id);
    const heading = $('charts-heading');
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    $('charts').scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
    return;
  }
  selectIndicatorNow(id);
}

function selectIndicatorNow(id) {
  state.selected = id;
  for (const li of $('tiles').children) {
    const on = li.dataset.indicator === id;
    li.classList.toggle('selected', on);
    li.querySelector('.tile-select').setAttribute('aria-pressed', String(on));
  }
  renderCharts(state.route, locate(state.route, state.authority));
  syncQuery();
  announce(`Charts now show ${BY_ID.get(id).label}.`);
}

/** A chart's address without its size: the size is the box it is shown in, known once it is laid out. */
function versionParams() {
  return state.dataVersion ? { v: state.dataVersion } : {};
}

function chartQuery(route, extra = {}) {
  const params = new URLSearchParams(versionParams());
  if (route.level !== 'authority') {
    params.set('level', route.level);
    params.set('scope', route.scope);
  }
  for (const [k, v] of Object.entries(extra)) if (v != null) params.set(k, v);
  return params.toString();
}

function renderCharts(route, where) {
  const def = BY_ID.get(state.selected);
  const grid = $('chart-grid');
  const place = route.level === 'authority' ? (state.authority.name ?? 'the authority') : scopeTitle(route, where, state.authority);
  const charts = [];
  if (def) {
    const id = encodeURIComponent(def.id);
    const service = route.level === 'authority' ? null : where.service.service;
    const latest = tileSays(def.id);
    charts.push(
      { key: 'trend', title: `${def.label}: monthly trend`,
        alt: `Line chart of ${def.label} for ${place} at each month end, with the amber and red thresholds${route.level === 'authority' ? ' and the England and regional benchmarks' : ''}.${latest}`,
        src: `/api/charts/indicators/${id}/trend.png?${chartQuery(route)}` },
      { key: 'spc', title: `${def.label}: statistical process control`,
        alt: `XmR chart of ${def.label} for ${place}: monthly values with the mean, process limits and two-sigma lines, special-cause points marked as concerning or improving.${latest}`,
        src: `/api/charts/indicators/${id}/spc.png?${chartQuery(route)}` },
      { key: 'teams', title: `${def.label}: teams compared${service ? ` in ${service}` : ''}`,
        alt: `Bar chart of ${def.label} for each team${service ? ` in ${service}` : ''} today, bars coloured by severity.`,
        src: `/api/charts/indicators/${id}/teams.png?${new URLSearchParams({ ...versionParams(), ...(service ? { service } : {}) })}` },
    );
    if (def.id === 'allocation_wait') {
      charts.push({ key: 'waits', title: 'Allocation waits', alt: `Chart of referrals waiting for allocation in ${place}, by length of wait.`,
        src: `/api/charts/allocation-waits.png?${chartQuery(route)}` });
    }
    // each adviser's caseload is a person-level figure, as a team's caseload chart is
    const seesAdvisers = route.level === 'team' ? seesPeopleOf(route.scope) : me !== null && me.sees_people === 'all';
    if ((def.id.startsWith('pa_') || def.id === 'care_leaver_contact_overdue') && seesAdvisers) {
      charts.push({ key: 'pa', title: 'Personal adviser caseloads', alt: `Chart of personal adviser caseloads in ${place}.`,
        src: `/api/charts/pa-caseloads.png?${chartQuery(route)}` });
    }
  }
  if (route.level === 'team' && seesPeopleOf(route.scope)) {
    charts.push({ key: 'caseloads', title: 'Caseload per worker', alt: `Distribution of caseload per FTE across the workers of ${place} today, without names.`,
      src: `/api/charts/teams/${encodeURIComponent(route.scope)}/caseloads.png?${new URLSearchParams(versionParams())}` });
  }
  charts.push(
    { key: 'composition', title: 'Workforce composition', alt: `Stacked area chart of permanent, fixed-term and agency FTE in ${place} over time.`,
      src: `/api/charts/composition.png?${chartQuery(route)}` },
    { key: 'starters-leavers', title: 'Starters and leavers', alt: `Bar chart of starters and leavers per month in ${place}.`,
      src: `/api/charts/starters-leavers.png?${chartQuery(route)}` },
  );
  $('charts-heading').textContent = def ? `Charts: ${def.label}` : 'Charts';
  const existing = new Map([...grid.children].map((f) => [f.dataset.chart, f]));
  grid.replaceChildren(...charts.map((c) => {
    const old = existing.get(c.key);
    if (old && old.dataset.src === c.src) return old;
    return chartFigure(c);
  }));
  sizeCharts(grid);
}

/** What an indicator's tile says now, as a sentence for a chart's text alternative: its value and RAG. */
function tileSays(id) {
  const li = $('tiles').querySelector(`.tile[data-indicator="${id}"]`);
  const figure = li?.querySelector('.tile-figure')?.textContent.trim();
  if (!figure) return '';
  return ` Latest value ${figure}, ${SEVERITY[li.dataset.severity]?.word ?? 'no data'}.`;
}

/**
 * A chart's box: its picture (asked for once its width is known, see sizeCharts), links to the picture as PNG and SVG
 * and to its figures as CSV, and a button that shows those figures as a table.
 */
function chartFigure(c) {
  const img = el('img', { alt: c.alt, loading: 'lazy', decoding: 'async' });
  const name = c.key.replace(/[^a-z0-9-]/gi, '-');
  const tableBox = el('div', { class: 'chart-table', id: `chart-table-${name}`, hidden: true });
  const toggle = el('button', { type: 'button', class: 'chart-toggle', 'aria-expanded': 'false', 'aria-controls': tableBox.id },
    'Show data as a table', el('span', { class: 'visually-hidden', text: `: ${c.title}` }));
  const link = (text, format) => el('a', { class: `chart-link chart-link-${format}`, download: `${name}.${format}` },
    text, el('span', { class: 'visually-hidden', text: ` of ${c.title}` }));
  const links = el('p', { class: 'chart-links' }, link('PNG', 'png'), link('SVG', 'svg'), link('Data (CSV)', 'csv'), toggle);
  const figure = el('figure', { class: 'chart', 'data-chart': c.key, 'data-src': c.src },
    el('figcaption', { text: c.title }), img, links, tableBox);
  figure.chart = c;
  img.addEventListener('error', async () => {
    if (!img.getAttribute('src')) return;
    figure.classList.add('chart-missing');
    const fallback = el('p', { class: 'chart-fallback', role: 'status', text: 'Chart not available.' });
    img.replaceWith(fallback);
    links.hidden = true;
    tableBox.hidden = true;
    fallback.textContent = `Chart not available: ${await chartProblem(c.src)}`;
  });
  toggle.addEventListener('click', () => toggleChartTable(figure, toggle, tableBox));
  chartFigures(figure).then((table) => {
    if (table && img.isConnected) img.alt = `${c.alt}${figuresSay(table)}`;
  }).catch(() => {});
  return figure;
}

/** The address of a chart in another format: its figures (.csv) have no size. */
function chartAddress(src, format, size = null) {
  const url = new URL(src, location.origin);
  url.pathname = url.pathname.replace(/\.png$/, `.${format}`);
  if (size) {
    url.searchParams.set('width', size.w);
    url.searchParams.set('height', size.h);
    if (format === 'png' && size.dpr > 1) url.searchParams.set('dpr', size.dpr);
  }
  return `${url.pathname}${url.search}`;
}

/**
 * The size to draw a chart at: the width its box shows it at, in CSS pixels, and a height that leaves room for the
 * title, notes and legend at that width; the PNG at the screen's pixel ratio, so its text is the server's size on
 * the screen, never smaller.
 */
function chartSize(img) {
  const shown = Math.floor(img.getBoundingClientRect().width);
  const w = Math.min(2400, Math.max(200, shown || 800));
  const h = Math.min(1600, w < 480 ? 460 : Math.max(400, Math.min(600, Math.round(w * 0.62))));
  const ratio = Math.min(4, Math.max(1, window.devicePixelRatio || 1), 4800 / w, 3200 / h);
  return { w, h, dpr: Math.round(ratio * 1000) / 1000 };
}

/** Asks for each chart of a grid at the size its box now has, unless it already shows that size. */
function sizeCharts(grid) {
  for (const figure of grid.querySelectorAll('figure.chart')) {
    const img = figure.querySelector('img');
    if (!img || !figure.chart) continue;
    const size = chartSize(img);
    const key = `${size.w}x${size.h}@${size.dpr}`;
    if (figure.dataset.size === key) continue;
    figure.dataset.size = key;
    img.width = size.w;
    img.height = size.h;
    img.src = chartAddress(figure.chart.src, 'png', size);
    const [png, svg, csv] = figure.querySelectorAll('.chart-link');
    png.href = img.getAttribute('src');
    svg.href = chartAddress(figure.chart.src, 'svg', size);
    csv.href = chartAddress(figure.chart.src, 'csv');
  }
}

let resizing = null;
window.addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = setTimeout(() => {
    for (const id of ['chart-grid', 'outlook-charts']) sizeCharts($(id));
  }, 200);
});

/** A chart's figures (its .csv), read once per address and shared by its text alternative and its table. */
const figuresRead = new Map();
function chartFigures(figure) {
  const url = chartAddress(figure.chart.src, 'csv');
  if (!figuresRead.has(url)) {
    if (figuresRead.size > 64) figuresRead.clear();
    figuresRead.set(url, fetch(url, { headers: { Accept: 'text/csv', 'X-Requested-With': 'XMLHttpRequest' } })
      .then((r) => (r.ok ? r.text() : null)).then((text) => (text == null ? null : csvTable(text)))
      .catch(() => null));
  }
  return figuresRead.get(url);
}

/** RFC 4180 text as a header and rows; a cell the service neutralised for spreadsheets is shown as it was. */
function csvTable(text) {
  const records = [];
  let record = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field); records.push(record); record = []; field = ''; i++;
    } else field += c;
  }
  if (field || record.length) { record.push(field); records.push(record); }
  const shown = (cell) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
  const [header = [], ...rows] = records.map((r) => r.map(shown));
  return { header, rows };
}

const FIGURE = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 });
const figureText = (cell) => (cell !== '' && !Number.isNaN(Number(cell)) ? FIGURE.format(Number(cell)) : cell);

/** The figures' latest row (for a chart over time) or their first (the highest team), in words, for the text alternative. */
function figuresSay(table) {
  const [asOf, x, ...series] = table.header;
  if (!table.rows.length || asOf !== 'as_of') return '';
  const overTime = x === 'Date' || x === 'Month';
  const row = overTime ? [...table.rows].reverse().find((r) => r.slice(2).some((v) => v !== '')) : table.rows[0];
  if (!row) return '';
  const parts = series.map((name, i) => (row[i + 2] === '' ? null : `${name} ${figureText(row[i + 2])}`)).filter(Boolean);
  if (overTime) return ` Latest, ${row[1]}: ${parts.join('; ')}.`;
  if (x === 'Team') return ` Highest, team ${row[1]}: ${parts.join('; ')}. ${table.rows.length} teams.`;
  const totals = series.map((name, i) => `${name} ${figureText(String(table.rows.reduce((n, r) => n + (Number(r[i + 2]) || 0), 0)))}`);
  return ` In all: ${totals.join('; ')}.`;
}

/** Shows or hides a chart's figures as a table: a caption, a header row and a row per point on its horizontal axis. */
async function toggleChartTable(figure, toggle, box) {
  const open = toggle.getAttribute('aria-expanded') !== 'true';
  toggle.setAttribute('aria-expanded', String(open));
  toggle.firstChild.textContent = open ? 'Hide the data table' : 'Show data as a table';
  box.hidden = !open;
  if (!open) return;
  box.replaceChildren(el('p', { class: 'hint', role: 'status', text: 'Loading the figures…' }));
  const table = await chartFigures(figure);
  if (!table) {
    box.replaceChildren(el('p', { class: 'hint', role: 'status', text: 'The figures are not available.' }));
    return;
  }
  const [, x, ...series] = table.header;
  const asOf = table.rows[0]?.[0];
  const caption = `${figure.chart.title}: the figures drawn${asOf ? `, as at ${DATE_LONG.format(isoDate(asOf))}` : ''}`;
  box.replaceChildren(el('div', { class: 'table-wrap chart-table-wrap', tabindex: '0', role: 'region', 'aria-label': caption },
    el('table', { class: 'chart-data' },
      el('caption', { text: caption }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: x }), series.map((s) => el('th', { scope: 'col', text: s })))),
      el('tbody', {}, table.rows.map((r) => el('tr', {}, el('th', { scope: 'row', text: r[1] }),
        r.slice(2).map((v) => el('td', { 'data-value': v, text: figureText(v) }))))))));
}

/** Why a chart could not be drawn, in words: the problem's detail the chart's address answers (RFC 9457). */
async function chartProblem(src) {
  try {
    const response = await fetch(src, { headers: { Accept: 'application/problem+json', 'X-Requested-With': 'XMLHttpRequest' } });
    if (response.ok) return 'the picture could not be shown; reload the page to try again.';
    const problem = await response.json().catch(() => null);
    return problem?.detail ?? `the server answered ${response.status}.`;
  } catch {
    return 'the server could not be reached.';
  }
}

// ---------------------------------------------------------------- outlook

/** The projected measures in the outlook table, with how each figure is written. */
const OUTLOOK_CHARTS = [
  { measure: 'caseload_per_fte', title: 'Caseload per FTE: outlook', what: 'caseload per FTE' },
  { measure: 'employed_fte', title: 'Employed FTE: outlook', what: 'employed FTE' },
  { measure: 'agency_fte', title: 'Agency FTE: outlook', what: 'agency FTE' },
  { measure: 'fte_needed', title: 'Social work FTE needed against projected: outlook',
    what: 'social work FTE needed at the target caseload against the projected case-holding FTE', fans: 2 },
];
const OUTLOOK_MONTHS = 12;
const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

const outlookState = { scenario: new URLSearchParams(location.search).get('scenario') ?? '', token: 0 };

function scopeQuery(route) {
  const params = new URLSearchParams({ level: route.level });
  if (route.level !== 'authority') params.set('scope', route.scope);
  params.set('months', String(OUTLOOK_MONTHS));
  return params.toString();
}

/** "12.3 (10.1–14.6)": the median with the 10th to 90th percentile; a gap in words. */
function rangeText(range, m) {
  if (m.id === 'fte_gap') return gapText(range);
  if (!range || range.p50 == null) return '—';
  return `${m.format(range.p50)} (${m.format(range.p10)}–${m.format(range.p90)})`;
}

/**
 * The outlook of the page's scope: the projection's month 6 and month 12 in a table, the forecast charts, and a
 * picker of the saved scenarios; with one chosen, its projection beside the baseline. Drawn after the rest of the
 * page, so a slow or missing forecast never holds up the indicators.
 */
async function renderOutlook(route) {
  const token = ++outlookState.token;
  const query = scopeQuery(route);
  const status = $('outlook-status');
  const scenarios = await cached('outlook|scenarios', '/api/scenarios', true);
  if (token !== outlookState.token) return;
  renderScenarioPicker(Array.isArray(scenarios) ? scenarios : []);
  const name = outlookState.scenario;
  let baseline = null;
  let scenario = null;
  try {
    if (name) {
      const both = await cached(`outlook|scenario-forecast|${name}|${query}`,
        `/api/scenarios/${encodeURIComponent(name)}/forecast?${query}`);
      baseline = both.baseline;
      scenario = both.scenario;
    } else {
      baseline = await cached(`outlook|forecast|${query}`, `/api/forecast?${query}`);
    }
  } catch (e) {
    if (token !== outlookState.token) return;
    $('outlook-rows').replaceChildren();
    $('outlook-charts').replaceChildren();
    status.textContent = name && e.status === 404 ? `The scenario “${name}” is no longer saved.` : 'The outlook is not available at the moment.';
    return;
  }
  if (token !== outlookState.token) return;
  status.textContent = scenario ? `Showing the baseline and the scenario “${name}”.` : '';
  renderOutlookTable(baseline, scenario, name);
  renderRefereed(scenario ? null : baseline);
  if (!scenario && baseline?.referee_note) {
    // the authority's first backtest of the day is being computed: ask again shortly for the refereed measures, for
    // two minutes at most
    cache.delete(`outlook|forecast|${query}`);
    outlookState.refereeTries = (outlookState.refereeTries ?? 0) + 1;
    if (outlookState.refereeTries <= 24) {
      setTimeout(() => { if (token === outlookState.token && state.route) renderOutlook(state.route); }, 5000);
    } else {
      $('outlook-refereed').replaceChildren(el('p', { class: 'outlook-status',
        text: 'The forecast by the method with the best record here is not available at the moment.' }));
    }
  } else {
    outlookState.refereeTries = 0;
  }
  renderOutlookCharts(route, name);
}

function renderScenarioPicker(list) {
  const picker = $('scenario-picker');
  const names = list.map((s) => s.name);
  if (outlookState.scenario && !names.includes(outlookState.scenario)) outlookState.scenario = '';
  const wanted = ['', ...names];
  const have = [...picker.options].map((o) => o.value);
  if (wanted.join('\n') !== have.join('\n')) {
    picker.replaceChildren(el('option', { value: '', text: 'None (baseline only)' }),
      ...list.map((s) => el('option', { value: s.name, text: s.description ? `${s.name}: ${s.description}` : s.name })));
  }
  picker.value = outlookState.scenario;
}

function renderOutlookTable(baseline, scenario, name) {
  const months = baseline?.months ?? [];
  const at = (projection, i) => projection?.months?.[Math.min(i, (projection.months.length || 1) - 1)];
  const heading = (i, n) => {
    const m = months[Math.min(i, months.length - 1)];
    return m ? `In ${n} months (${MONTH_YEAR.format(new Date(`${m.month}-01T00:00:00Z`))})` : `In ${n} months`;
  };
  $('outlook-m6').textContent = heading(5, 6);
  $('outlook-m12').textContent = heading(11, 12);
  const rows = [];
  for (const m of PROJECTED_MEASURES) {
    const b6 = at(baseline, 5)?.[m.id];
    const b12 = at(baseline, 11)?.[m.id];
    // personal adviser caseloads only where there are personal advisers
    if (!b12 || b12.p50 == null || (m.id === 'pa_caseload_per_fte' && !b12.p90)) continue;
    const cell = (i, b, label) => {
      const td = el('td', { 'data-label': label });
      if (scenario) {
        td.append(el('span', { class: 'outlook-line' }, el('span', { class: 'outlook-which', text: 'Baseline ' }), rangeText(b, m)),
          el('span', { class: 'outlook-line' }, el('span', { class: 'outlook-which', text: `${name} ` }), rangeText(at(scenario, i)?.[m.id], m)));
      } else {
        td.append(rangeText(b, m));
      }
      return td;
    };
    rows.push(el('tr', {}, el('th', { scope: 'row', text: m.label }), cell(5, b6, 'In 6 months'), cell(11, b12, 'In 12 months')));
  }
  $('outlook-rows').replaceChildren(...rows);
  $('outlook-caption').textContent = scenario
    ? `Projected figures in 6 and 12 months, baseline and scenario ${name}: median (10th–90th percentile)`
    : 'Projected figures in 6 and 12 months: median (10th–90th percentile)';
}

/** The referee's methods in words. */
const REFEREE_METHODS = {
  naive: 'no change',
  ets: 'exponential smoothing',
  simulation: 'the simulation',
  combination: 'a combination weighted by past skill',
};
const REFEREED_LABELS = { fte: 'FTE in post', leavers: 'Leavers in the month', caseload_per_fte: 'Caseload per FTE' };

/**
 * The authority's refereed forecast (baseline only): for each measure the backtest scores, the figure in 6 and 12 months
 * by the method with the best record on the authority's own history, named in words; or why it is not there yet.
 */
function renderRefereed(baseline) {
  const place = $('outlook-refereed');
  const measures = baseline?.refereed ?? [];
  if (!baseline || (!measures.length && !baseline.referee_note)) {
    place.replaceChildren();
    return;
  }
  if (!measures.length) {
    place.replaceChildren(el('p', { class: 'outlook-status', text: baseline.referee_note }));
    return;
  }
  const line = (measure) => {
    const months = measure.months ?? [];
    const at = (i) => months[Math.min(i, months.length - 1)];
    const part = (m, n) => (m ? `${num(m.p50)} (${num(m.p10)}–${num(m.p90)}) in ${n} months by ${REFEREE_METHODS[m.method] ?? m.method}` : '');
    return el('li', {}, el('strong', { text: `${REFEREED_LABELS[measure.measure] ?? measure.measure}: ` }),
      [part(at(5), 6), part(at(11), 12)].filter(Boolean).join('; '));
  };
  place.replaceChildren(
    el('h3', { text: 'Forecast by the method with the best record here' }),
    el('p', { class: 'outlook-status' }, 'For each measure and horizon, the method that has forecast this authority best over its own '
      + 'history (never one that did worse than “no change”), with the range its past misses give: median (10th–90th percentile). ',
    el('a', { href: '/api/forecast/backtest', text: 'The evidence: the backtest (JSON)' }), '.'),
    el('ul', { class: 'outlook-refereed-list' }, ...measures.filter((m) => m.months?.length).map(line)));
}

function renderOutlookCharts(route, name) {
  const place = route.level === 'authority' ? (state.authority.name ?? 'the authority') : route.scope;
  const grid = $('outlook-charts');
  const charts = OUTLOOK_CHARTS.map((c) => ({
    key: `outlook-${c.measure}`,
    title: name ? `${c.title}, baseline and ${name}` : c.title,
    alt: `Fan chart of ${c.fans === 2 ? '' : 'projected '}${c.what} for ${place} over the next ${OUTLOOK_MONTHS} months: `
      + `${c.fans === 2 ? 'each' : 'the'} median as a line, the 10th to 90th percentile shaded`
      + `${name ? `, the baseline and the scenario ${name}` : ''}.`,
    src: `/api/charts/forecast.png?${chartQuery(route, { measure: c.measure, months: OUTLOOK_MONTHS, scenario: name || null })}`,
  }));
  const existing = new Map([...grid.children].map((f) => [f.dataset.chart, f]));
  grid.replaceChildren(...charts.map((c) => {
    const old = existing.get(c.key);
    return old && old.dataset.src === c.src ? old : chartFigure(c);
  }));
  sizeCharts(grid);
}

$('scenario-picker').addEventListener('change', (event) => {
  outlookState.scenario = event.target.value;
  syncQuery();
  announce(outlookState.scenario ? `Outlook now compares the baseline with ${outlookState.scenario}.` : 'Outlook now shows the baseline only.');
  if (state.route) renderOutlook(state.route);
});

// ---------------------------------------------------------------- risks

function renderRisks(risks, route, authority) {
  const count = risks.length;
  $('risks-count').textContent = count === 0 ? 'No indicator is at amber or red here.'
    : `${count} ${count === 1 ? 'risk' : 'risks'}, worst first`;
  const shown = state.showAllRisks ? risks : risks.slice(0, RISKS_SHOWN);
  const teamNames = new Map(authority.services.flatMap((s) => s.teams.map((t) => [t.team_id, t.team_name])));
  keepingFocus($('risks'), () => $('risks').replaceChildren(...shown.map((r) => riskItem(r, teamNames))));
  $('risks-wrap').hidden = count === 0;
  const more = $('risks-more');
  more.hidden = state.showAllRisks || count <= RISKS_SHOWN;
  more.textContent = `Show all ${count} risks`;
}

/** One of the team's own risks (only a team's page lists its risks flat). */
function riskItem(r, teamNames) {
  const def = BY_ID.get(r.indicator) ?? { label: r.indicator, unit: 'count', suffix: '' };
  const where = el('span', { text: teamNames.get(r.scope) ?? r.scope });
  const months = monthsBetween(r.since, state.asOf);
  const cell = (label, ...content) => el('td', { 'data-label': label }, el('div', { class: 'cell' }, ...content));
  const line = (text, cls = 'line') => el('span', { class: cls, text });
  return el('tr', { class: 'risk', 'data-severity': r.severity, 'data-indicator': r.indicator, 'data-level': r.level, 'data-scope': r.scope },
    cell('Severity', badge(r.severity)),
    cell('Indicator', el('strong', { class: 'line', text: def.label }), el('span', { class: 'line' }, where)),
    cell('Value', el('strong', { class: 'line', text: withUnit(r.value, def) }),
      line(`${r.severity === 'red' ? 'red' : 'amber'} from ${plain(r.threshold, def)}`, 'line muted')),
    cell('Since', line(DATE_SHORT.format(isoDate(r.since)), 'line nowrap'),
      months > 0 ? line(`${months} ${months === 1 ? 'month' : 'months'}`, 'line muted') : null),
    cell('Lead officer', r.lead_officer),
    cell('Target', plain(r.target, def)),
    cell('Finding monitored', line(r.finding, 'risk-finding')));
}

// ---------------------------------------------------------------- team workers, pinned teams, a team manager's teams

/**
 * A team's workers (GET /api/teams/{id}/workers, a person-level view the server audits), for those who may see that
 * team's people: a table sortable by any column. Which agency supplies a worker, and at what rate, only for those who
 * see agency detail (the API leaves them empty for others).
 */
const WORKER_COLUMNS = [
  { key: 'staff_id', label: 'Worker', value: (w) => w.staff_id, cell: (w) => w.staff_id, text: true },
  { key: 'role', label: 'Role', value: (w) => w.role_name, cell: (w) => w.role_name, text: true },
  { key: 'employment', label: 'Employment', value: (w) => w.employment, text: true,
    cell: (w) => (w.employment === 'agency' ? el('strong', { text: 'Agency' }) : w.employment.replaceAll('_', ' ')) },
  { key: 'agency_name', label: 'Agency', agency: true, value: (w) => w.agency_name, cell: (w) => w.agency_name ?? '—', text: true },
  { key: 'agency_hourly_rate', label: 'Hourly rate', agency: true, value: (w) => w.agency_hourly_rate,
    cell: (w) => (w.agency_hourly_rate == null ? '—' : MONEY_P.format(w.agency_hourly_rate)) },
  { key: 'fte', label: 'FTE', value: (w) => w.fte, cell: (w) => num(w.fte) },
  { key: 'children', label: 'Caseload (children)', value: (w) => (w.case_holding ? w.children : null),
    cell: (w) => (w.case_holding ? String(w.children) : 'Not case-holding') },
  { key: 'caseload_per_fte', label: 'Caseload per FTE', value: (w) => w.caseload_per_fte,
    cell: (w) => (w.caseload_per_fte == null ? '—' : [num(w.caseload_per_fte), w.over_caseload
      ? el('span', { class: 'wk-flag wk-over' }, severityIcon('red'), el('span', { text: 'Over the limit' })) : null]) },
  { key: 'caseload_limit', label: 'Caseload limit', value: (w) => w.caseload_limit, cell: (w) => (w.caseload_limit == null ? '—' : num(w.caseload_limit)) },
  { key: 'supervision', label: 'Supervision', value: (w) => supervisionDue(w), cell: supervisionCell },
  { key: 'induction', label: 'Induction', value: (w) => (w.induction_incomplete ? 0 : w.induction_done && w.practice_model_done ? 2 : 1), cell: inductionCell },
];
const MONEY_P = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', minimumFractionDigits: 2 });
const workersState = { sort: null, dir: 'ascending', team: null, workers: [] };


/** When the next supervision is due: the interval after the last one, or after the start where there was none. */
function supervisionDue(w) {
  if (w.supervision_interval_days == null) return null;
  const from = w.last_supervision ?? w.tenure_from;
  if (!from) return null;
  const d = isoDate(from);
  d.setUTCDate(d.getUTCDate() + w.supervision_interval_days);
  return d.toISOString().slice(0, 10);
}

function supervisionCell(w) {
  const due = supervisionDue(w);
  if (due == null) return 'Not tracked';
  const last = w.last_supervision ? `last ${DATE_SHORT.format(isoDate(w.last_supervision))}` : 'none yet';
  return [w.supervision_overdue
    ? el('span', { class: 'wk-flag wk-overdue' }, severityIcon('red'), el('span', { text: `Overdue since ${DATE_SHORT.format(isoDate(due))}` }))
    : el('span', { text: `Due ${DATE_SHORT.format(isoDate(due))}` }),
  el('span', { class: 'wk-note', text: ` (${last})` })];
}

function inductionCell(w) {
  if (w.induction_incomplete) {
    return el('span', { class: 'wk-flag wk-incomplete' }, severityIcon('amber'), el('span', { text: 'Incomplete after 90 days' }));
  }
  return w.induction_done && w.practice_model_done ? 'Complete' : 'In progress (first 90 days)';
}

async function renderWorkers(route, token) {
  const section = $('team-workers');
  if (route.level !== 'team' || !seesPeopleOf(route.scope)) {
    section.hidden = true;
    $('workers-rows').replaceChildren();
    return;
  }
  let answer;
  try {
    answer = await cached(`today|workers|${route.scope}`, `/api/teams/${encodeURIComponent(route.scope)}/workers`);
  } catch (e) {
    if (token !== state.renderToken) return;
    section.hidden = false;
    $('workers-count').textContent = `The workers could not be loaded: ${e.message}.`;
    $('workers-rows').replaceChildren();
    return;
  }
  if (token !== state.renderToken) return;
  if (workersState.team !== route.scope) workersState.sort = null;
  workersState.team = route.scope;
  workersState.workers = answer.workers;
  section.hidden = false;
  const n = answer.workers.length;
  const over = answer.workers.filter((w) => w.over_caseload).length;
  $('workers-count').textContent = `${of(n, 'worker')} in post on ${DATE_SHORT.format(isoDate(answer.as_of))}`
    + `${over ? `; ${of(over, 'worker')} over the caseload limit` : ''}. Select a column heading to sort.`;
  drawWorkers();
}

function drawWorkers() {
  const columns = WORKER_COLUMNS.filter((c) => !c.agency || (me && me.sees_agency_detail));
  const { sort, dir } = workersState;
  const column = columns.find((c) => c.key === sort);
  const rows = [...workersState.workers];
  if (column) {
    const sign = dir === 'ascending' ? 1 : -1;
    rows.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      if (x == null || y == null) return x == null && y == null ? 0 : x == null ? 1 : -1; // blanks last either way
      return sign * (column.text ? String(x).localeCompare(String(y), 'en-GB', { numeric: true }) : x < y ? -1 : x > y ? 1 : 0);
    });
  }
  $('workers-caption').textContent = `Workers of the team${column ? `, sorted by ${column.label.toLowerCase()}, ${dir}` : ''}`;
  keepingFocus($('workers-head'), () => $('workers-head').replaceChildren(...columns.map((c) => el('th', {
    scope: 'col', 'aria-sort': c.key === sort ? dir : null, 'data-key': c.key,
  }, el('button', { type: 'button', class: 'wk-sort', onclick: () => sortWorkers(c) },
    c.label, el('span', { class: 'wk-arrow', 'aria-hidden': 'true', text: c.key === sort ? (dir === 'ascending' ? ' ▲' : ' ▼') : ' ↕' }))))));
  $('workers-rows').replaceChildren(...rows.map((w) => el('tr', {
    'data-staff': w.staff_id, 'data-over': String(Boolean(w.over_caseload)),
  }, columns.map((c, i) => el(i === 0 ? 'th' : 'td', { 'data-key': c.key, 'data-label': c.label, ...(i === 0 ? { scope: 'row' } : {}) }, c.cell(w))))));
}

function sortWorkers(column) {
  workersState.dir = workersState.sort === column.key && workersState.dir === 'ascending' ? 'descending' : 'ascending';
  workersState.sort = column.key;
  drawWorkers();
  announce(`Workers sorted by ${column.label.toLowerCase()}, ${workersState.dir}.`);
}

/** The caller's pinned teams (GET /api/me/pins): kept on the server, so they follow the person to any device. */
let pins = [];

async function loadPins() {
  const answer = await optionalJson('/api/me/pins');
  pins = answer?.teams ?? [];
}

function renderPinButton(route) {
  const wrap = $('pin-wrap');
  wrap.hidden = route.level !== 'team' || !me;
  if (wrap.hidden) return;
  const pinned = pins.some((p) => p.team_id === route.scope);
  const button = $('pin-team');
  button.setAttribute('aria-pressed', String(pinned));
  button.dataset.team = route.scope;
  $('pin-team-text').textContent = pinned ? 'Pinned to the menu' : 'Pin this team';
}

$('pin-team').addEventListener('click', async (event) => {
  const button = event.currentTarget;
  const team = button.dataset.team;
  const pinned = button.getAttribute('aria-pressed') === 'true';
  const wanted = pinned ? pins.filter((p) => p.team_id !== team).map((p) => p.team_id) : [...pins.map((p) => p.team_id), team];
  button.disabled = true;
  try {
    const answer = await send('PUT', '/api/me/pins', { teams: wanted });
    pins = answer.teams;
    announce(pinned ? 'Team unpinned from the menu.' : 'Team pinned to the menu.');
  } catch (e) {
    announce(`The pin was not saved: ${e.message}`);
  } finally {
    button.disabled = false;
    if (me) renderNav(me);
    if (state.route) renderPinButton(state.route);
  }
});

/** A team manager's own teams at the top of the authority page (with one team, they land on it instead). */
function renderYourTeams(route, authority) {
  const section = $('your-teams');
  const mine = route.level === 'authority' && me && me.sees_people === 'own_teams' ? me.teams : [];
  section.hidden = mine.length === 0;
  if (!mine.length) return;
  const names = new Map(authority.services.flatMap((s) => s.teams.map((t) => [t.team_id, t.team_name])));
  $('your-teams-list').replaceChildren(...mine.map((id) => el('li', {},
    el('a', { href: teamUrl(id), text: `${names.get(id) ?? id} (${id})` }))));
}

/** The team a team manager with exactly one team lands on when they open the authority page. */
function landingTeam() {
  if (!me || me.sees_people !== 'own_teams' || me.teams.length !== 1) return null;
  return location.pathname === '/' ? me.teams[0] : null;
}

// ---------------------------------------------------------------- teams at risk

/** The filters of the teams at risk, kept in the address so a filtered view can be shared. */
const riskFilter = (() => {
  const params = new URLSearchParams(location.search);
  return { service: params.get('risk_service') ?? '', severity: params.get('risk_severity') ?? '', indicator: params.get('risk_indicator') ?? '' };
})();

/** How far past its threshold, relative to it (a plain difference where the threshold is 0, as the API gives it). */
function howFarPast(r) {
  return r.threshold === 0 ? `${num(r.past)} over it` : `${Math.round(r.past * 100)}% past it`;
}

/** One red or amber indicator, in words and colour: value, threshold crossed, how far past it, since when. */
function atRiskIndicator(r) {
  const def = BY_ID.get(r.indicator) ?? { label: r.indicator, unit: 'count', suffix: '' };
  const since = r.since ? `, since ${DATE_SHORT.format(isoDate(r.since))}` : '';
  return el('li', { class: 'at-risk-indicator', 'data-indicator': r.indicator, 'data-severity': r.severity },
    badge(r.severity),
    el('span', { class: 'at-risk-what' }, el('strong', { text: def.label }), ' ', withUnit(r.value, def)),
    el('span', { class: 'at-risk-how', text: `${SEVERITY[r.severity]?.word ?? r.severity} from ${plain(r.threshold, def)}, ${howFarPast(r)}${since}` }));
}

async function renderTeamsAtRisk(route, authority, token) {
  const section = $('at-risk');
  if (route.level === 'team') {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const services = $('at-risk-service');
  const serviceShown = route.level === 'authority';
  services.hidden = !serviceShown;
  $('at-risk-service-label').hidden = !serviceShown;
  if (services.options.length !== authority.services.length + 1) {
    services.replaceChildren(el('option', { value: '', text: 'All services' }),
      ...authority.services.map((s) => el('option', { value: s.service, text: s.service })));
  }
  const indicatorsPicker = $('at-risk-indicator');
  if (indicatorsPicker.options.length === 1) indicatorsPicker.append(...INDICATORS.map((d) => el('option', { value: d.id, text: d.label })));
  services.value = riskFilter.service;
  $('at-risk-severity').value = riskFilter.severity;
  indicatorsPicker.value = riskFilter.indicator;

  const service = route.level === 'service' ? route.scope : riskFilter.service;
  const params = new URLSearchParams({ group: 'team' });
  if (service) params.set('service', service);
  if (riskFilter.severity) params.set('severity', riskFilter.severity);
  if (riskFilter.indicator) params.set('indicator', riskFilter.indicator);
  const grouped = await getJson(`/api/risks?${params}`);
  if (token !== state.renderToken) return;

  const filtered = riskFilter.severity || riskFilter.indicator || (route.level === 'authority' && riskFilter.service);
  const n = grouped.teams.length;
  $('at-risk-count').textContent = n === 0
    ? `No team is at ${riskFilter.severity || 'amber or red'} here${filtered ? ' with these filters' : ''}.`
    : `${n} ${n === 1 ? 'team' : 'teams'} at risk${filtered ? ' with these filters' : ''}, worst first: any red, then most reds and ambers, then furthest past a threshold`;
  const shown = state.showAllTeamsAtRisk ? grouped.teams : grouped.teams.slice(0, TEAMS_AT_RISK_SHOWN);
  const more = $('at-risk-more');
  more.hidden = shown.length === n;
  more.textContent = `Show all ${n} teams at risk`;
  keepingFocus($('at-risk-list'), () => $('at-risk-list').replaceChildren(...shown.map((t) => el('li', {
    class: 'at-risk-team', 'data-team': t.team, 'data-severity': t.severity,
  },
  el('div', { class: 'at-risk-head' },
    el('a', { href: teamUrl(t.team), class: 'at-risk-name', text: `${t.team_name ?? t.team} (${t.team})` }),
    el('span', { class: 'drill-note', text: t.service }),
    el('span', { class: 'drill-counts' },
      el('span', { class: 'count count-red' }, severityIcon('red'), el('span', { text: `${t.red} red` })),
      el('span', { class: 'count count-amber' }, severityIcon('amber'), el('span', { text: `${t.amber} amber` })))),
  el('ul', { class: 'at-risk-indicators' }, ...t.risks.map(atRiskIndicator))))));
  const wider = grouped.wider.filter((r) => route.level === 'authority' || r.level === 'service');
  $('at-risk-wider').hidden = wider.length === 0;
  $('at-risk-wider-list').replaceChildren(...wider.map((r) => {
    const li = atRiskIndicator(r);
    li.querySelector('.at-risk-what').prepend(r.level === 'authority' ? 'Whole authority: ' : `${r.scope}: `);
    return li;
  }));
  section.dataset.filter = `${service}|${riskFilter.severity}|${riskFilter.indicator}`;
}

for (const [id, key] of [['at-risk-service', 'service'], ['at-risk-severity', 'severity'], ['at-risk-indicator', 'indicator']]) {
  $(id).addEventListener('change', (event) => {
    riskFilter[key] = event.target.value;
    syncQuery();
    const token = state.renderToken;
    if (state.route && state.authority) renderTeamsAtRisk(state.route, state.authority, token).catch(renderError);
  });
}

$('at-risk-more').addEventListener('click', () => {
  state.showAllTeamsAtRisk = true;
  if (!state.route || !state.authority) return;
  renderTeamsAtRisk(state.route, state.authority, state.renderToken).then(() => {
    // the button is gone: the keyboard carries on from the first team it revealed
    $('at-risk-list').children[TEAMS_AT_RISK_SHOWN]?.querySelector('a')?.focus();
  }).catch(renderError);
});

/** Teams in rows, indicators in columns: each cell the team's value, coloured and named by its RAG. */
function renderMatrix(route, where, teamsNow) {
  const section = $('matrix');
  if (route.level === 'team' || !teamsNow) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const teams = route.level === 'service' ? where.service.teams.map((t) => ({ ...t, service: where.service.service }))
    : state.authority.services.flatMap((s) => s.teams.map((t) => ({ ...t, service: s.service })));
  const values = new Map();
  for (const e of teamsNow.indicators) values.set(`${e.scope}|${e.indicator}`, e);
  const columns = INDICATORS.filter((d) => teams.some((t) => values.get(`${t.team_id}|${d.id}`)?.value != null));
  $('matrix-caption').textContent = `${route.level === 'service' ? where.service.service : 'All'} teams in rows, indicators in columns`;
  $('matrix-head').replaceChildren(el('th', { scope: 'col', text: 'Team' }), ...columns.map((d) => el('th', { scope: 'col', text: d.label })));
  keepingFocus($('matrix-rows'), () => $('matrix-rows').replaceChildren(...teams.map((t) => el('tr', { 'data-team': t.team_id },
    el('th', { scope: 'row' }, el('a', { href: teamUrl(t.team_id), text: t.team_name }), el('span', { class: 'drill-note', text: ` ${t.team_id}` })),
    ...columns.map((d) => {
      const e = values.get(`${t.team_id}|${d.id}`);
      const severity = e?.value == null ? 'none' : (e.severity ?? 'none');
      return el('td', { class: `rag rag-${severity}`, 'data-indicator': d.id, 'data-severity': severity },
        el('span', { class: 'matrix-value', text: e?.value == null ? '—' : withUnit(e.value, d) }),
        e?.value == null ? null : el('span', { class: severity === 'ok' ? 'visually-hidden' : 'matrix-word', text: ` ${SEVERITY[severity]?.word ?? ''}` }));
    })))));
}

// ---------------------------------------------------------------- not found, errors

function renderNotFound(route, text) {
  $('title').textContent = route.level === 'team' ? `Team ${route.scope} not found`
    : route.level === 'service' ? 'Service not found' : 'Page not found';
  $('as-of').textContent = '';
  document.title = 'Not found · Workforce Watch';
  $('subtitle').textContent = '';
  $('rag-summary').replaceChildren();
  $('pin-wrap').hidden = true;
  $('not-found-text').textContent = text;
  $('not-found').hidden = false;
  $('content').hidden = true;
  document.body.dataset.ready = 'true';
}

function renderError(e) {
  console.error(e);
  $('title').textContent = 'The figures could not be loaded';
  $('subtitle').textContent = `${e.message}. The page will try again when the connection returns.`;
}

// ---------------------------------------------------------------- freshness

async function refreshFreshness() {
  const f = await optionalJson('/api/data-freshness');
  if (!f) return;
  state.clockSkew = new Date(f.now).getTime() - Date.now();
  state.freshness = f;
  renderFreshness();
}

function renderFreshness() {
  const f = state.freshness;
  if (!f) return;
  const received = f.datasets.filter((d) => d.updated);
  const never = f.datasets.filter((d) => !d.updated && d.dataset !== 'census');
  const stale = f.datasets.filter((d) => d.stale);
  const key = ['staff', 'allocations', 'referrals']
    .map((k) => received.find((d) => d.dataset === k)).filter(Boolean)
    .map((d) => `${datasetName(d.dataset)} ${ago(d.updated)}`);
  const oldest = received.reduce((o, d) => (!o || d.updated < o.updated ? d : o), null);
  const summary = $('freshness-summary');
  const parts = [`Data last received: ${key.length ? key.join(', ') : 'nothing yet'}`];
  if (oldest) parts.push(` — oldest: ${datasetName(oldest.dataset)} ${ago(oldest.updated)}`);
  summary.replaceChildren(parts.join(''));
  if (stale.length) summary.append(el('span', { class: 'stale' }, ` — ${stale.length} out of date: ${stale.map((d) => datasetName(d.dataset)).join(', ')}`));
  if (never.length) summary.append(el('span', { class: 'never' }, ` — never received: ${never.map((d) => datasetName(d.dataset)).join(', ')}`));
  $('freshness-list').replaceChildren(...f.datasets.map((d) => el('li', { class: d.stale ? 'stale' : '' },
    el('span', { class: 'freshness-name', text: datasetName(d.dataset) }),
    el('span', { text: d.updated
      ? `${ago(d.updated)} (${DATE_TIME.format(new Date(d.updated))}, by ${d.event && (!d.imported || d.event > d.imported) ? 'live event' : 'import'})${d.stale ? ' — out of date' : ''}`
      : 'never received' }))));
}

// ---------------------------------------------------------------- live updates

let stream = null;
let liveTimer = null;
let retryMs = 1000;
let wasConnected = false;

function setLive(stateName, text) {
  $('live').dataset.state = stateName;
  $('live-text').textContent = text;
}

function connect() {
  if (stream) stream.close();
  setLive('connecting', wasConnected ? 'Reconnecting…' : 'Connecting…');
  stream = new EventSource('/api/risks/stream');
  stream.addEventListener('open', () => {
    retryMs = 1000;
    setLive('live', 'Live');
    if (wasConnected) {
      // events may have been missed while the connection was down
      forgetAll();
      render({ live: true });
      refreshFreshness();
    }
    wasConnected = true;
  });
  for (const kind of ['raised', 'changed', 'cleared']) {
    stream.addEventListener(kind, (event) => onRiskEvent(kind, event));
  }
  stream.addEventListener('error', () => {
    if (stream.readyState === EventSource.CLOSED) {
      setLive('offline', 'Offline, retrying');
      const wait = retryMs;
      retryMs = Math.min(retryMs * 2, 30000);
      setTimeout(connect, wait);
    } else {
      setLive('connecting', 'Reconnecting…');
    }
  });
}

// A page kept in the back/forward cache must not keep its stream open: browsers allow only six connections to
// a server over HTTP/1.1, and each open stream holds one.
window.addEventListener('pagehide', () => {
  if (stream) {
    stream.close();
    stream = null;
  }
});
window.addEventListener('pageshow', (event) => {
  if (event.persisted) {
    forgetAll();
    render({ live: true });
    refreshFreshness();
    connect();
  }
});

function onRiskEvent(kind, event) {
  let data;
  try {
    data = JSON.parse(event.data);
  } catch {
    return;
  }
  const risk = data.risk ?? data;
  if (!state.route || !riskInScope(risk, state.route)) return;
  clearTimeout(liveTimer);
  // one refresh for the burst of events a recompute sends
  liveTimer = setTimeout(() => {
    forgetToday();
    render({ live: true });
    refreshFreshness();
  }, LIVE_DEBOUNCE_MS);
}

// ---------------------------------------------------------------- navigation

function syncQuery() {
  const params = new URLSearchParams(location.search);
  if (state.selected) params.set('indicator', state.selected); else params.delete('indicator');
  if (outlookState.scenario) params.set('scenario', outlookState.scenario); else params.delete('scenario');
  for (const key of ['service', 'severity', 'indicator']) {
    if (riskFilter[key]) params.set(`risk_${key}`, riskFilter[key]); else params.delete(`risk_${key}`);
  }
  const query = params.toString();
  const url = `${location.pathname}${query ? `?${query}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', url);
}

document.addEventListener('click', (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest('a[href]');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || parseRoute(url.pathname).level === 'unknown' || url.pathname.startsWith('/api/')) return;
  event.preventDefault();
  if (url.pathname + url.search !== location.pathname + location.search) history.pushState({}, '', url.pathname + url.search);
  render().then(() => {
    window.scrollTo(0, 0);
    $('title').focus({ preventScroll: true });
  });
});

window.addEventListener('popstate', () => {
  state.selected = new URLSearchParams(location.search).get('indicator') ?? state.selected;
  render();
});

$('risks-more').addEventListener('click', () => {
  state.showAllRisks = true;
  render();
});

$('title').setAttribute('tabindex', '-1');

showAccount().then(loadPins).catch(() => {}).then(() => {
  // a team manager of one team opening the authority lands on their team
  const team = landingTeam();
  if (team) history.replaceState({}, '', teamUrl(team));
}).then(render);
refreshFreshness();
connect();
setInterval(renderFreshness, 30 * 1000);
setInterval(refreshFreshness, 2 * 60 * 1000);
setInterval(() => { forgetAll(); render({ live: true }); }, POLL_MS);
