// The thresholds page (/thresholds): the performance framework in force (amber, red, target, lead officer) for the
// whole authority, each team type and team where set, edited in place with a reason; and the history of changes.
// Reads GET /api/thresholds and /api/thresholds/history; changes with PUT /api/thresholds/{indicator}.
import { el, getJson, send, problemView, HttpError, DATE_TIME } from '/common.js';

/** The indicators in the performance framework's order, as the dashboard's tiles name them. */
const NAMES = {
  caseload_per_fte: ['Caseload per FTE', 'per_fte'],
  workers_over_caseload: ['Workers over the caseload limit', 'count'],
  pa_caseload_per_fte: ['Personal adviser caseload per FTE', 'per_fte'],
  agency_rate: ['Agency rate', 'percent'],
  vacancy_rate: ['Vacancy rate', 'percent'],
  turnover_rate: ['Turnover rate', 'percent'],
  worker_changes: ['Children with 3 or more workers in 12 months', 'percent'],
  allocation_wait: ['Referrals waiting beyond the allocation limit', 'count'],
  supervision_overdue: ['Supervision overdue', 'percent'],
  induction_incomplete: ['Induction incomplete', 'percent'],
  assessment_out_of_date: ['Children in care without an up-to-date assessment', 'percent'],
  pa_late: ['Children 17+ in care without a personal adviser', 'count'],
  care_leaver_contact_overdue: ['Care leavers with contact overdue', 'percent'],
  ooh_cover_gap: ['Out-of-hours shifts short of cover', 'count'],
  absence_rate: ['Sickness absence rate', 'percent'],
  agency_noncompliant: ['Agency workers breaking national rules', 'count'],
};
const nameOf = (id) => NAMES[id]?.[0] ?? id;
const unitOf = (id) => NAMES[id]?.[1] ?? 'count';

/** A threshold as people read it: 15%, 18 per FTE, 3. */
export function shown(value, indicator) {
  if (value == null) return '–';
  const n = Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
  const unit = unitOf(indicator);
  return unit === 'percent' ? `${n}%` : unit === 'per_fte' ? `${n} per FTE` : n;
}

/**
 * What is wrong with a change before it is sent, as the service judges it (every indicator is higher-is-worse: a value
 * at or above amber is amber, at or above red is red): each a finite number, none negative, amber at most red, and a
 * reason. Answers { errors: [{field, reason}], warnings: [text] }; a warning does not stop the change.
 */
export function check({ amber, red, target, reason }) {
  const errors = [];
  const values = { amber, red, target };
  for (const [field, raw] of Object.entries(values)) {
    if (raw === '' || raw == null) {
      if (field !== 'target') errors.push({ field, reason: `${field} is needed` });
    } else if (!Number.isFinite(Number(raw))) {
      errors.push({ field, reason: `${field} must be a number` });
    } else if (Number(raw) < 0 && field !== 'target') {
      errors.push({ field, reason: `${field} must not be negative` });
    }
  }
  const a = Number(amber);
  const r = Number(red);
  if (!errors.some((e) => e.field === 'amber' || e.field === 'red') && a > r) {
    errors.push({ field: 'amber', reason: `amber (${a}) is beyond red (${r}): a higher value is worse, so amber must be at most red` });
  }
  if (!reason || !reason.trim()) errors.push({ field: 'reason', reason: 'a reason is needed: every change is recorded with why it was made' });
  const warnings = [];
  const t = Number(target);
  if (target !== '' && target != null && Number.isFinite(t) && Number.isFinite(a) && a > t) {
    warnings.push(`Amber (${a}) is looser than the target (${t}): values between the target and amber show green although they miss the target.`);
  }
  return { errors, warnings };
}

let uid = 0;

