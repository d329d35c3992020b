/** The console's building blocks: tables, badges, notices, fact lists, breadcrumbs. */
import { h, type Child } from './dom.js';
import { t, type Key } from './i18n.js';

export interface Column<T> {
  title: string;
  cell: (row: T) => Child;
}

/** A table in a horizontally scrolling box, so long URLs and ids never squeeze the other columns. */
export function table<T>(columns: Column<T>[], rows: T[], attrs: { id?: string } = {}): HTMLElement {
  return h('div', { class: 'scroll' }, bareTable(columns, rows, attrs));
}

function bareTable<T>(columns: Column<T>[], rows: T[], attrs: { id?: string }): HTMLTableElement {
  return h(
    'table',
    attrs,
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c.title)))),
    h('tbody', {}, rows.length === 0 ? h('tr', {}, h('td', { class: 'empty', colspan: columns.length }, t('empty'))) : rows.map((r) => h('tr', {}, columns.map((c) => h('td', {}, c.cell(r)))))),
  );
}

export const badge = (text: string, kind: 'ok' | 'bad' | 'warn' | '' = '') => h('span', { class: kind ? `badge ${kind}` : 'badge' }, text);
export const yesNo = (value: boolean | null | undefined) => badge(value ? t('yes') : t('no'), value ? 'ok' : 'bad');
export const mono = (text: string | null | undefined) => (text ? h('span', { class: 'mono nowrap' }, text) : '—');
export const orDash = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));

export function notice(text: string, kind: 'error' | 'ok' | '' = ''): HTMLElement {
  return h('p', { class: kind ? `notice ${kind}` : 'notice', role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function facts(rows: [string, Child][]): HTMLElement {
  return h('dl', { class: 'facts' }, rows.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]));
}

/** Breadcrumbs: [label, hash] pairs, the last one the current page (no link). */
export function crumbs(items: [string, string | null][]): HTMLElement {
  return h(
    'div',
    { class: 'crumbs' },
    items.map(([label, href], i) => [i > 0 ? ' › ' : '', href ? h('a', { href }, label) : label]),
  );
}

export const heading = (key: Key, values: Record<string, string | number> = {}) => h('h1', {}, t(key, values));

export const link = (href: string, text: string) => h('a', { href }, text);

/** A hash route with its parameters encoded. */
export const route = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;
