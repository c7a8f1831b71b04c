// The imports page (/imports): drawn into the dashboard's page by render(root, context). A person from HR or an
// administrator chooses or drops a file (a dataset's CSV, a zip of SSD tables or the census return), sees which
// dataset it was recognised as, follows its progress as the service receives, checks and merges it
// (GET /api/imports/progress/{id}, server-sent events), and reads the receipt in words, or every problem of a refused
// file with a CSV of them to download. Below, the import log with filters; choosing an import shows its receipt.
import { el, getJson, whoAmI, problemView, HttpError, DATE_TIME } from '/common.js';

const NUMBER = new Intl.NumberFormat('en-GB');
const num = (x) => NUMBER.format(x ?? 0);

/** The two uploads that are not one CSV file, as the select offers them beside the datasets. */
const SSD_ZIP = 'ssd';
const CENSUS = 'census';
const ENDED = new Set(['done', 'rejected', 'failed']);
const STATUSES = {
  succeeded: 'Imported', rejected: 'Refused', failed: 'Failed', running: 'Running',
};
/** How long the page waits for the progress stream to open before it sends the file anyway. */
const STREAM_WAIT_MS = 2000;
/** How long, after the answer, it waits for the stream's last word. */
const LAST_WORD_MS = 1500;
const LOG_SIZE = 50;

/** A dataset's name in words: "care leavers", "SSD professionals". */
export function datasetWords(name) {
  if (name === SSD_ZIP) return 'SSD extract (zip of SSD tables)';
  if (name === CENSUS) return 'census return (XML)';
  if (name.startsWith('ssd_')) return `SSD ${name.slice(4).replaceAll('_', ' ')}`;
  return name.replaceAll('_', ' ');
}

function bytesWords(b) {
  if (b == null) return '';
  if (b < 1024) return `${num(b)} bytes`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / 1024 / 1024).toFixed(1)} MB`;
}

const plural = (count, one, many = `${one}s`) => `${num(count)} ${count === 1 ? one : many}`;

/** Text as a sentence: with its full stop. */
const sentence = (text) => (!text ? '' : /[.!?]$/.test(text) ? text : `${text}.`);

// ---------------------------------------------------------------- recognising a file

/** The fields of one CSV line (RFC 4180 quotes; the header line only, so no line breaks inside). */
export function csvFields(line) {
  const fields = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i += 1; } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { fields.push(field); field = ''; } else field += c;
  }
  fields.push(field);
  return fields;
}

/**
 * Which dataset a CSV header is, by the import contract (GET /api/datasets): of the datasets whose required columns
 * are all in the header, the one with most of its columns there, then fewest columns it does not know. Answers
 * { dataset, known, unknown } or, when none fits, { dataset: null, nearest: { dataset, missing } } (or no nearest).
 */
export function recognise(headerLine, datasets) {
  const names = csvFields(headerLine.replace(/^\uFEFF/, '')).map((h) => h.trim().toLowerCase()).filter(Boolean);
  const have = new Set(names);
  const fits = datasets.map((d) => {
    const columns = d.columns.map((c) => c.name);
    return {
      dataset: d.dataset,
      missing: d.columns.filter((c) => c.required && !have.has(c.name)).map((c) => c.name),
      known: columns.filter((c) => have.has(c)).length,
      unknown: names.filter((h) => !columns.includes(h)),
    };
  });
  const complete = fits.filter((f) => f.missing.length === 0 && f.known > 0)
    .sort((a, b) => (b.known - a.known) || (a.unknown.length - b.unknown.length));
  if (complete.length) return complete[0];
  const nearest = [...fits].sort((a, b) => (b.known - a.known) || (a.missing.length - b.missing.length))[0];
  return { dataset: null, nearest: nearest && nearest.known > 0 ? nearest : null };
}

/** What a file is: a zip is an SSD extract, an XML file the census return, a CSV file the dataset its header says. */
async function recogniseFile(file, datasets) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.zip')) return { dataset: SSD_ZIP, how: 'zip' };
  if (name.endsWith('.xml')) return { dataset: CENSUS, how: 'xml' };
  const start = await file.slice(0, 64 * 1024).text();
  const header = start.split(/\r\n|\r|\n/, 1)[0] ?? '';
  if (!header.trim()) return { dataset: null, how: 'empty' };
  return { ...recognise(header, datasets), how: 'header' };
}

function recognisedWords(file, found, chosen) {
  const sentences = [];
  if (found.how === 'zip') sentences.push(`${file.name} is a zip: it is read as an SSD extract, its tables loaded in dependency order, all or nothing.`);
  else if (found.how === 'xml') sentences.push(`${file.name} is XML: it is read as the annual workforce census return.`);
  else if (found.how === 'empty') sentences.push(`${file.name} has no header line: choose its dataset, though an empty file will be refused.`);
  else if (found.dataset) {
    sentences.push(`Recognised as ${datasetWords(found.dataset)} from the header of ${file.name}: every required column is there`
      + ` (${plural(found.known, 'column')} of the dataset found).`);
    if (found.unknown.length) sentences.push(`Not in the dataset, and ignored: ${found.unknown.join(', ')}.`);
  } else if (found.nearest) {
    sentences.push(`The header of ${file.name} matches no dataset. Nearest is ${datasetWords(found.nearest.dataset)}, which also`
      + ` needs ${found.nearest.missing.join(', ')}. Choose the dataset.`);
  } else {
    sentences.push(`The header of ${file.name} names no column of any dataset. Choose the dataset.`);
  }
  if (chosen && chosen !== found.dataset) {
    sentences.push(`You chose ${datasetWords(chosen)}${found.dataset ? ` instead of ${datasetWords(found.dataset)}` : ''}.`);
  }
  return sentences.join(' ');
}

// ---------------------------------------------------------------- problems as CSV

/** One CSV cell as the service's own CSV files write it: formulas neutralised, quoted when needed (RFC 4180). */
export function csvCell(value) {
  if (value == null) return '';
  if (typeof value === 'number') return String(value);
  let text = String(value);
  if (text && '=+-@\t\r'.includes(text[0])) text = `'${text}`;
  const needs = /[",\r\n]/.test(text) || /^\s|\s$/.test(text);
  return needs ? `"${text.replaceAll('"', '""')}"` : text;
}

