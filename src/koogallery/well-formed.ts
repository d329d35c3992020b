/**
 * Every string of a parsed body — keys and values, at any depth — must be well-formed Unicode. The
 * raw body is valid UTF-8 (raw-body.ts decodes it strictly), so a lone surrogate can only arrive
 * as a JSON escape (`"\ud800"`); it is refused here, naming where it sits, before any field reader
 * or the directory sees it. Fields that hold JSON text of their own (userList as a string) are
 * checked again by their readers (schemas-fields.ts).
 */
import { KbError } from '../shared/errors.js';
import { isWellFormedText } from '../shared/identifiers.js';

/** Throws `invalid_parameter` naming the first field (path) whose key or value is ill-formed. */
export function assertWellFormedStrings(body: Record<string, unknown>): void {
  // Depth-first without recursion; the body's depth is already bounded (json-depth.ts).
  const pending: { value: unknown; path: string }[] = [{ value: body, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (!isWellFormedText(value)) refuse(path);
    } else if (Array.isArray(value)) {
      // Pushed last to first, so the first offending field in document order is the one named.
      for (let i = value.length - 1; i >= 0; i -= 1) pending.push({ value: value[i], path: `${path}[${i}]` });
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value).reverse()) {
        const at = path === '' ? key : `${path}.${key}`;
        if (!isWellFormedText(key)) refuse(path === '' ? '(a key)' : `${path} (a key)`);
        pending.push({ value: item, path: at });
      }
    }
  }
}

function refuse(path: string): never {
  // The path is ours to print only when its keys are printable: an ill-formed key is not echoed.
  const field = isWellFormedText(path) ? path.slice(0, 120) : '(a key)';
  throw new KbError('invalid_parameter', `${field}: must be well-formed Unicode (it holds a lone UTF-16 surrogate)`, { details: { field } });
}
