// The scenarios page (/scenarios): build a scenario from the change types the API accepts, save it, see it beside the
// baseline (figures in 6 and 12 months and fan charts), and compare two saved scenarios. Drawn by render(root, context).
import { el, getJson, send, problemView, DATE_SHORT, num, money, PROJECTED_MEASURES } from '/common.js';

/** The measures a fan chart may show (GET /api/charts/forecast.png?measure=). */
const CHART_MEASURES = ['caseload_per_fte', 'employed_fte', 'agency_fte', 'vacancy_fte', 'agency_rate', 'leavers', 'starters', 'agency_cost',
  'fte_needed', 'fte_gap'];
const MONTHS = 12;
const HORIZONS = [6, 12];

const TYPE_WORDS = {
  recruit: 'Recruit people',
  convert_agency: 'Convert agency posts to permanent',
  establishment: 'Change the funded posts (establishment)',
  demand: 'Change in demand (cases)',
  asye_cohort: 'A newly qualified (ASYE) cohort',
};

/** Each field a change may have: its words, its kind of input and the values it accepts (as the API checks them). */
const FIELDS = {
  team: { label: 'Team', kind: 'team' },
  service: { label: 'Service', kind: 'service' },
  role: { label: 'Role', kind: 'role' },
  employment: { label: 'Employment', kind: 'employment' },
  count: { label: 'How many people', kind: 'number', whole: true, min: 1, max: 1000, step: '1' },
  fte: { label: 'FTE each', kind: 'number', above: 0, max: 1, step: '0.1', hint: 'above 0, at most 1; 1 if empty' },
  funded_fte: { label: 'Funded FTE', kind: 'number', min: 0, max: 10000, step: '0.1' },
  percent: { label: 'Change in cases (%)', kind: 'number', above: -100, max: 1000, step: '1', hint: 'e.g. 5 or -10' },
  protected_share: { label: 'Share of an FTE in the first year', kind: 'number', above: 0, max: 1, step: '0.05', hint: 'above 0, at most 1' },
  from: { label: 'From (month)', kind: 'month', hint: 'YYYY-MM' },
};
const NAME = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,99}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const MONTH_YEAR = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
let serial = 0;
const nextId = (what) => `scn-${what}-${++serial}`;

export async function render(root, ctx) {
  const [kinds, saved] = await Promise.all([getJson('/api/scenario-changes'), getJson('/api/scenarios')]);
  const page = new ScenariosPage(root, ctx, kinds, saved);
  page.draw();
}

class ScenariosPage {
  constructor(root, ctx, kinds, saved) {
    this.root = root;
    this.ctx = ctx;
    this.kinds = kinds;
    this.types = new Map(kinds.types.map((t) => [t.type, t.fields]));
    this.saved = saved;
    this.editing = null;
    this.shown = null;
    this.teams = ctx.authority.services.flatMap((s) => s.teams.map((t) => ({ ...t, service: s.service })));
  }

  draw() {
    this.form = this.buildForm();
    this.savedList = el('div', { class: 'scn-saved' });
    this.where = this.wherePicker();
    this.measure = el('select', { id: 'scn-measure', onchange: () => this.redraw() },
      CHART_MEASURES.map((id) => el('option', { value: id, text: PROJECTED_MEASURES.find((m) => m.id === id).label })));
    this.view = el('div', { id: 'scn-view', class: 'scn-view', 'aria-live': 'polite' });
    this.compareA = el('select', { id: 'scn-compare-a' });
    this.compareB = el('select', { id: 'scn-compare-b' });
    this.compareOut = el('div', { id: 'scn-compare-out', class: 'scn-view', 'aria-live': 'polite' });
    this.root.append(
      el('section', { class: 'scn-section', 'aria-labelledby': 'scn-build-heading' },
        el('h2', { id: 'scn-build-heading', text: 'Build a scenario' }),
        el('p', { class: 'hint', text: `A scenario is a set of changes the forecast applies on top of the baseline. Changes start in ${monthWords(this.kinds.first_month)} or later.` }),
        this.form),
      el('section', { class: 'scn-section', 'aria-labelledby': 'scn-saved-heading' },
        el('h2', { id: 'scn-saved-heading', text: 'Saved scenarios' }),
        this.savedList),
      el('section', { class: 'scn-section', 'aria-labelledby': 'scn-projection-heading' },
        el('h2', { id: 'scn-projection-heading', text: 'Projections' }),
        el('div', { class: 'scn-controls' },
          el('label', { for: 'scn-where', text: 'Projected for' }), this.where,
          el('label', { for: 'scn-measure', text: 'Charts show' }), this.measure),
        el('h3', { text: 'Baseline and scenario' }),
        this.view,
        el('h3', { id: 'scn-compare-heading', text: 'Compare two scenarios' }),
        el('form', { class: 'scn-compare', 'aria-labelledby': 'scn-compare-heading', onsubmit: (e) => { e.preventDefault(); this.compare(); } },
          el('label', { for: 'scn-compare-a', text: 'First scenario' }), this.compareA,
          el('label', { for: 'scn-compare-b', text: 'Second scenario' }), this.compareB,
          el('button', { type: 'submit', id: 'scn-compare', text: 'Compare' })),
        this.compareOut));
    this.view.append(el('p', { class: 'hint', text: 'Open a saved scenario, or save one, to see it beside the baseline.' }));
    this.drawSaved();
  }