export function problemsCsv(errors, withWorker) {
  const header = ['line', 'column', 'value', 'reason', ...(withWorker ? ['worker'] : [])];
  const rows = errors.map((e) => [e.line, e.column, e.value, e.reason, ...(withWorker ? [e.worker] : [])]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------- sending a file

/** A random version 4 UUID, also where crypto.randomUUID is not offered (a page served over plain HTTP). */
function newId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Follows an upload's progress on the server; `ready` once the stream is open (or could not be), `ended` at its last event. */
function followProgress(id, onProgress) {
  let ready;
  let ended;
  const opened = new Promise((resolve) => { ready = resolve; });
  const finished = new Promise((resolve) => { ended = resolve; });
  const source = new EventSource(`/api/imports/progress/${id}`);
  source.addEventListener('open', () => ready());
  source.addEventListener('progress', (event) => {
    ready();
    const snapshot = JSON.parse(event.data);
    onProgress(snapshot);
    if (ENDED.has(snapshot.phase)) {
      source.close();
      ended();
    }
  });
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) { ready(); ended(); }
  });
  return { opened, finished, close: () => { source.close(); ready(); ended(); } };
}

/**
 * Sends the file as the request body with XMLHttpRequest, whose upload events say how much is sent (fetch does not).
 * Answers the parsed answer; a refusal rejects with an HttpError carrying its problem.
 */
function send(url, file, type, headers, onSent) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', type);
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => onSent(e.loaded, e.lengthComputable ? e.total : file.size));
    xhr.addEventListener('load', () => {
      let body = null;
      try { body = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch { body = null; }
      if (xhr.status === 401) {
        location.assign('/login');
        reject(new HttpError(401, url));
      } else if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else reject(new HttpError(xhr.status, url, body));
    });
    xhr.addEventListener('error', () => reject(new HttpError(0, url, { title: 'The upload did not reach the service',
      detail: 'The connection failed before the service answered. Nothing of the file was applied unless the import log says so.' })));
    xhr.send(file);
  });
}

