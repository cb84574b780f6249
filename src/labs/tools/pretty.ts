/**
 * A partial JSON value as pretty-printed lines for display: one line per member, the line of the
 * value being filled marked `active`, and the closing brackets of still-open containers marked
 * `healed` (the parser closed them; the model has not sent them yet).
 */
import type { JsonPath } from '../../lib/json/partial-json';

export interface PrettyLine {
  depth: number;
  /** `"key": ` for object members, empty otherwise. */
  key: string;
  /** The value's JSON (a scalar, an opening bracket, or an empty `{}` / `[]`) or a closer. */
  text: string;
  /** A comma follows. */
  comma: boolean;
  /** This line shows the value being filled now. */
  active: boolean;
  /** A closing bracket the parser supplied because the container is still open. */
  healed: boolean;
}

const samePath = (a: JsonPath, b: JsonPath) => a.length === b.length && a.every((k, i) => k === b[i]);
const isPrefix = (prefix: JsonPath, of: JsonPath) =>
  prefix.length <= of.length && prefix.every((k, i) => k === of[i]);

/** `active`: the path being filled (`PartialJsonParser.path`); `done` when the document is complete. */
export function prettyLines(value: unknown, active: JsonPath, done: boolean): PrettyLine[] {
  const lines: PrettyLine[] = [];
  const walk = (v: unknown, path: JsonPath, key: string, comma: boolean) => {
    const depth = path.length;
    const line = { depth, key, comma, active: !done && samePath(path, active), healed: false };
    if (typeof v !== 'object' || v === null) {
      lines.push({ ...line, text: JSON.stringify(v) });
      return;
    }
    const entries: [string | number, unknown][] = Array.isArray(v)
      ? v.map((item, i) => [i, item])
      : Object.entries(v);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    const healed = !done && isPrefix(path, active);
    if (entries.length === 0 && !healed) {
      lines.push({ ...line, text: open + close });
      return;
    }
    lines.push({ ...line, text: open, comma: false });
    entries.forEach(([k, item], i) =>
      walk(item, [...path, k], typeof k === 'string' ? `${JSON.stringify(k)}: ` : '', i < entries.length - 1),
    );
    lines.push({ depth, key: '', text: close, comma, active: false, healed });
  };
  if (value !== undefined) walk(value, [], '', false);
  return lines;
}