  // ------------------------------------------------------------ the form

  buildForm() {
    this.name = el('input', { id: 'scn-name', name: 'name', type: 'text', maxlength: '100', autocomplete: 'off', required: true,
      'aria-describedby': 'scn-name-hint' });
    this.description = el('input', { id: 'scn-description', name: 'description', type: 'text', maxlength: '500', autocomplete: 'off' });
    this.changes = el('ol', { id: 'scn-changes', class: 'scn-changes' });
    this.formProblem = el('div', { id: 'scn-form-problem' });
    this.addType = el('select', { id: 'scn-add-type' }, this.kinds.types.map((t) => el('option', { value: t.type, text: TYPE_WORDS[t.type] ?? t.type })));
    const form = el('form', { id: 'scn-form', class: 'scn-form', novalidate: true, onsubmit: (e) => { e.preventDefault(); this.save(); } },
      el('div', { class: 'scn-field' },
        el('label', { for: 'scn-name', text: 'Name' }), this.name,
        el('p', { class: 'scn-hint', id: 'scn-name-hint', text: 'Letters, digits, spaces, “_”, “.” or “-”; up to 100.' })),
      el('div', { class: 'scn-field' }, el('label', { for: 'scn-description', text: 'Description (optional)' }), this.description),
      el('h3', { text: 'Changes' }),
      this.changes,
      el('div', { class: 'scn-add' },
        el('label', { for: 'scn-add-type', text: 'Kind of change' }), this.addType,
        el('button', { type: 'button', id: 'scn-add', class: 'button-secondary', text: 'Add a change', onclick: () => this.addChange({ type: this.addType.value }, true) })),
      this.formProblem,
      el('div', { class: 'scn-actions' },
        el('button', { type: 'submit', id: 'scn-save', text: 'Save scenario' }),
        el('button', { type: 'button', id: 'scn-new', class: 'button-secondary', text: 'Start a new one', onclick: () => this.fill(null) })));
    return form;
  }

  /** A change's row: its kind, its fields (as the kind needs them) and a button to remove it. */
  addChange(change, focus = false) {
    const li = el('li', { class: 'scn-change' });
    const legend = el('legend', {});
    const typeId = nextId('type');
    const type = el('select', { id: typeId, class: 'scn-type', 'data-field': 'type' },
      this.kinds.types.map((t) => el('option', { value: t.type, text: TYPE_WORDS[t.type] ?? t.type })));
    type.value = change.type;
    const fields = el('div', { class: 'scn-change-fields' });
    const remove = el('button', { type: 'button', class: 'button-secondary scn-remove' });
    li.append(el('fieldset', {}, legend,
      el('div', { class: 'scn-field' }, el('label', { for: typeId, text: 'Kind of change' }), type),
      fields, remove));
    const fill = (values) => {
      fields.replaceChildren(...this.types.get(type.value).map((f) => this.fieldInput(f, values[f.name])));
    };
    type.addEventListener('change', () => fill(this.readChange(li)));
    remove.addEventListener('click', () => {
      const next = li.nextElementSibling ?? li.previousElementSibling;
      li.remove();
      this.numberChanges();
      this.ctx.announce('Change removed.');
      (next?.querySelector('select') ?? this.addType).focus();
    });
    fill(change);
    this.changes.append(li);
    this.numberChanges();
    if (focus) type.focus();
    return li;
  }

