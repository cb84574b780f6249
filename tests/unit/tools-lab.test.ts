import { describe, expect, it } from 'vitest';
import { PartialJsonParser } from '../../src/lib/json/partial-json';
import { DEFAULT_SCHEMA, DEFAULT_TOOLS, checkSchema, checkTools } from '../../src/labs/tools/definitions';
import { prettyLines } from '../../src/labs/tools/pretty';

const render = (lines: ReturnType<typeof prettyLines>) =>
  lines.map(
    (l) =>
      `${'  '.repeat(l.depth)}${l.key}${l.text}${l.comma ? ',' : ''}${l.active ? '  <' : ''}${l.healed ? '  ~' : ''}`,
  );

describe('prettyLines', () => {
  it('marks the value being filled and the brackets the parser closed for it', () => {
    const p = new PartialJsonParser();
    p.push('{"cities": [{"name": "Paris"}, {"name": "Tok');
    expect(render(prettyLines(p.value, p.path, p.done))).toEqual([
      '{',
      '  "cities": [',
      '    {',
      '      "name": "Paris"',
      '    },',
      '    {',
      '      "name": "Tok"  <',
      '    }  ~',
      '  ]  ~',
      '}  ~',
    ]);
  });

  it('prints a complete document as JSON.stringify does, nothing marked', () => {
    const doc = { a: [1, { b: null }], c: {}, d: [] };
    const p = new PartialJsonParser();
    p.push(JSON.stringify(doc));
    const lines = prettyLines(p.value, p.path, p.done);
    expect(lines.some((l) => l.active || l.healed)).toBe(false);
    expect(render(lines).join('\n')).toBe(JSON.stringify(doc, null, 2));
  });
});

describe('editable definitions', () => {
  it('accepts the defaults', () => {
    expect(checkTools(JSON.stringify(DEFAULT_TOOLS))).toEqual({ ok: true, value: DEFAULT_TOOLS });
    expect(checkSchema(JSON.stringify(DEFAULT_SCHEMA))).toEqual({ ok: true, value: DEFAULT_SCHEMA });
  });

  it.each([
    ['[{"type": "function"', /Not valid JSON/],
    ['[]', /non-empty JSON array/],
    ['[{"type": "function", "function": {"name": "has space", "parameters": {}}}]', /Tool 1 needs a "name"/],
    ['[{"type": "function", "function": {"name": "f"}}]', /needs "parameters"/],
    ['[{"function": {"name": "f", "parameters": {}}}]', /"type": "function"/],
  ])('explains what is wrong with tools %j', (text, message) => {
    const checked = checkTools(text);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });

  it.each([
    ['{"name": "x", "schema": ', /Not valid JSON/],
    ['[]', /must be a JSON object/],
    ['{"schema": {}}', /needs a "name"/],
    ['{"name": "x"}', /needs "schema"/],
    ['{"name": "x", "schema": {}, "strict": "yes"}', /"strict" must be true or false/],
  ])('explains what is wrong with the schema %j', (text, message) => {
    const checked = checkSchema(text);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.message).toMatch(message);
  });
});