export async function render(root, ctx) {
  const mayChange = ctx.me.may_change_thresholds !== false;
  const status = el('div', { class: 'thr-status' }); // said to screen readers through ctx.announce
  const general = el('section', { 'aria-labelledby': 'thr-general-h' });
  const scoped = el('section', { 'aria-labelledby': 'thr-scoped-h' });
  const history = el('section', { 'aria-labelledby': 'thr-history-h' });
  root.append(
    el('p', { class: 'thr-intro' }, 'Every indicator is higher-is-worse: a value at or above amber is amber, at or above red is red. '
      + 'A team type’s thresholds apply to its teams, and a team’s own to that team, over the whole authority’s. '
      + 'Each change needs a reason, takes effect at once, and is kept in the history below.'),
    status, general, scoped, history);

  const teams = (ctx.authority.services ?? []).flatMap((s) => s.teams ?? []);
  const teamTypes = [...new Set(teams.map((t) => t.team_type).filter(Boolean))].sort();
  const teamName = (id) => teams.find((t) => t.team_id === id)?.team_name ?? id;

  async function draw(focusKey) {
    const [inForce, changes] = await Promise.all([getJson('/api/thresholds'), getJson('/api/thresholds/history?limit=200')]);
    drawGeneral(inForce);
    drawScoped(inForce);
    drawHistory(changes.changes);
    if (focusKey) root.querySelector(`[data-key="${CSS.escape(focusKey)}"] .thr-edit`)?.focus();
  }

  /** Saves a change; answers true when it was taken. */
  async function save(indicator, body, problems) {
    try {
      const recorded = await send('PUT', `/api/thresholds/${encodeURIComponent(indicator)}`, body);
      const where = recorded.scope_kind === 'all' ? 'the whole authority' : scopeWords(recorded.scope_kind, recorded.scope, teamName);
      const text = `${nameOf(indicator)} for ${where} is now amber from ${shown(recorded.amber, indicator)}, red from ${shown(recorded.red, indicator)}.`;
      await draw(`${recorded.indicator}|${recorded.scope_kind}|${recorded.scope}`);
      status.replaceChildren(el('p', { class: 'thr-saved', text: `Saved. ${text}` }));
      ctx.announce(`Saved. ${text}`);
      return true;
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      problems.replaceChildren(problemView(e));
      problems.querySelector('.problem')?.setAttribute('tabindex', '-1');
      problems.querySelector('.problem')?.focus();
      return false;
    }
  }

  /** One scope's thresholds, with an Edit button that turns it into a form in place. */
  function item(indicator, kind, scope, values, heading) {
    const key = `${indicator}|${kind}|${scope}`;
    const li = el('li', { class: 'thr-item', 'data-key': key, 'data-indicator': indicator, 'data-scope-kind': kind, 'data-scope': scope });
    const view = () => {
      li.replaceChildren(
        el('div', { class: 'thr-item-head' }, heading,
          mayChange ? el('button', { type: 'button', class: 'thr-edit button-secondary', onclick: () => edit(), 'aria-label': `Edit ${nameOf(indicator)}${kind === 'all' ? '' : ` for ${scopeWords(kind, scope, teamName)}`}` }, 'Edit') : null),
        el('dl', { class: 'thr-values' },
          pair('Amber from', shown(values.amber, indicator), 'amber'),
          pair('Red from', shown(values.red, indicator), 'red'),
          pair('Target', shown(values.target, indicator), 'target'),
          pair('Lead officer', values.lead_officer ?? '–', 'lead')));
    };
    const edit = () => {
      const form = changeForm(indicator, values, async (body, problems) => {
        if (await save(indicator, { ...body, scope_kind: kind, scope: kind === 'all' ? null : scope }, problems)) return;
      }, () => { view(); li.querySelector('.thr-edit')?.focus(); });
      li.replaceChildren(el('div', { class: 'thr-item-head' }, heading), form);
      form.querySelector('input')?.focus();
    };
    view();
    return li;
  }

  function drawGeneral(inForce) {
    general.replaceChildren(el('h2', { id: 'thr-general-h', text: 'Whole authority' }),
      el('p', { class: 'hint', text: 'In force for the authority and its services, and for every team without thresholds of its own.' }),
      el('ul', { class: 'thr-list' }, Object.keys(NAMES).filter((id) => inForce.general[id]).map((id) =>
        item(id, 'all', '', inForce.general[id], el('h3', { class: 'thr-name' }, nameOf(id),
          el('span', { class: 'thr-finding', text: inForce.general[id].finding }))))));
  }

  /** Team types and teams with thresholds of their own: from configuration, with the runtime changes over them. */
  function drawScoped(inForce) {
    const rows = new Map();
    const put = (indicator, kind, scope, level) => {
      const key = `${indicator}|${kind}|${scope}`;
      const base = rows.get(key)?.values ?? inForceAt(inForce, indicator, kind, scope);
      rows.set(key, { indicator, kind, scope, values: { ...base, ...definedOf(level) } });
    };
    // configuration's keys come back normalised (out_of_hours as outofhours, T07 as t07): name them as the authority does
    const asStored = (key, known) => known.find((k) => normalise(k) === normalise(key)) ?? key;
    for (const [type, levels] of Object.entries(inForce.configured_team_types ?? {})) {
      for (const indicator of Object.keys(levels)) put(indicator, 'team_type', asStored(type, teamTypes), {});
    }
    for (const [team, levels] of Object.entries(inForce.configured_teams ?? {})) {
      for (const indicator of Object.keys(levels)) put(indicator, 'team', asStored(team, teams.map((t) => t.team_id)), {});
    }
    for (const r of inForce.runtime ?? []) put(r.indicator, r.scope_kind, r.scope, {});
    const order = Object.keys(NAMES);
    const sorted = [...rows.values()].sort((x, y) => x.kind.localeCompare(y.kind) || x.scope.localeCompare(y.scope)
      || order.indexOf(x.indicator) - order.indexOf(y.indicator));
    scoped.replaceChildren(el('h2', { id: 'thr-scoped-h', text: 'Team types and teams' }),
      sorted.length
        ? el('ul', { class: 'thr-list' }, sorted.map((r) => item(r.indicator, r.kind, r.scope, r.values,
          el('h3', { class: 'thr-name' }, nameOf(r.indicator), el('span', { class: 'thr-scope', text: scopeWords(r.kind, r.scope, teamName) })))))
        : el('p', { class: 'hint', text: 'No team type or team has thresholds of its own: the whole authority’s apply everywhere.' }),
      ...(mayChange ? [addForm(inForce)] : []));
  }

  /** Sets thresholds for a team type or team that has none of its own yet. */
  function addForm(inForce) {
    const id = `thr-add-${++uid}`;
    const indicator = el('select', { id: `${id}-indicator` }, Object.keys(NAMES).map((i) => el('option', { value: i, text: nameOf(i) })));
    const scope = el('select', { id: `${id}-scope` },
      el('optgroup', { label: 'Team types' }, teamTypes.map((t) => el('option', { value: `team_type|${t}`, text: scopeWords('team_type', t, teamName) }))),
      el('optgroup', { label: 'Teams' }, teams.map((t) => el('option', { value: `team|${t.team_id}`, text: `${t.team_name} (${t.team_id})` }))));
    const holder = el('div', { class: 'thr-add-form' });
    const start = () => {
      const [kind, where] = scope.value.split('|');
      const values = inForceAt(inForce, indicator.value, kind, where);
      const form = changeForm(indicator.value, values, async (body, problems) => {
        await save(indicator.value, { ...body, scope_kind: kind, scope: where }, problems);
      }, () => { holder.replaceChildren(); begin.focus(); });
      holder.replaceChildren(el('h4', { class: 'thr-name', text: `${nameOf(indicator.value)} for ${scopeWords(kind, where, teamName)}` }), form);
      form.querySelector('input')?.focus();
    };
    const begin = el('button', { type: 'button', class: 'button-secondary', onclick: start }, 'Set thresholds');
    if (!teams.length) return el('p', { class: 'hint', text: 'Load the teams file to set thresholds for a team type or team.' });
    return el('div', { class: 'thr-add' },
      el('h3', { text: 'Set thresholds for a team type or team' }),
      el('div', { class: 'thr-add-fields' },
        el('div', { class: 'thr-field' }, el('label', { for: indicator.id, text: 'Indicator' }), indicator),
        el('div', { class: 'thr-field' }, el('label', { for: scope.id, text: 'For' }), scope)),
      begin, holder);
  }

  function drawHistory(changes) {
    history.replaceChildren(el('h2', { id: 'thr-history-h', text: 'History of changes' }));
    if (!changes.length) {
      history.append(el('p', { class: 'hint', text: 'No threshold has been changed here yet: the configuration’s are in force.' }));
      return;
    }
    const was = (c, field) => (c.previous ? shown(c.previous[field], c.indicator) : '–');
    history.append(el('div', { class: 'table-wrap thr-history-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'thr-history-h' },
      el('table', { class: 'thr-history' },
        el('caption', { class: 'visually-hidden', text: 'Threshold changes, newest first' }),
        el('thead', {}, el('tr', {}, ['When', 'Indicator', 'For', 'Amber', 'Red', 'Target', 'By', 'Reason']
          .map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, changes.map((c) => el('tr', { 'data-id': c.id },
          el('td', { class: 'thr-nowrap', 'data-label': 'When', text: DATE_TIME.format(new Date(c.changed_at)) }),
          el('th', { scope: 'row', 'data-label': 'Indicator', text: nameOf(c.indicator) }),
          el('td', { 'data-label': 'For', text: c.scope_kind === 'all' ? 'Whole authority' : scopeWords(c.scope_kind, c.scope, teamName) }),
          el('td', { 'data-label': 'Amber' }, fromTo(was(c, 'amber'), shown(c.amber, c.indicator))),
          el('td', { 'data-label': 'Red' }, fromTo(was(c, 'red'), shown(c.red, c.indicator))),
          el('td', { 'data-label': 'Target' }, fromTo(was(c, 'target'), shown(c.target, c.indicator))),
          el('td', { class: 'thr-nowrap', 'data-label': 'By', text: c.changed_by }),
          el('td', { 'data-label': 'Reason', text: c.reason || '–' })))))));
  }

  await draw();
}

/** "Team type: assessment", "Team: North (T01)". */
function scopeWords(kind, scope, teamName) {
  if (kind === 'team_type') return `Team type: ${scope.replaceAll('_', ' ')}`;
  if (kind === 'team') return `Team: ${teamName(scope)}${teamName(scope) === scope ? '' : ` (${scope})`}`;
  return 'Whole authority';
}

function fromTo(before, after) {
  if (before === after) return after;
  return el('span', {}, el('span', { class: 'thr-was', text: before }), el('span', { 'aria-hidden': 'true', text: ' → ' }),
    el('span', { class: 'visually-hidden', text: ' to ' }), after);
}

function pair(term, value, key) {
  return el('div', { class: `thr-pair thr-pair-${key}` }, el('dt', { text: term }), el('dd', { 'data-value': key, text: value }));
}

/** What a level sets (nulls left out, so the level above shows through). */
function definedOf(level) {
  return Object.fromEntries(Object.entries(level ?? {}).filter(([, v]) => v != null));
}

/**
 * The thresholds in force at a scope, as the service reckons the "before" of a change there: the whole authority's,
 * then configuration for the team type or team, then the latest change made at that scope.
 */
function inForceAt(inForce, indicator, kind, scope) {
  const { finding, ...general } = inForce.general[indicator] ?? {};
  if (kind === 'all') return general;
  const configured = kind === 'team_type' ? inForce.configured_team_types : inForce.configured_teams;
  const key = Object.keys(configured ?? {}).find((k) => normalise(k) === normalise(scope));
  let values = { ...general, ...definedOf(key ? configured[key][indicator] : null) };
  const change = (inForce.runtime ?? []).find((r) => r.indicator === indicator && r.scope_kind === kind && r.scope === scope);
  if (change) {
    values = { ...values, amber: change.amber, red: change.red, ...definedOf({ target: change.target, lead_officer: change.lead_officer }) };
  }
  return values;
}

const normalise = (s) => String(s).toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * The form that changes one indicator's thresholds at one scope: amber, red, target, lead officer and a reason, checked
 * as the service checks them (the errors listed and each field marked), with a warning that does not stop it.
 */
function changeForm(indicator, values, onSave, onCancel) {
  const id = `thr-f-${++uid}`;
  const problems = el('div', { class: 'thr-problems' });
  const warning = el('p', { class: 'thr-warning', id: `${id}-warning`, hidden: true });
  const field = (name, label, value, attrs = {}) => {
    const input = el('input', { id: `${id}-${name}`, name, value: value ?? '', ...attrs });
    const error = el('p', { class: 'thr-error', id: `${id}-${name}-error`, hidden: true });
    return { input, error, node: el('div', { class: 'thr-field' }, el('label', { for: input.id, text: label }), input, error) };
  };
  const number = { type: 'text', inputmode: 'decimal', autocomplete: 'off', spellcheck: 'false' };
  const unit = unitOf(indicator) === 'percent' ? ' (%)' : unitOf(indicator) === 'per_fte' ? ' (per FTE)' : '';
  const fields = {
    amber: field('amber', `Amber from${unit}`, values.amber, { ...number, required: true }),
    red: field('red', `Red from${unit}`, values.red, { ...number, required: true }),
    target: field('target', `Target${unit}`, values.target, number),
    lead_officer: field('lead_officer', 'Lead officer', values.lead_officer, { type: 'text', autocomplete: 'off' }),
  };
  const reasonInput = el('textarea', { id: `${id}-reason`, name: 'reason', rows: '2', required: true });
  const reasonError = el('p', { class: 'thr-error', id: `${id}-reason-error`, hidden: true });
  fields.reason = { input: reasonInput, error: reasonError, node: el('div', { class: 'thr-field thr-field-wide' },
    el('label', { for: reasonInput.id, text: 'Reason for the change' }), reasonInput, reasonError) };

  const read = () => ({ amber: fields.amber.input.value.trim(), red: fields.red.input.value.trim(), target: fields.target.input.value.trim(),
    reason: reasonInput.value });
  const showWarnings = () => {
    const { warnings } = check(read());
    warning.hidden = !warnings.length;
    warning.textContent = warnings.length ? `Warning: ${warnings.join(' ')}` : '';
  };
  const form = el('form', { class: 'thr-form', novalidate: true, 'aria-label': `Change ${nameOf(indicator)}`, oninput: showWarnings },
    el('div', { class: 'thr-fields' }, Object.values(fields).map((f) => f.node)),
    warning, problems,
    el('div', { class: 'thr-actions' },
      el('button', { type: 'submit', class: 'thr-button-primary' }, 'Save'),
      el('button', { type: 'button', class: 'button-secondary', onclick: onCancel }, 'Cancel')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    problems.replaceChildren();
    const body = read();
    const { errors } = check(body);
    for (const [name, f] of Object.entries(fields)) {
      const mine = errors.filter((e) => e.field === name);
      f.error.hidden = !mine.length;
      f.error.textContent = mine.map((e) => e.reason).join('; ');
      if (mine.length) {
        f.input.setAttribute('aria-invalid', 'true');
        f.input.setAttribute('aria-describedby', f.error.id);
      } else {
        f.input.removeAttribute('aria-invalid');
        f.input.removeAttribute('aria-describedby');
      }
    }
    if (errors.length) {
      fields[errors[0].field]?.input.focus();
      return;
    }
    const submit = form.querySelector('[type=submit]');
    submit.disabled = true;
    const lead = fields.lead_officer.input.value.trim();
    try {
      await onSave({ amber: Number(body.amber), red: Number(body.red), target: body.target === '' ? null : Number(body.target),
        lead_officer: lead === '' ? null : lead, reason: body.reason.trim() }, problems);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
