// The imports page (/imports): drawn into the dashboard's page by render(root, context).
import { el } from '/common.js';

export async function render(root) {
  root.append(el('p', { text: 'Being built.' }));
}