  numberChanges() {
    [...this.changes.children].forEach((li, i) => {
      li.dataset.index = String(i);
      li.querySelector('legend').textContent = `Change ${i + 1}`;
      li.querySelector('.scn-remove').textContent = `Remove change ${i + 1}`;
    });
  }

  fieldInput(field, value) {
    const def = FIELDS[field.name] ?? { label: field.name, kind: 'text' };
    const id = nextId(field.name);
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    const label = `${def.label}${field.required ? '' : ' (optional)'}`;
    let input;
    const common = { id, 'data-field': field.name, 'aria-describedby': def.hint ? `${hintId} ${errorId}` : errorId };
    if (def.kind === 'team') {
      input = el('select', common, field.required ? null : el('option', { value: '', text: 'None' }),
        this.ctx.authority.services.map((s) => el('optgroup', { label: s.service },
          s.teams.map((t) => el('option', { value: t.team_id, text: `${t.team_name} (${t.team_id})` })))));
    } else if (def.kind === 'service') {
      input = el('select', common, el('option', { value: '', text: 'None' }),
        this.ctx.authority.services.map((s) => el('option', { value: s.service, text: s.service })));
    } else if (def.kind === 'role') {
      input = el('select', common, this.kinds.roles.map((r) => el('option', { value: r.id, text: r.label })));
    } else if (def.kind === 'employment') {
      input = el('select', common, field.required ? null : el('option', { value: '', text: 'Permanent (the default)' }),
        this.kinds.employment.map((e) => el('option', { value: e, text: e.replaceAll('_', ' ') })));
    } else if (def.kind === 'month') {
      input = el('input', { ...common, type: 'month', min: this.kinds.first_month, placeholder: 'YYYY-MM' });
    } else {
      input = el('input', { ...common, type: 'number', inputmode: 'decimal', step: def.step, min: def.min ?? null, max: def.max ?? null });
    }
    if (value != null) input.value = String(value);
    else if (def.kind === 'month') input.value = this.kinds.first_month;
    else if (def.kind === 'team' && field.required && this.teams.length) input.value = this.teams[0].team_id;
    if (field.required) input.setAttribute('aria-required', 'true');
    return el('div', { class: 'scn-field' },
      el('label', { for: id, text: label }), input,
      def.hint ? el('p', { class: 'scn-hint', id: hintId, text: def.hint }) : null,
      el('p', { class: 'scn-error', id: errorId }));
  }

  /** The values of one change's row, as the API reads them (empty optional fields left out). */
  readChange(li) {
    const change = { type: li.querySelector('.scn-type').value };
    for (const input of li.querySelectorAll('.scn-change-fields [data-field]')) {
      const field = input.dataset.field;
      const raw = input.value.trim();
      if (raw === '') continue;
      change[field] = FIELDS[field]?.kind === 'number' ? Number(raw) : raw;
    }
    return change;
  }

  read() {
    return {
      name: this.name.value.trim(),
      description: this.description.value.trim() || null,
      changes: [...this.changes.children].map((li) => this.readChange(li)),
    };
  }

  /** Every problem the API would find without its database, each with its change (0-based) and field. */
  check(scenario) {
    const problems = [];
    if (!NAME.test(scenario.name)) problems.push({ field: 'name', problem: 'Give a name: letters, digits, spaces, “_”, “.” or “-”, starting with a letter or digit, up to 100.' });
    scenario.changes.forEach((c, i) => {
      for (const f of this.types.get(c.type) ?? []) {
        const def = FIELDS[f.name] ?? {};
        const v = c[f.name];
        if (v == null) {
          if (f.required) problems.push({ change: i, field: f.name, problem: `${def.label ?? f.name} is needed.` });
          continue;
        }
        if (def.kind === 'number') {
          if (!Number.isFinite(v)) problems.push({ change: i, field: f.name, problem: `${def.label} must be a number.` });
          else if (def.whole && !Number.isInteger(v)) problems.push({ change: i, field: f.name, problem: `${def.label} must be a whole number.` });
          else if (def.min != null && v < def.min) problems.push({ change: i, field: f.name, problem: `${def.label} must be at least ${def.min}.` });
          else if (def.above != null && v <= def.above) problems.push({ change: i, field: f.name, problem: `${def.label} must be above ${def.above}.` });
          else if (def.max != null && v > def.max) problems.push({ change: i, field: f.name, problem: `${def.label} must be at most ${def.max}.` });
        } else if (def.kind === 'month') {
          if (!MONTH.test(v)) problems.push({ change: i, field: f.name, problem: 'The month must be written YYYY-MM.' });
          else if (v < this.kinds.first_month) problems.push({ change: i, field: f.name, problem: `The month must be ${monthWords(this.kinds.first_month)} or later.` });
        }
      }
      if (c.team != null && c.service != null) problems.push({ change: i, field: 'service', problem: 'Give a team or a service, not both.' });
    });
    return problems;
  }