function uploadAddress(dataset, extract, file) {
  const name = encodeURIComponent(file.name);
  if (dataset === SSD_ZIP) return { url: `/api/imports/ssd?extract=${extract}`, type: 'application/zip' };
  if (dataset === CENSUS) return { url: `/api/imports/census?file_name=${name}`, type: 'application/xml' };
  return { url: `/api/imports/${encodeURIComponent(dataset)}?extract=${extract}&file_name=${name}`, type: 'text/csv' };
}

// ---------------------------------------------------------------- receipts in words

function countsList(r) {
  const counts = [['rows', 'Rows read', r.rows], ['inserted', 'Inserted', r.inserted], ['updated', 'Updated', r.updated],
    ['unchanged', 'Unchanged', r.unchanged], ['warnings', 'Warnings', (r.warnings ?? []).length]];
  return el('dl', { class: 'imp-counts' }, counts.map(([key, label, value]) => el('div', { 'data-count': key, 'data-value': String(value ?? 0) },
    el('dt', { text: label }), el('dd', { text: num(value) }))));
}

function metaLine(r) {
  const parts = [`Import ${r.id}`];
  if (r.extract) parts.push(`${r.extract} extract`);
  if (r.encoding) parts.push(r.encoding);
  if (r.bytes) parts.push(bytesWords(r.bytes));
  if (r.duration_ms != null) parts.push(`took ${(r.duration_ms / 1000).toFixed(1)} s`);
  if (r.finished_at) parts.push(`finished ${DATE_TIME.format(new Date(r.finished_at))}`);
  return el('p', { class: 'imp-meta', text: parts.join(' · ') });
}

const fileWords = (r) => (r.file_name ? `${r.file_name} (${datasetWords(r.dataset)})` : datasetWords(r.dataset));

/** One import's receipt in words: what it did, or why nothing of it was applied and every problem found. */
function receiptView(r, headingLevel = 'h3') {
  const box = el('div', { class: `imp-receipt imp-receipt-${r.status}`, 'data-status': r.status, 'data-import-id': String(r.id ?? '') });
  const heading = (text) => el(headingLevel, { class: 'imp-receipt-title', tabindex: '-1', text });
  if (r.status === 'succeeded') {
    const warnings = r.warnings ?? [];
    box.append(heading(`Imported: ${fileWords(r)}`),
      el('p', { class: 'imp-words', text: `${plural(r.rows, 'row')} read: ${num(r.inserted)} inserted, ${num(r.updated)} updated`
        + ` and ${num(r.unchanged)} unchanged, with ${warnings.length ? plural(warnings.length, 'warning') : 'no warnings'}.` }),
      countsList(r));
    if (warnings.length) {
      box.append(el('h4', { text: 'Warnings' }), el('ul', { class: 'imp-warnings' }, warnings.map((w) => el('li', { text: w }))));
    }
    if (r.missing_from_extract_total > 0) {
      box.append(el('p', {}, `${plural(r.missing_from_extract_total, 'stored current record')} ${r.missing_from_extract_total === 1 ? 'is' : 'are'}`
        + ' not in this full extract: each is flagged for a person to confirm on the ', el('a', { href: '/data-quality', text: 'data quality page' }), '.'));
    }
  } else if (r.status === 'rejected') {
    box.append(heading(`Refused: nothing of ${fileWords(r)} was imported`),
      el('p', { class: 'imp-words', text: `${sentence(r.detail)} ${plural(r.rows, 'row')} ${r.rows === 1 ? 'was' : 'were'} read.`.trim() }),
      problemsView(r));
  } else if (r.status === 'failed') {
    box.append(heading(`Failed: ${fileWords(r)}`), el('p', { class: 'imp-words', text: r.detail ?? 'The import failed; nothing of it was applied.' }));
  } else {
    box.append(heading(`Running: ${fileWords(r)}`), el('p', { class: 'imp-words', text: `${plural(r.rows, 'row')} read so far.` }));
  }
  if (r.id != null) box.append(metaLine(r));
  return box;
}

