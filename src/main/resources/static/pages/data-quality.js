// The data-quality page (/data-quality): what a person must look at in the stored data (current records a later full
// extract no longer held, values another source gives differently, census workers placed in no team), each with the
// person or child it names and what to confirm; HR and administrators confirm or dismiss a flag with a reason.
// Reads GET /api/data-quality and /api/data-quality/missing; answers with POST /api/data-quality/{missing|conflicts}/{id}/{confirm|dismiss}.
import { el, getJson, send, problemView, HttpError, DATE_TIME } from '/common.js';

const words = (s) => String(s ?? '').replaceAll('_', ' ');

let uid = 0;

export async function render(root, ctx) {
  // as the service allows it: GET /api/me says whether this person may answer a flag
  const mayAnswer = ctx.me.may_answer_data_quality === true;
  const status = el('div', { class: 'dq-status' }); // said to screen readers through ctx.announce
  const missing = el('section', { 'aria-labelledby': 'dq-missing-h' });
  const conflicts = el('section', { 'aria-labelledby': 'dq-conflicts-h' });
  const census = el('section', { 'aria-labelledby': 'dq-census-h' });
  const answered = el('section', { 'aria-labelledby': 'dq-answered-h' });
  root.append(
    el('p', { class: 'dq-intro' }, 'Records a person must look at before the figures can be trusted. Nothing here is changed or '
      + 'ended by itself: a record missing from a later full extract is kept as it was, and a value another source gives '
      + 'differently does not replace the one stored, until someone confirms what happened.'),
    ...(mayAnswer ? [] : [el('p', { class: 'dq-read-only' }, 'You may read these flags. Confirming or dismissing them is for HR and administrators.')]),
    status, missing, conflicts, census, answered);

  async function draw(focusAfter) {
    const [overview, recent] = await Promise.all([getJson('/api/data-quality'),
      getJson('/api/data-quality/missing?include_resolved=true&limit=10000')]);
    drawMissing(overview);
    drawConflicts(overview);
    drawCensus(overview);
    drawAnswered(recent.filter((r) => r.resolved_at));
    if (focusAfter) (root.querySelector(focusAfter) ?? root.querySelector('#dq-missing-h'))?.focus();
  }

  /** Sends an answer; on success redraws and says what was recorded. */
  async function answer(kind, flag, action, reason, problems, label) {
    const body = action === 'confirm' && kind === 'missing' ? { resolution: 'ended', reason } : { reason };
    try {
      const done = await send('POST', `/api/data-quality/${kind}/${flag.id}/${action}`, body);
      const text = `${action === 'confirm' ? 'Confirmed' : 'Dismissed'}: ${label}. Recorded as ${words(done.resolution)} by ${done.resolved_by}.`;
      await draw(kind === 'missing' ? '#dq-missing-h' : '#dq-conflicts-h');
      status.replaceChildren(el('p', { class: 'dq-saved', text }));
      ctx.announce(text);
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      problems.replaceChildren(problemView(e));
    }
  }

  /** One flag: what it names, what to confirm, and (for those who may) Confirm and Dismiss, each asking for a reason. */
  function flagItem(kind, flag, title, facts, confirmWords, dismissWords) {
    const li = el('li', { class: 'dq-flag', 'data-kind': kind, 'data-id': flag.id },
      el('h3', { class: 'dq-flag-title', text: title }),
      el('dl', { class: 'dq-facts' }, facts.map(([term, value]) => el('div', { class: 'dq-fact' }, el('dt', { text: term }), el('dd', { text: value })))),
      el('p', { class: 'dq-confirm' }, el('strong', { text: 'To confirm: ' }), flag.to_confirm ?? ''));
    if (!mayAnswer) return li;
    const actions = el('div', { class: 'dq-actions' });
    const open = (action) => {
      const id = `dq-r-${++uid}`;
      const problems = el('div', { class: 'dq-problems' });
      const reason = el('textarea', { id, name: 'reason', rows: '2', required: true });
      const error = el('p', { class: 'dq-error', id: `${id}-error`, hidden: true });
      const form = el('form', { class: 'dq-form', novalidate: true, 'aria-label': `${action === 'confirm' ? 'Confirm' : 'Dismiss'}: ${title}` },
        el('label', { for: id, text: action === 'confirm' ? `Reason for confirming (${confirmWords})` : `Reason for dismissing (${dismissWords})` }),
        reason, error, problems,
        el('div', { class: 'dq-form-actions' },
          el('button', { type: 'submit', class: 'dq-button-primary' }, action === 'confirm' ? 'Confirm' : 'Dismiss'),
          el('button', { type: 'button', class: 'button-secondary', onclick: () => { form.remove(); actions.hidden = false; actions.querySelector(`[data-action="${action}"]`).focus(); } }, 'Cancel')));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        problems.replaceChildren();
        if (!reason.value.trim()) {
          error.hidden = false;
          error.textContent = 'Give a reason: every answer to a flag is recorded with why it was given.';
          reason.setAttribute('aria-invalid', 'true');
          reason.setAttribute('aria-describedby', error.id);
          reason.focus();
          return;
        }
        error.hidden = true;
        reason.removeAttribute('aria-invalid');
        reason.removeAttribute('aria-describedby');
        const submit = form.querySelector('[type=submit]');
        submit.disabled = true;
        try {
          await answer(kind, flag, action, reason.value.trim(), problems, title);
        } finally {
          submit.disabled = false;
        }
      });
      actions.hidden = true;
      li.append(form);
      reason.focus();
    };
    actions.append(
      el('button', { type: 'button', class: 'button-secondary', 'data-action': 'confirm', onclick: () => open('confirm') }, 'Confirm'),
      el('button', { type: 'button', class: 'button-secondary', 'data-action': 'dismiss', onclick: () => open('dismiss') }, 'Dismiss'));
    li.append(actions);
    return li;
  }

  function heading(id, text, total) {
    return el('h2', { id, tabindex: '-1' }, text, el('span', { class: 'dq-count', text: ` (${total})` }));
  }

  function drawMissing(overview) {
    const flags = overview.missing_from_latest_extract ?? [];
    const total = overview.missing_from_latest_extract_total ?? flags.length;
    missing.replaceChildren(heading('dq-missing-h', 'Missing from the latest full extract', total));
    if (!flags.length) {
      missing.append(el('p', { class: 'hint', text: 'None: every current record was in the latest full extract of its dataset.' }));
      return;
    }
    if (total > flags.length) missing.append(el('p', { class: 'hint', text: `The first ${flags.length} of ${total} are shown.` }));
    missing.append(el('ul', { class: 'dq-list' }, flags.map((f) => flagItem('missing', f, `${datasetWords(f.dataset)} record: ${whoWords(f.record)}`,
      [...keyParts(f.record),
        ['Flagged', `${DATE_TIME.format(new Date(f.flagged_at))} by import ${f.import_id}`]],
      'it has ended outside the extract', 'it is still current'))));
  }

  function drawConflicts(overview) {
    const flags = overview.source_conflicts ?? [];
    const total = overview.source_conflicts_total ?? flags.length;
    conflicts.replaceChildren(heading('dq-conflicts-h', 'Sources that disagree', total));
    if (!flags.length) {
      conflicts.append(el('p', { class: 'hint', text: 'None: no other source gives a value different from the one stored.' }));
      return;
    }
    if (total > flags.length) conflicts.append(el('p', { class: 'hint', text: `The first ${flags.length} of ${total} are shown.` }));
    conflicts.append(el('ul', { class: 'dq-list' }, flags.map((f) => flagItem('conflicts', f,
      `${datasetWords(f.dataset)} record: ${whoWords(f.record)}, ${words(f.field)}`,
      [...keyParts(f.record),
        ['Stored', f.stored_value ?? '–'], [`From ${f.source}`, f.incoming_value ?? '–'],
        ['Flagged', `${DATE_TIME.format(new Date(f.flagged_at))}${f.import_id == null ? '' : ` by import ${f.import_id}`}`]],
      'the difference is real', 'the stored value is right'))));
  }

  function drawCensus(overview) {
    const workers = overview.census_workers_not_placed ?? [];
    const total = overview.census_workers_not_placed_total ?? workers.length;
    census.replaceChildren(heading('dq-census-h', 'Census workers placed in no team', total));
    if (!workers.length) {
      census.append(el('p', { class: 'hint', text: 'None: every worker of the stored census returns is placed in a team.' }));
      return;
    }
    census.append(el('p', { class: 'hint', text: 'These clear when the return is loaded again with the team mapping corrected.' }),
      el('ul', { class: 'dq-list' }, workers.map((w) => el('li', { class: 'dq-flag', 'data-kind': 'census' },
        el('h3', { class: 'dq-flag-title', text: `Census ${w.collection_year}, worker ${w.worker}${w.swe_no ? ` (SWE ${w.swe_no})` : ''}` }),
        el('p', { class: 'dq-confirm' }, el('strong', { text: 'To confirm: ' }), w.to_confirm)))));
  }

  function drawAnswered(resolved) {
    const latest = resolved.sort((a, b) => String(b.resolved_at).localeCompare(String(a.resolved_at))).slice(0, 20);
    answered.replaceChildren(el('h2', { id: 'dq-answered-h', text: 'Answered recently' }));
    if (!latest.length) {
      answered.append(el('p', { class: 'hint', text: 'No missing record has been answered yet.' }));
      return;
    }
    answered.append(el('div', { class: 'table-wrap dq-answered-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'dq-answered-h' },
      el('table', { class: 'dq-answered' },
        el('caption', { class: 'visually-hidden', text: 'Missing records answered, newest first' }),
        el('thead', {}, el('tr', {}, ['Record', 'Answer', 'By', 'When', 'Reason'].map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, latest.map((r) => el('tr', { 'data-id': r.id },
          el('th', { scope: 'row', 'data-label': 'Record', text: `${datasetWords(r.dataset)}: ${keyWords(r.record)}` }),
          el('td', { 'data-label': 'Answer', text: words(r.resolution) }),
          el('td', { 'data-label': 'By', text: r.resolved_by ?? '–' }),
          el('td', { class: 'dq-nowrap', 'data-label': 'When', text: DATE_TIME.format(new Date(r.resolved_at)) }),
          el('td', { 'data-label': 'Reason', text: r.note || '–' })))))));
  }

  await draw();
}

/** "Staff", "Allocations": a dataset as people say it. */
function datasetWords(dataset) {
  const w = words(dataset);
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** A record's key, the person or child it names first (its staff, child or referral id), then the rest. */
function keyParts(record) {
  const rank = (k) => (k === 'team_id' ? 1 : k.endsWith('_id') ? 0 : 2);
  return Object.entries(record ?? {}).sort(([a], [b]) => rank(a) - rank(b)).map(([k, v]) => [words(k), v ?? '–']);
}

function keyWords(record) {
  return keyParts(record).map(([k, v]) => `${k} ${v}`).join(', ');
}

/** The person or child a record names: "staff id S3". */
function whoWords(record) {
  const [k, v] = keyParts(record)[0] ?? ['record', '–'];
  return `${k} ${v}`;
}