  /** Marks the fields the problems name, and lists every problem above the buttons. */
  showProblems(problems, error = null) {
    for (const input of this.form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const p of this.form.querySelectorAll('.scn-error')) p.textContent = '';
    this.formProblem.replaceChildren();
    if (!problems.length && !error) return;
    for (const p of problems) {
      const input = p.change == null ? (p.field === 'name' ? this.name : null)
        : this.changes.children[p.change]?.querySelector(`[data-field="${p.field ?? 'type'}"]`);
      if (!input) continue;
      input.setAttribute('aria-invalid', 'true');
      const message = input.parentElement.querySelector('.scn-error');
      if (message) message.textContent = p.problem;
    }
    const rows = problems.map((p) => ({ change: p.change == null ? '' : `Change ${p.change + 1}`, field: p.field ?? '', problem: p.problem }));
    const box = error
      ? problemView({ message: error.message, problem: { ...(error.problem ?? {}), errors: rows } })
      : problemView({ message: '', problem: { title: 'The scenario is not saved yet', detail: `${problems.length === 1 ? 'One thing needs' : `${problems.length} things need`} changing first.`, errors: rows } });
    this.formProblem.append(box);
    box.setAttribute('tabindex', '-1');
    box.focus();
  }

  async save() {
    const scenario = this.read();
    const problems = this.check(scenario);
    this.showProblems(problems);
    if (problems.length) return;
    const button = this.form.querySelector('#scn-save');
    button.disabled = true;
    try {
      const savedOne = this.editing === scenario.name
        ? await send('PUT', `/api/scenarios/${encodeURIComponent(scenario.name)}`, scenario)
        : await send('POST', '/api/scenarios', scenario);
      this.editing = savedOne.name;
      this.saved = await getJson('/api/scenarios');
      this.drawSaved();
      this.ctx.announce(`Scenario ${savedOne.name} saved.`);
      this.formProblem.replaceChildren(el('p', { class: 'scn-done', role: 'status', text: `Saved “${savedOne.name}”.` }));
      await this.show(savedOne.name);
    } catch (e) {
      const rows = (e.problem?.problems ?? []).map((p) => ({ change: p.change ?? null, field: p.field ?? null, problem: p.problem }));
      this.showProblems(rows, e);
    } finally {
      button.disabled = false;
    }
  }

  /** The form holding a saved scenario (saving it again replaces it), or empty for a new one. */
  fill(scenario) {
    this.editing = scenario?.name ?? null;
    this.name.value = scenario?.name ?? '';
    this.description.value = scenario?.description ?? '';
    this.changes.replaceChildren();
    for (const c of scenario?.changes ?? []) this.addChange(c);
    this.showProblems([]);
  }

  // ------------------------------------------------------------ saved scenarios

  drawSaved() {
    const names = this.saved.map((s) => s.name);
    if (!this.saved.length) {
      this.savedList.replaceChildren(el('p', { class: 'hint', text: 'No scenario is saved yet.' }));
    } else {
      this.savedList.replaceChildren(el('ul', { class: 'scn-saved-list' }, this.saved.map((s) => el('li', { class: 'scn-saved-item', 'data-name': s.name },
        el('div', { class: 'scn-saved-what' },
          el('strong', { text: s.name }),
          s.description ? el('span', { text: ` — ${s.description}` }) : null,
          el('span', { class: 'scn-note', text: ` ${s.changes.length} ${s.changes.length === 1 ? 'change' : 'changes'}; saved ${DATE_SHORT.format(new Date(s.updated_at))}${s.created_by ? ` by ${s.created_by}` : ''}` })),
        el('div', { class: 'scn-saved-buttons' },
          el('button', { type: 'button', class: 'button-secondary scn-open', text: 'Open', 'aria-label': `Open ${s.name}`, onclick: () => this.open(s.name) }),
          el('button', { type: 'button', class: 'button-secondary scn-delete', text: 'Delete', 'aria-label': `Delete ${s.name}`, onclick: () => this.remove(s.name) }))))));
    }
    for (const [select, pick] of [[this.compareA, 0], [this.compareB, 1]]) {
      const was = select.value;
      select.replaceChildren(...names.map((n) => el('option', { value: n, text: n })));
      select.value = names.includes(was) ? was : (names[pick] ?? names[0] ?? '');
    }
    const enough = names.length >= 2;
    this.root.querySelector('#scn-compare').disabled = !enough;
  }