/** Every problem of a refused file as a table, with the same rows as a CSV file to download. */
function problemsView(r) {
  const errors = r.errors ?? [];
  const wrap = el('div', { class: 'imp-problems' });
  if (!errors.length) return wrap;
  const withWorker = errors.some((e) => e.worker != null);
  const total = r.error_count ?? errors.length;
  const csv = new Blob([problemsCsv(errors, withWorker)], { type: 'text/csv;charset=utf-8' });
  const name = `problems-${r.dataset ?? 'file'}${r.id != null ? `-import-${r.id}` : ''}.csv`;
  const captionId = `imp-problems-${r.id ?? 'new'}-${Math.random().toString(36).slice(2, 8)}`;
  wrap.append(
    el('p', {}, total > errors.length ? `The first ${num(errors.length)} of ${plural(total, 'problem')} are listed.` : `${plural(total, 'problem')}:`,
      ' ', el('a', { class: 'imp-download', href: URL.createObjectURL(csv), download: name, text: 'Download problems (CSV)' })),
    el('div', { class: 'table-wrap imp-table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': captionId },
      el('table', { class: 'imp-table imp-problems-table' },
        el('caption', { id: captionId, class: 'visually-hidden', text: `Problems in ${fileWords(r)}` }),
        el('thead', {}, el('tr', {}, ['Line', 'Column', 'Value', 'Reason', ...(withWorker ? ['Worker'] : [])]
          .map((h) => el('th', { scope: 'col', text: h })))),
        el('tbody', {}, errors.map((e) => el('tr', {},
          el('td', { class: 'imp-num', text: e.line ?? '' }), el('td', { text: e.column ?? '' }),
          el('td', { class: 'imp-value', text: e.value ?? '' }), el('td', { text: e.reason ?? '' }),
          withWorker ? el('td', { class: 'imp-num', text: e.worker ?? '' }) : null))))));
  return wrap;
}

/** A refused upload's problem as a receipt, when it is a refused file (with its problems); null for other refusals. */
function rejectedReceipt(error, file) {
  const p = error.problem;
  if (!p || error.status !== 422 || !Array.isArray(p.errors)) return null;
  return {
    id: p.import_id, dataset: p.dataset, status: 'rejected', file_name: file.name, rows: p.rows, error_count: p.error_count,
    errors: p.errors, detail: p.detail,
  };
}

// ---------------------------------------------------------------- the page

