// The reports page (/reports): the monthly workforce profile (the board pack) of a chosen month, as a PDF and as the
// CSV tables it holds. The months offered are those the pack can be made for (GET /api/reports/workforce-profile/months):
// the complete months whose last day the data's history holds.
import { el, getJson } from '/common.js';

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });

const TABLES = {
  summary: { title: 'Summary', what: 'every indicator at the authority against last month, 12 months before, its target and the published benchmarks, with its SPC verdict' },
  teams: { title: 'Teams', what: "each team's value and RAG for every indicator" },
  risks: { title: 'Risks', what: 'every risk open at the month end, worst first, with how far past its threshold and since when' },
};

const monthWords = (month) => MONTH.format(new Date(`${month}-01T00:00:00Z`));

export async function render(root) {
  const offer = await getJson('/api/reports/workforce-profile/months');
  const months = offer.months ?? [];
  root.append(el('section', { class: 'rep-pack', 'aria-labelledby': 'rep-pack-heading' },
    el('h2', { id: 'rep-pack-heading', text: 'Monthly workforce profile (board pack)' }),
    el('p', { class: 'rep-intro', text: 'The figures as at the last day of a month, rated against the thresholds in force then, '
      + 'with the teams at risk, each service\'s teams and the key charts. A later import or threshold change does not change a month\'s pack.' })));
  const pack = root.querySelector('.rep-pack');
  if (!months.length) {
    pack.append(el('p', { class: 'rep-none', role: 'status',
      text: 'No month can be reported yet: the data does not yet cover the end of a complete month.' }));
    return;
  }
  const chosen = months.includes(offer.default) ? offer.default : months[0];
  const picker = el('select', { id: 'rep-month', class: 'rep-month', 'aria-describedby': 'rep-month-hint' },
    months.map((m) => el('option', { value: m, text: monthWords(m), selected: m === chosen })));
  const downloads = el('ul', { class: 'rep-downloads', id: 'rep-downloads' });
  const status = el('p', { class: 'visually-hidden', role: 'status', id: 'rep-status' });
  pack.append(
    el('div', { class: 'rep-picker' },
      el('label', { for: 'rep-month', text: 'Month' }), picker,
      el('p', { class: 'hint', id: 'rep-month-hint',
        text: `${months.length === 1 ? 'One month' : `${months.length} months`} can be reported, ${monthWords(months[months.length - 1])} to ${monthWords(months[0])}.` })),
    el('h3', { id: 'rep-downloads-heading', text: 'Downloads' }),
    downloads, status,
    el('p', { class: 'hint', text: 'Every chart on the dashboard can also be downloaded as PNG, SVG or its figures as CSV, and shown as a table, from under the chart.' }));
  downloads.setAttribute('aria-labelledby', 'rep-downloads-heading');

  const fill = () => {
    const month = picker.value;
    const words = monthWords(month);
    const q = encodeURIComponent(month);
    downloads.replaceChildren(
      el('li', { class: 'rep-download rep-download-pdf' },
        el('a', { href: `/api/reports/workforce-profile?month=${q}`, download: `workforce-profile-${month}.pdf`, 'data-kind': 'pdf' },
          `Board pack for ${words} (PDF)`),
        el('span', { class: 'rep-what', text: 'The whole pack to print or send; it takes a few seconds to make.' })),
      ...Object.entries(TABLES).map(([table, t]) => el('li', { class: 'rep-download' },
        el('a', { href: `/api/reports/workforce-profile.csv?month=${q}&table=${table}`, download: `workforce-profile-${month}-${table}.csv`,
          'data-kind': 'csv', 'data-table': table }, `${t.title} table for ${words} (CSV)`),
        el('span', { class: 'rep-what', text: `${t.what[0].toUpperCase()}${t.what.slice(1)}; unrounded, for a spreadsheet.` }))));
  };
  fill();
  picker.addEventListener('change', () => {
    fill();
    status.textContent = `Downloads now for ${monthWords(picker.value)}.`;
  });
}
