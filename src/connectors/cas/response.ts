/**
 * A CAS 3.0 serviceValidate answer, JSON or XML, read into one outcome (spec §7 CAS).
 *
 * The form is told by the content (first non-space character `{` or `<`), not by the `format` we
 * asked for: servers that ignore `format` exist, and the answer says what it is.
 * Attribute values are lists, because CAS repeats an attribute element for each value.
 */
import { KbError } from '../../shared/errors.js';
import { parseXml, type XmlElement } from './xml.js';

export const CAS_NS = 'http://www.yale.edu/tp/cas';

export type CasAttributes = Record<string, string[]>;

export type CasOutcome =
  | { ok: true; user: string; attributes: CasAttributes }
  | { ok: false; code: unknown };

const bad = (why: string): KbError => new KbError('idp_bad_response', `CAS answer ${why}`);

// No prototype: attribute names come from the IdP and must never reach Object.prototype.
const emptyAttributes = (): CasAttributes => Object.create(null) as CasAttributes;

function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') return String(value);
  return null;
}

function jsonAttributes(raw: unknown): CasAttributes {
  const out = emptyAttributes();
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  for (const [key, value] of Object.entries(raw)) {
    const values = (Array.isArray(value) ? value : [value]).map(scalar).filter((v): v is string => v !== null);
    if (values.length > 0) out[key] = values;
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function readJson(text: string): CasOutcome {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw bad('is not valid JSON');
  }
  const response = isObject(doc) ? doc.serviceResponse : undefined;
  if (!isObject(response)) throw bad('has no serviceResponse');
  const success = response.authenticationSuccess;
  if (isObject(success)) {
    const user = scalar(success.user)?.trim();
    if (!user) throw bad('has no user');
    return { ok: true, user, attributes: jsonAttributes(success.attributes) };
  }
  const failure = response.authenticationFailure;
  if (isObject(failure)) return { ok: false, code: failure.code };
  throw bad('has neither authenticationSuccess nor authenticationFailure');
}

const casChild = (parent: XmlElement, local: string): XmlElement | undefined =>
  parent.children.find((c) => c.ns === CAS_NS && c.local === local);

function readXml(text: string): CasOutcome {
  const root = parseXml(text);
  if (root.ns !== CAS_NS || root.local !== 'serviceResponse') throw bad('XML root is not cas:serviceResponse');
  const success = casChild(root, 'authenticationSuccess');
  if (success) {
    const user = casChild(success, 'user')?.text.trim();
    if (!user) throw bad('has no cas:user');
    const attributes = emptyAttributes();
    // Attribute elements are read by local name whatever their namespace: CAS servers put custom
    // attributes in the cas namespace, but nothing forbids another one.
    for (const attr of casChild(success, 'attributes')?.children ?? []) {
      (attributes[attr.local] ??= []).push(attr.text.trim());
    }
    return { ok: true, user, attributes };
  }
  const failure = casChild(root, 'authenticationFailure');
  if (failure) return { ok: false, code: failure.attrs.code };
  throw bad('has neither cas:authenticationSuccess nor cas:authenticationFailure');
}

/** The outcome of a serviceValidate body, or idp_bad_response when it is neither form. */
export function readCasBody(body: string): CasOutcome {
  const text = body.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('{')) return readJson(text);
  if (text.startsWith('<')) return readXml(text);
  throw bad('is neither JSON nor XML');
}