export async function render(root, ctx) {
  const datasets = await getJson('/api/datasets');
  const datasetNames = datasets.map((d) => d.dataset);
  const options = (first) => [el('option', { value: '', text: first }),
    el('optgroup', { label: 'One CSV file' }, datasetNames.filter((d) => !d.startsWith('ssd_'))
      .map((d) => el('option', { value: d, text: datasetWords(d) }))),
    el('optgroup', { label: 'Standard Safeguarding Dataset' }, el('option', { value: SSD_ZIP, text: datasetWords(SSD_ZIP) }),
      datasetNames.filter((d) => d.startsWith('ssd_')).map((d) => el('option', { value: d, text: `${datasetWords(d)} (one table)` }))),
    el('optgroup', { label: 'Workforce census' }, el('option', { value: CENSUS, text: datasetWords(CENSUS) }))];

  // -------- the upload form
  const fileInput = el('input', { type: 'file', id: 'imp-file', name: 'file', class: 'imp-file',
    accept: '.csv,.zip,.xml,text/csv,application/zip,application/xml,text/xml', 'aria-describedby': 'imp-file-hint' });
  const drop = el('div', { class: 'imp-drop', id: 'imp-drop' },
    el('p', { class: 'imp-drop-title', 'aria-hidden': 'true', text: 'Drop a file here, or choose one' }),
    el('label', { for: 'imp-file', class: 'imp-label', text: 'File to upload' }),
    fileInput,
    el('p', { class: 'hint', id: 'imp-file-hint', text: 'A CSV file of one dataset, a zip of SSD tables, or the census return (XML). Up to 1 GiB.' }));
  const recognised = el('p', { class: 'imp-recognised', id: 'imp-recognised', 'aria-live': 'polite' });
  const datasetSelect = el('select', { id: 'imp-dataset', name: 'dataset' }, options('Choose a file first, or a dataset'));
  const extractFull = el('input', { type: 'radio', name: 'extract', id: 'imp-extract-full', value: 'full', checked: true });
  const extractPartial = el('input', { type: 'radio', name: 'extract', id: 'imp-extract-partial', value: 'partial' });
  const extractSet = el('fieldset', { class: 'imp-extract' },
    el('legend', { text: 'The file holds' }),
    el('div', { class: 'imp-radio' }, extractFull, el('label', { for: 'imp-extract-full' },
      el('strong', { text: 'Everything current' }), ' (full extract): current records it lacks are flagged as missing')),
    el('div', { class: 'imp-radio' }, extractPartial, el('label', { for: 'imp-extract-partial' },
      el('strong', { text: 'Only new or changed records' }), ' (partial extract): nothing is flagged as missing')));
  const uploadButton = el('button', { type: 'submit', class: 'imp-button', id: 'imp-upload', text: 'Upload' });
  const formError = el('p', { class: 'imp-form-error', id: 'imp-form-error', role: 'alert' });

  const progressLabel = el('p', { class: 'imp-progress-label', id: 'imp-progress-label', text: 'Progress' });
  const progress = el('progress', { id: 'imp-progress', max: '1', 'aria-labelledby': 'imp-progress-label', 'aria-describedby': 'imp-progress-text' });
  const progressText = el('p', { class: 'imp-progress-text', id: 'imp-progress-text', 'data-rows': '0', 'data-phase': '' });
  const progressBox = el('div', { class: 'imp-progress', id: 'imp-progress-box', hidden: true }, progressLabel, progress, progressText);
  const result = el('div', { class: 'imp-result', id: 'imp-result' });

  const form = el('form', { class: 'imp-form', id: 'imp-form', novalidate: true },
    drop, recognised,
    el('div', { class: 'imp-choose' }, el('label', { for: 'imp-dataset', class: 'imp-label', text: 'Dataset' }), datasetSelect),
    extractSet, el('div', { class: 'imp-actions' }, uploadButton), formError);

  // -------- the import log
  const logDataset = el('select', { id: 'imp-log-dataset', name: 'dataset' }, el('option', { value: '', text: 'All datasets' }),
    [...datasetNames, CENSUS].map((d) => el('option', { value: d, text: datasetWords(d) })));
  const logStatus = el('select', { id: 'imp-log-status', name: 'status' }, el('option', { value: '', text: 'Any outcome' }),
    Object.entries(STATUSES).map(([k, v]) => el('option', { value: k, text: v })));
  const logFrom = el('input', { type: 'date', id: 'imp-log-from', name: 'from' });
  const logTo = el('input', { type: 'date', id: 'imp-log-to', name: 'to' });
  const logFilters = el('form', { class: 'imp-filters', id: 'imp-log-filters', 'aria-label': 'Filter the import log' },
    el('div', {}, el('label', { for: 'imp-log-dataset', text: 'Dataset' }), logDataset),
    el('div', {}, el('label', { for: 'imp-log-status', text: 'Outcome' }), logStatus),
    el('div', {}, el('label', { for: 'imp-log-from', text: 'Started from' }), logFrom),
    el('div', {}, el('label', { for: 'imp-log-to', text: 'Started until' }), logTo),
    el('div', { class: 'imp-filters-go' }, el('button', { type: 'submit', class: 'button-secondary', text: 'Show imports' })));
  const logCount = el('p', { class: 'hint', id: 'imp-log-count', role: 'status' });
  const logRows = el('tbody', { id: 'imp-log-rows' });
  const logTable = el('div', { class: 'table-wrap imp-table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'imp-log-caption' },
    el('table', { class: 'imp-table imp-log' },
      el('caption', { id: 'imp-log-caption', class: 'visually-hidden', text: 'Imports, newest first' }),
      el('thead', {}, el('tr', {}, ['Import', 'Started', 'Dataset', 'File', 'Outcome', 'Rows', 'Inserted', 'Updated', 'Unchanged', 'Problems']
        .map((h) => el('th', { scope: 'col', text: h })))),
      logRows));
  const logDetail = el('div', { class: 'imp-log-detail', id: 'imp-log-detail' });

  root.append(
    el('section', { class: 'imp-upload', 'aria-labelledby': 'imp-upload-heading' },
      el('h2', { id: 'imp-upload-heading', text: 'Upload a file' }),
      el('p', { class: 'hint', text: 'A file is applied all or nothing: if any row has a problem, nothing of it is imported and every problem is listed.' }),
      form, progressBox, result),
    el('section', { class: 'imp-log-section', 'aria-labelledby': 'imp-log-heading' },
      el('div', { class: 'section-head' }, el('h2', { id: 'imp-log-heading', text: 'Import log' }), logCount),
      logFilters, logTable, logDetail));

  // -------- behaviour: choosing a file
  let found = null;
  const explain = () => {
    const file = fileInput.files[0];
    recognised.textContent = file && found ? recognisedWords(file, found, datasetSelect.value || null) : '';
    const census = datasetSelect.value === CENSUS;
    extractFull.disabled = census;
    extractPartial.disabled = census;
  };
  const chosen = async () => {
    formError.textContent = '';
    const file = fileInput.files[0];
    if (!file) { found = null; explain(); return; }
    found = await recogniseFile(file, datasets);
    datasetSelect.value = found.dataset ?? '';
    explain();
  };
  fileInput.addEventListener('change', chosen);
  datasetSelect.addEventListener('change', explain);
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('imp-drop-over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('imp-drop-over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('imp-drop-over');
    if (e.dataTransfer?.files?.length) {
      fileInput.files = e.dataTransfer.files;
      chosen();
    }
  });

  // -------- behaviour: progress as the file goes
  const shown = { sent: 0, total: 0, server: null, phase: '' };
  const drawProgress = () => {
    const s = shown.server;
    const phase = s && s.phase !== 'waiting' ? s.phase : 'sending';
    const rows = s?.rows ?? 0;
    const total = s?.total_bytes ?? shown.total;
    let text;
    if (phase === 'sending' || phase === 'receiving') {
      const got = s?.bytes ? s.bytes : shown.sent;
      progress.max = Math.max(total, 1);
      progress.value = Math.min(got, progress.max);
      text = `Sending and reading: ${bytesWords(got)} of ${bytesWords(total)}; ${plural(rows, 'row')} read and checked so far.`;
    } else if (phase === 'checking') {
      progress.removeAttribute('value');
      text = `Checking keys and references: ${plural(rows, 'row')} read${s.dataset ? ` (${datasetWords(s.dataset)})` : ''}.`;
    } else if (phase === 'merging') {
      progress.removeAttribute('value');
      text = `Merging ${plural(rows, 'row')} into the stored data${s.dataset ? ` (${datasetWords(s.dataset)})` : ''}.`;
    } else {
      progress.max = 1;
      progress.value = 1;
      text = phase === 'done' ? `Finished: ${plural(rows, 'row')} read.` : `Ended: ${plural(rows, 'row')} read.`;
    }
    progressText.textContent = text;
    progressText.dataset.rows = String(rows);
    progressText.dataset.phase = phase;
    if (phase !== shown.phase) {
      shown.phase = phase;
      const words = { sending: 'Sending the file.', checking: 'The file is in; checking it.', merging: 'Checked; merging it.' }[phase];
      if (words) ctx.announce(words);
    }
  };

  let busy = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    const file = fileInput.files[0];
    const dataset = datasetSelect.value;
    if (!file) { formError.textContent = 'Choose a file to upload first.'; fileInput.focus(); return; }
    if (!dataset) { formError.textContent = 'Choose the dataset the file is for.'; datasetSelect.focus(); return; }
    formError.textContent = '';
    busy = true;
    uploadButton.disabled = true;
    result.replaceChildren();
    Object.assign(shown, { sent: 0, total: file.size, server: null, phase: '' });
    progressBox.hidden = false;
    progressLabel.textContent = `Uploading ${file.name} as ${datasetWords(dataset)}`;
    drawProgress();
    const extract = extractPartial.checked && dataset !== CENSUS ? 'partial' : 'full';
    const { url, type } = uploadAddress(dataset, extract, file);
    const id = newId();
    const follow = followProgress(id, (snapshot) => { shown.server = snapshot; drawProgress(); });
    let answer;
    let failure;
    try {
      await Promise.race([follow.opened, new Promise((resolve) => { setTimeout(resolve, STREAM_WAIT_MS); })]);
      const me = await whoAmI({ fresh: true });
      answer = await send(url, file, type, { [me.csrf.header]: me.csrf.token, 'Import-Progress': id }, (sent, total) => {
        shown.sent = sent;
        shown.total = total;
        if (!shown.server || shown.server.phase === 'waiting') drawProgress();
      });
    } catch (e) {
      failure = e;
    }
    await Promise.race([follow.finished, new Promise((resolve) => { setTimeout(resolve, LAST_WORD_MS); })]);
    follow.close();
    busy = false;
    uploadButton.disabled = false;
    const receipts = answer == null ? [] : (Array.isArray(answer) ? answer : [answer]);
    if (receipts.length) {
      shown.server = { ...(shown.server ?? {}), phase: 'done', rows: receipts.reduce((a, r) => a + r.rows, 0) };
      drawProgress();
      result.append(...receipts.map((r) => receiptView(r)));
      ctx.announce(`Imported ${file.name}: ${receipts.map((r) => `${num(r.inserted)} inserted, ${num(r.updated)} updated, ${num(r.unchanged)} unchanged`).join('; ')}.`);
    } else {
      const refused = rejectedReceipt(failure, file);
      shown.server = { ...(shown.server ?? {}), phase: refused ? 'rejected' : 'failed', rows: refused?.rows ?? shown.server?.rows ?? 0 };
      drawProgress();
      result.append(refused ? receiptView(refused) : problemView(failure));
      ctx.announce(refused ? `Refused: ${plural(refused.error_count ?? refused.errors.length, 'problem')} in ${file.name}; nothing was imported.`
        : `The upload was refused: ${failure.message}`);
    }
    result.dataset.outcome = receipts.length ? 'imported' : 'refused';
    result.querySelector('.imp-receipt-title, .problem-title')?.focus?.();
    loadLog();
  });

  // -------- behaviour: the import log
  let logToken = 0;
  async function loadLog() {
    const token = ++logToken;
    const query = new URLSearchParams({ limit: String(LOG_SIZE) });
    if (logDataset.value) query.set('dataset', logDataset.value);
    if (logStatus.value) query.set('status', logStatus.value);
    if (logFrom.value) query.set('from', logFrom.value);
    if (logTo.value) query.set('to', logTo.value);
    let entries;
    try {
      entries = await getJson(`/api/imports?${query}`);
    } catch (e) {
      if (token !== logToken) return;
      logRows.replaceChildren();
      logCount.textContent = '';
      logDetail.replaceChildren(problemView(e));
      return;
    }
    if (token !== logToken) return;
    logDetail.replaceChildren();
    logCount.textContent = entries.length === 0 ? 'No import matches.'
      : `${plural(entries.length, 'import')}${entries.length === LOG_SIZE ? ' (the latest shown)' : ''}.`;
    logRows.replaceChildren(...entries.map((r) => el('tr', { 'data-import-id': String(r.id), 'data-status': r.status, 'data-dataset': r.dataset },
      el('td', {}, el('button', { type: 'button', class: 'imp-show', 'data-import-id': String(r.id), onclick: () => showReceipt(r.id) },
        'Show', el('span', { class: 'visually-hidden', text: ` import ${r.id}` }))),
      el('td', { class: 'imp-nowrap', text: r.started_at ? DATE_TIME.format(new Date(r.started_at)) : '' }),
      el('td', { text: datasetWords(r.dataset) }),
      el('td', { class: 'imp-file-name', text: r.file_name ?? '' }),
      el('td', { text: STATUSES[r.status] ?? r.status }),
      el('td', { class: 'imp-num', text: num(r.rows) }),
      el('td', { class: 'imp-num', text: r.status === 'succeeded' ? num(r.inserted) : '' }),
      el('td', { class: 'imp-num', text: r.status === 'succeeded' ? num(r.updated) : '' }),
      el('td', { class: 'imp-num', text: r.status === 'succeeded' ? num(r.unchanged) : '' }),
      el('td', { class: 'imp-num', text: r.error_count ? num(r.error_count) : '' }))));
    logRows.closest('table').dataset.loaded = String(token);
  }

  async function showReceipt(id) {
    try {
      const r = await getJson(`/api/imports/${id}`);
      logDetail.replaceChildren(receiptView(r));
      for (const row of logRows.children) row.classList.toggle('imp-chosen', row.dataset.importId === String(id));
      logDetail.querySelector('.imp-receipt-title')?.focus();
    } catch (e) {
      logDetail.replaceChildren(problemView(e));
    }
  }

  logFilters.addEventListener('submit', (e) => { e.preventDefault(); loadLog(); });
  for (const input of [logDataset, logStatus, logFrom, logTo]) input.addEventListener('change', () => loadLog());
  await loadLog();
}
