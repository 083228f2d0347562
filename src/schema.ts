/**
 * A small checker for the YAML the editors and designers write (issue.yaml,
 * template.yaml, fenced table/chart blocks). Each check knows the path of the
 * value, so an error names the file, line and column.
 */
import type { YamlPath } from './source/yaml.js';
import type { UserError } from './source/errors.js';

/** Where values come from: turns a path into an error with a position. */
export interface Located {
  error(path: YamlPath, message: string, key?: boolean): UserError;
}

export interface Schema<T> {
  readonly describe: string;
  check(value: unknown, path: YamlPath, at: Located): T;
}

export interface Optional<T> {
  readonly optional: Schema<T>;
}

type Field = Schema<unknown> | Optional<unknown>;
type FieldValue<F> = F extends Optional<infer T> ? T | undefined : F extends Schema<infer T> ? T : never;
export type Infer<S> = S extends Schema<infer T> ? T : never;

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  if (typeof v === 'string') return `the text "${v.length > 30 ? v.slice(0, 30) + '…' : v}"`;
  return `${typeof v} ${String(v)}`;
}

function make<T>(describe: string, check: (v: unknown, path: YamlPath, at: Located) => T): Schema<T> {
  return { describe, check };
}

/** `empty`: blank text is a value too (a chart's missing figure), as is an empty YAML value. */
export function str(opts: { pattern?: RegExp; patternHint?: string; empty?: boolean } = {}): Schema<string> {
  return make('text', (v, path, at) => {
    if (typeof v === 'number') v = String(v);
    if (opts.empty && (v === null || v === '')) return '';
    if (typeof v !== 'string' || v.trim() === '') throw at.error(path, `expected text, found ${kindOf(v)}`);
    if (opts.pattern && !opts.pattern.test(v)) throw at.error(path, `expected ${opts.patternHint ?? opts.pattern}, found "${v}"`);
    return v;
  });
}

export function num(opts: { int?: boolean; min?: number; max?: number } = {}): Schema<number> {
  const what = opts.int ? 'a whole number' : 'a number';
  return make(what, (v, path, at) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw at.error(path, `expected ${what}, found ${kindOf(v)}`);
    if (opts.int && !Number.isInteger(v)) throw at.error(path, `expected ${what}, found ${v}`);
    if (opts.min !== undefined && v < opts.min) throw at.error(path, `expected at least ${opts.min}, found ${v}`);
    if (opts.max !== undefined && v > opts.max) throw at.error(path, `expected at most ${opts.max}, found ${v}`);
    return v;
  });
}

export function bool(): Schema<boolean> {
  return make('true or false', (v, path, at) => {
    if (typeof v !== 'boolean') throw at.error(path, `expected true or false, found ${kindOf(v)}`);
    return v;
  });
}

export function oneOf<const T extends string>(values: readonly T[]): Schema<T> {
  const list = values.join(' | ');
  return make(list, (v, path, at) => {
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      throw at.error(path, `expected one of ${list}, found ${kindOf(v)}`);
    }
    return v as T;
  });
}

export function list<T>(of: Schema<T>, opts: { min?: number } = {}): Schema<T[]> {
  return make(`a list of ${of.describe}`, (v, path, at) => {
    if (!Array.isArray(v)) throw at.error(path, `expected a list, found ${kindOf(v)}`);
    if (opts.min !== undefined && v.length < opts.min) {
      throw at.error(path, v.length === 0 ? 'the list is empty' : `expected at least ${opts.min} entries`);
    }
    return v.map((item, i) => of.check(item, [...path, i], at));
  });
}

/** A map with free keys, all values of one kind (e.g. `align: {序号: center}`). */
export function dict<T>(of: Schema<T>): Schema<Record<string, T>> {
  return make(`a map of ${of.describe}`, (v, path, at) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw at.error(path, `expected a map, found ${kindOf(v)}`);
    const out: Record<string, T> = {};
    for (const [k, val] of Object.entries(v)) out[k] = of.check(val, [...path, k], at);
    return out;
  });
}

export function optional<T>(s: Schema<T>): Optional<T> {
  return { optional: s };
}

/** A map with known keys; unknown keys and missing required keys are errors. */
export function obj<F extends Record<string, Field>>(fields: F): Schema<{ [K in keyof F]: FieldValue<F[K]> }> {
  const names = Object.keys(fields);
  return make('a map', (v, path, at) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw at.error(path, `expected a map, found ${kindOf(v)}`);
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (!names.includes(k)) throw at.error([...path, k], `unknown key "${k}" (expected one of: ${names.join(', ')})`, true);
    }
    const out: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(fields)) {
      const present = rec[name] !== undefined && rec[name] !== null;
      if ('optional' in field) {
        out[name] = present ? field.optional.check(rec[name], [...path, name], at) : undefined;
      } else {
        if (!present) throw at.error(path, `missing key "${name}"`);
        out[name] = field.check(rec[name], [...path, name], at);
      }
    }
    return out as { [K in keyof F]: FieldValue<F[K]> };
  });
}
