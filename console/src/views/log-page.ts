/**
 * A filtered, paged log (the audit trail, the sync log): a filter form whose values live in the
 * route's query (so a filtered view can be linked to), a table, and "load more" by cursor.
 */
import { api } from '../api.js';
import { h, type Child, mount } from '../dom.js';
import { t, type Key } from '../i18n.js';
import { table, type Column } from '../ui.js';
import type { ViewContext } from './context.js';

export interface Filter {
  name: string;
  label: string;
  /** A closed set of values: a <select> with "all" first. */
  options?: readonly string[];
  /** from/to: a local date and time, sent as ISO 8601. */
  time?: boolean;
}

export interface LogPage<T> {
  title: Key;
  path: string;
  /** The answer's array field: `events` or `entries`. */
  field: string;
  filters: Filter[];
  columns: Column<T>[];
  tableId: string;
  /** The route, e.g. `#/audit`. */
  hash: string;
}

// The filter's times are read and shown in Beijing time, like every time in the tables (UTC+8, no DST).
const BEIJING_MS = 8 * 3600_000;
/** An ISO time as a datetime-local value in Beijing time. */
const localValue = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms + BEIJING_MS).toISOString().slice(0, 16);
};
/** A datetime-local value, meant as Beijing time, as ISO 8601. */
const isoOf = (local: string) => {
  const ms = Date.parse(`${local}Z`) - BEIJING_MS;
  return Number.isNaN(ms) ? local : new Date(ms).toISOString();
};

export async function logPage<T>(page: LogPage<T>, ctx: ViewContext): Promise<Child[]> {
  const query: Record<string, string | undefined> = {};
  for (const f of page.filters) query[f.name] = ctx.query.get(f.name) ?? undefined;

  const form = h(
    'form',
    {
      class: 'filters',
      id: `${page.tableId}-filters`,
      onsubmit: (event: Event) => {
        event.preventDefault();
        const data = new FormData(event.target as HTMLFormElement);
        const next = new URLSearchParams();
        for (const f of page.filters) {
          const value = String(data.get(f.name) ?? '').trim();
          if (value === '') continue;
          next.set(f.name, f.time ? isoOf(value) : value);
        }
        const qs = next.toString();
        window.location.hash = `${page.hash}${qs ? `?${qs}` : ''}`;
      },
    },
    page.filters.map((f) =>
      h(
        'label',
        {},
        f.label,
        f.options
          ? h('select', { name: f.name }, h('option', { value: '' }, t('all')), f.options.map((o) => h('option', { value: o, selected: query[f.name] === o }, o)))
          : h('input', { name: f.name, type: f.time ? 'datetime-local' : 'text', value: f.time && query[f.name] ? localValue(query[f.name]!) : (query[f.name] ?? ''), size: 14 }),
      ),
    ),
    h('button', { type: 'submit' }, t('filter.apply')),
    h('button', { type: 'button', class: 'secondary', onclick: () => (window.location.hash = page.hash) }, t('filter.reset')),
  );

  const rows: T[] = [];
  const holder = h('div', {});
  const more = h('p', { class: 'pager' });
  const load = async (cursor?: string) => {
    const body = await api<Record<string, unknown> & { nextCursor: string | null }>(page.path, { query: { ...query, limit: '100', cursor } });
    rows.push(...((body[page.field] as T[] | undefined) ?? []));
    mount(holder, table(page.columns, rows, { id: page.tableId }));
    mount(more, body.nextCursor ? h('button', { type: 'button', class: 'secondary', onclick: () => void load(body.nextCursor!) }, t('more')) : null);
  };
  await load();
  return [h('h1', {}, t(page.title)), form, holder, more];
}
