// The agency register page (/agency), for HR and administrators: every agency assignment with the national rules'
// checks named in its row (pass, fails, not known, does not apply), filters by agency and failing check, the summary per
// agency, and the approval of a price-cap breach (who and when are the signed-in person and the clock).
// Reads GET /api/agency/assignments and /api/agency/agencies; answers with POST /api/agency/assignments/{staff}/{start}/approval.
import { el, getJson, send, problemView, HttpError, DATE_SHORT, DATE_TIME, isoDate } from '/common.js';

const CHECK_WORDS = { pass: 'Passes', fail: 'Fails', not_known: 'Not known', not_applicable: 'Does not apply' };
const words = (s) => String(s ?? '').replaceAll('_', ' ');
const day = (s) => (s ? DATE_SHORT.format(isoDate(s)) : '');
const pounds = (x) => (x == null ? 'none configured' : `£${Number(x).toFixed(2)}`);

let uid = 0;

export async function render(root, ctx) {
  const status = el('div', { class: 'ag-status' });
  const summary = el('section', { 'aria-labelledby': 'ag-summary-h' });
  const filters = el('section', { 'aria-labelledby': 'ag-filter-h' });
  const register = el('section', { 'aria-labelledby': 'ag-register-h' });
  root.append(
    el('p', { class: 'ag-intro' }, 'Each agency assignment judged against the national rules for agency child and family social '
      + 'workers: at least 3 years\' post-qualification experience, the regional price cap in force, no re-engagement within '
      + '3 months of leaving a permanent post, at least 4 weeks\' notice, and every breach of the price cap approved. '
      + 'Where the data to judge a rule is missing the check says "Not known", never "Passes".'),
    status, summary, filters, register);

  const agencySelect = el('select', { id: 'ag-agency', name: 'agency' }, el('option', { value: '', text: 'Every agency' }));
  const failingSelect = el('select', { id: 'ag-failing', name: 'failing' }, el('option', { value: '', text: 'Any (or none)' }));
  const filterForm = el('form', { class: 'ag-filters', 'aria-labelledby': 'ag-filter-h' },
    el('div', { class: 'ag-field' }, el('label', { for: 'ag-agency', text: 'Agency' }), agencySelect),
    el('div', { class: 'ag-field' }, el('label', { for: 'ag-failing', text: 'Failing check' }), failingSelect),
    el('button', { type: 'submit', class: 'button-secondary' }, 'Show'));
  filters.append(el('h2', { id: 'ag-filter-h', text: 'Filter the register' }), filterForm);
  filterForm.addEventListener('submit', async (event) => {
    event.preventDefault();
    await drawRegister();
    register.querySelector('#ag-register-h')?.focus();
  });

  let rules = [];

  async function drawSummary() {
    const body = await getJson('/api/agency/agencies');
    summary.replaceChildren(el('h2', { id: 'ag-summary-h', text: 'By agency' }));
    if (!body.agencies.length) {
      summary.append(el('p', { class: 'hint', text: 'The register is empty: import an agency_assignments file on the Imports page.' }));
      return;
    }
    summary.append(el('div', { class: 'table-wrap ag-table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'ag-summary-caption' },
      el('table', { class: 'ag-table ag-summary' },
        el('caption', { id: 'ag-summary-caption', text: `Assignments by agency, judged ${day(body.on)}` }),
        el('thead', {}, el('tr', {}, ['Agency', 'Assignments', 'Open today', 'Price-cap breaches', 'Breaches approved',
          'Breaking a rule', 'Not known', 'Compliant'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, body.agencies.map((a) => el('tr', { 'data-agency': a.agency_name },
          el('th', { scope: 'row', text: a.agency_name }),
          ...[a.assignments, a.open_today, a.breaches, a.breaches_approved, a.noncompliant, a.not_known, a.compliant]
            .map((n) => el('td', { class: 'num', text: String(n) }))))))));
    const chosen = agencySelect.value;
    agencySelect.replaceChildren(el('option', { value: '', text: 'Every agency' }),
      ...body.agencies.map((a) => el('option', { value: a.agency_name, text: a.agency_name, selected: a.agency_name === chosen })));
  }

  async function drawRegister(focusAfter) {
    const query = new URLSearchParams();
    if (agencySelect.value) query.set('agency', agencySelect.value);
    if (failingSelect.value) query.set('failing', failingSelect.value);
    const body = await getJson(`/api/agency/assignments?${query}`);
    rules = body.rules;
    if (failingSelect.options.length === 1) {
      failingSelect.append(...rules.map((r) => el('option', { value: r.id, text: r.description })));
    }
    register.replaceChildren(el('h2', { id: 'ag-register-h', tabindex: '-1' }, 'Register',
      el('span', { class: 'ag-count', text: ` (${body.assignments.length})` })));
    if (!body.caps_configured) {
      register.append(el('p', { class: 'ag-no-caps', text: 'No price caps are configured for this council\'s region, so the '
        + 'price-cap check cannot be judged. An administrator sets them (README, "Agency price caps").' }));
    }
    if (!body.assignments.length) {
      register.append(el('p', { class: 'hint', text: 'No assignment matches.' }));
      return;
    }
    const tbody = el('tbody', {});
    register.append(el('div', { class: 'table-wrap ag-table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'ag-register-caption' },
      el('table', { class: 'ag-table ag-register' },
        el('caption', { id: 'ag-register-caption', text: `Agency assignments and their checks, judged ${day(body.on)} (an ended assignment on its last day)` }),
        el('thead', {}, el('tr', {}, ['Worker', 'Agency', 'Role', 'Rate and cap', 'Start', 'End',
          ...rules.map((r) => r.description), 'Approval'].map((h) => el('th', { scope: 'col', text: h })))),
        tbody)));
    for (const a of body.assignments) tbody.append(row(a));
    if (focusAfter) register.querySelector(focusAfter)?.focus();
  }

  function row(a) {
    const tr = el('tr', { 'data-key': a.key, class: a.noncompliant ? 'ag-breaking' : null },
      el('th', { scope: 'row' }, a.staff_id, a.project_team ? el('span', { class: 'ag-project', text: ` (project team ${a.project_team_name})` }) : null),
      el('td', { text: a.agency_name }),
      el('td', { text: words(a.role_category) }),
      el('td', { class: 'num', text: `£${Number(a.hourly_rate).toFixed(2)} (cap ${pounds(a.cap)})` }),
      el('td', { text: day(a.start_date) }),
      el('td', { text: a.end_date ? day(a.end_date) : (a.planned_end_date ? `planned ${day(a.planned_end_date)}` : 'open') }),
      ...rules.map((r) => {
        const outcome = a.checks[r.id];
        return el('td', { class: `ag-check ag-${outcome.replaceAll('_', '-')}`, 'data-rule': r.id, 'data-outcome': outcome },
          el('span', { text: CHECK_WORDS[outcome] ?? outcome }));
      }));
    const approval = el('td', { class: 'ag-approval' });
    if (a.approval) {
      approval.append(`${a.approval.by}, ${DATE_TIME.format(new Date(a.approval.at))}: ${a.approval.reason}`);
      if (a.approval.outlived) {
        approval.append(el('p', { class: 'ag-outlived', text: `No longer covers the rate: ${a.approval.outlived}.` }));
      }
    }
    if (a.checks.price_cap === 'fail' && a.checks.breach_approved !== 'pass') {
      approval.append(el('button', { type: 'button', class: 'button-secondary', 'data-action': 'approve',
        'aria-label': `Approve breach: ${a.staff_id} from ${day(a.start_date)}`, onclick: () => approveForm(a, approval) }, 'Approve breach'));
    }
    tr.append(approval);
    return tr;
  }

  function approveForm(a, cell) {
    const id = `ag-reason-${++uid}`;
    const reason = el('textarea', { id, name: 'reason', rows: '2', required: true });
    const error = el('p', { class: 'ag-error', id: `${id}-error`, hidden: true });
    const problems = el('div', { class: 'ag-problems' });
    const button = cell.querySelector('[data-action="approve"]');
    const form = el('form', { class: 'ag-approve', novalidate: true, 'aria-label': `Approve the breach of ${a.staff_id}` },
      el('label', { for: id, text: `Why the rate of £${Number(a.hourly_rate).toFixed(2)} above the cap is accepted` }),
      reason, error, problems,
      el('div', { class: 'ag-form-actions' },
        el('button', { type: 'submit', class: 'dq-button-primary' }, 'Record approval'),
        el('button', { type: 'button', class: 'button-secondary', onclick: () => { form.remove(); button.hidden = false; button.focus(); } }, 'Cancel')));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      problems.replaceChildren();
      if (!reason.value.trim()) {
        error.hidden = false;
        error.textContent = 'Give a reason: every approval of a breach is recorded with why it was given.';
        reason.setAttribute('aria-invalid', 'true');
        reason.setAttribute('aria-describedby', error.id);
        reason.focus();
        return;
      }
      const submit = form.querySelector('[type=submit]');
      submit.disabled = true;
      try {
        const done = await send('POST', `/api/agency/assignments/${encodeURIComponent(a.staff_id)}/${a.start_date}/approval`,
          { reason: reason.value.trim() });
        const text = `Approved: the breach of ${a.staff_id} from ${day(a.start_date)}, recorded by ${done.approval.by}.`;
        await Promise.all([drawRegister('#ag-register-h'), drawSummary()]);
        status.replaceChildren(el('p', { class: 'ag-saved', text }));
        ctx.announce(text);
      } catch (e) {
        if (!(e instanceof HttpError)) throw e;
        problems.replaceChildren(problemView(e));
      } finally {
        submit.disabled = false;
      }
    });
    button.hidden = true;
    cell.append(form);
    reason.focus();
  }

  await Promise.all([drawSummary(), drawRegister()]);
}