  async open(name) {
    const scenario = this.saved.find((s) => s.name === name);
    if (!scenario) return;
    this.fill(scenario);
    this.ctx.announce(`Scenario ${name} opened in the form.`);
    await this.show(name);
  }

  async remove(name) {
    try {
      await send('DELETE', `/api/scenarios/${encodeURIComponent(name)}`);
    } catch (e) {
      this.savedList.prepend(problemView(e));
      return;
    }
    this.saved = this.saved.filter((s) => s.name !== name);
    if (this.editing === name) this.editing = null;
    if (this.shown === name) {
      this.shown = null;
      this.view.replaceChildren(el('p', { class: 'hint', text: `“${name}” was deleted.` }));
    }
    this.drawSaved();
    this.ctx.announce(`Scenario ${name} deleted.`);
    (this.root.querySelector('.scn-open') ?? this.name).focus();
  }

  // ------------------------------------------------------------ projections

  wherePicker() {
    return el('select', { id: 'scn-where', onchange: () => this.redraw() },
      el('option', { value: 'authority|', text: this.ctx.authority.name ?? 'The whole authority' }),
      el('optgroup', { label: 'Services' }, this.ctx.authority.services.map((s) => el('option', { value: `service|${s.service}`, text: s.service }))),
      el('optgroup', { label: 'Teams' }, this.teams.map((t) => el('option', { value: `team|${t.team_id}`, text: `${t.team_name} (${t.team_id})` }))));
  }

  scope() {
    const [level, scope] = this.where.value.split(/\|(.*)/s);
    const params = new URLSearchParams({ level });
    if (level !== 'authority') params.set('scope', scope);
    return { level, scope, params, words: this.where.selectedOptions[0]?.textContent ?? level };
  }

  redraw() {
    if (this.shown) this.show(this.shown);
    if (this.compared) this.compare();
  }

  /** One saved scenario beside the baseline: the figures in 6 and 12 months, and a fan chart of each. */
  async show(name) {
    this.shown = name;
    const where = this.scope();
    this.view.setAttribute('aria-busy', 'true');
    try {
      const both = await forecastOf(name, where);
      if (this.shown !== name) return;
      this.view.replaceChildren(
        projectionTable(`Baseline and ${name} for ${where.words}: median (10th–90th percentile)`, both.baseline,
          [{ key: 'baseline', label: 'Baseline', projection: both.baseline }, { key: name, label: name, projection: both.scenario }]),
        el('div', { class: 'scn-charts' },
          this.chart(where, null, `Baseline: ${this.measureWords()}`),
          this.chart(where, name, `${name} beside the baseline: ${this.measureWords()}`)));
      this.view.dataset.scenario = name;
    } catch (e) {
      this.view.replaceChildren(problemView(e));
    } finally {
      this.view.removeAttribute('aria-busy');
    }
  }

  /** Two saved scenarios side by side, each with the baseline. */
  async compare() {
    const a = this.compareA.value;
    const b = this.compareB.value;
    if (!a || !b) return;
    if (a === b) {
      this.compareOut.replaceChildren(el('p', { class: 'problem', role: 'alert', text: 'Pick two different scenarios to compare.' }));
      return;
    }
    this.compared = true;
    const where = this.scope();
    this.compareOut.setAttribute('aria-busy', 'true');
    try {
      const [first, second] = await Promise.all([forecastOf(a, where), forecastOf(b, where)]);
      this.compareOut.replaceChildren(
        projectionTable(`${a} and ${b} for ${where.words}, with the baseline: median (10th–90th percentile)`, first.baseline,
          [{ key: 'baseline', label: 'Baseline', projection: first.baseline },
            { key: a, label: a, projection: first.scenario }, { key: b, label: b, projection: second.scenario }]),
        el('div', { class: 'scn-charts' },
          this.chart(where, a, `${a} beside the baseline: ${this.measureWords()}`),
          this.chart(where, b, `${b} beside the baseline: ${this.measureWords()}`)));
      this.compareOut.dataset.compared = `${a}|${b}`;
      this.ctx.announce(`Comparing ${a} with ${b}.`);
    } catch (e) {
      this.compareOut.replaceChildren(problemView(e));
    } finally {
      this.compareOut.removeAttribute('aria-busy');
    }
  }

  measureWords() {
    return PROJECTED_MEASURES.find((m) => m.id === this.measure.value).label;
  }

  chart(where, scenario, title) {
    const narrow = window.innerWidth < 600;
    const size = narrow ? { w: 440, h: 400 } : { w: 600, h: 400 };
    const params = new URLSearchParams(where.params);
    params.set('measure', this.measure.value);
    params.set('months', String(MONTHS));
    params.set('width', String(size.w));
    params.set('height', String(size.h));
    if (scenario) params.set('scenario', scenario);
    const src = `/api/charts/forecast.png?${params}`;
    const img = el('img', { src, width: size.w, height: size.h, decoding: 'async',
      alt: `Fan chart of projected ${this.measureWords().toLowerCase()} for ${where.words} over the next ${MONTHS} months: the median as a line, the 10th to 90th percentile shaded${scenario ? `, the baseline and the scenario ${scenario}` : ''}.` });
    const figure = el('figure', { class: 'chart scn-chart', 'data-scenario': scenario ?? 'baseline' }, el('figcaption', { text: title }), img);
    img.addEventListener('error', () => img.replaceWith(el('p', { class: 'chart-fallback', role: 'status', text: 'Chart not available.' })));
    return figure;
  }
}

function monthWords(month) {
  return MONTH_YEAR.format(new Date(`${month}-01T00:00:00Z`));
}

function forecastOf(name, where) {
  const params = new URLSearchParams(where.params);
  params.set('months', String(MONTHS));
  return getJson(`/api/scenarios/${encodeURIComponent(name)}/forecast?${params}`);
}

/**
 * Measures in rows; for each of 6 and 12 months, a column per series (the baseline, a scenario): the median with
 * the 10th to 90th percentile. Each cell carries its figures, so what is shown can be checked against the API.
 */
function projectionTable(caption, baseline, series) {
  const months = baseline?.months ?? [];
  const at = (projection, n) => projection?.months?.[Math.min(n, projection.months.length) - 1];
  const when = (n) => {
    const m = months[Math.min(n, months.length) - 1];
    return m ? ` (${monthWords(m.month)})` : '';
  };
  const head = el('tr', {}, el('th', { scope: 'col', text: 'Measure' }),
    HORIZONS.flatMap((n) => series.map((s) => el('th', { scope: 'col', text: `${s.label}, in ${n} months${when(n)}` }))));
  const rows = PROJECTED_MEASURES.filter((m) => {
    const b = at(baseline, 12)?.[m.id];
    // personal adviser caseloads only where there are personal advisers
    return b && b.p50 != null && !(m.id === 'pa_caseload_per_fte' && !b.p90);
  }).map((m) => el('tr', { 'data-measure': m.id }, el('th', { scope: 'row', text: m.label }),
    HORIZONS.flatMap((n) => series.map((s) => {
      const r = at(s.projection, n)?.[m.id];
      return el('td', { 'data-series': s.key, 'data-horizon': String(n), 'data-p10': r?.p10, 'data-p50': r?.p50, 'data-p90': r?.p90 },
        el('span', { class: 'scn-p50', text: r ? m.format(r.p50) : '—' }),
        r ? el('span', { class: 'scn-range', text: ` (${m.format(r.p10)}–${m.format(r.p90)})` }) : null);
    }))));
  const label = nextId('table');
  return el('div', { class: 'table-wrap scn-table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': label },
    el('table', { class: 'scn-table' },
      el('caption', { id: label, text: caption }),
      el('thead', {}, head),
      el('tbody', {}, rows)));
}
