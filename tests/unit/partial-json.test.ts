import { describe, expect, it } from 'vitest';
import { PartialJsonParser, healJson, naiveParse } from '../../src/lib/json/partial-json';

/** Valid documents covering the grammar; each is fed at every split point. */
const FIXTURES: Record<string, string> = {
  'a tool call': '{"location": "Paris, France", "unit": "celsius"}',
  'nested containers':
    '{"cities":[{"name":"Paris","pop":2.1e6,"tags":["old","big"]},{"name":"Tokyo","sub":{"a":[[],[{}]]}}]}',
  'an emoji as a surrogate-pair escape': '{"face":"\\uD83D\\uDE00 ok","raw":"😀 é 東京"}',
  'escaped quotes and every short escape':
    '{"q":"she said \\"hi\\"","e":"\\\\ \\/ \\b \\f \\n \\r \\t","k\\"ey":1}',
  'numbers with signs, fractions and exponents': '[0,-0,12,-3.25,1e5,1E+2,-2.5e-3,0.0,10,1234567890]',
  'true, false and null': '{"t":true,"f":false,"n":null,"list":[true,false,null]}',
  'empty containers': '{"o":{},"a":[],"s":"","nested":[{},[],""]}',
  'whitespace everywhere': ' \n{ "a" :\t[ 1 ,\r\n 2 ] , "b" : { } , "c" : "x y" }\n ',
  'a top-level array of strings': '["a","b\\u00e9",""]',
  'a top-level string': '"just text"',
  'a __proto__ key': '{"__proto__":{"polluted":true},"ok":1}',
  'unicode escapes in keys': '{"\\u0063ity":"Lyon"}',
};

function feed(pieces: string[]): PartialJsonParser {
  const p = new PartialJsonParser();
  for (const piece of pieces) p.push(piece);
  return p;
}

describe('PartialJsonParser', () => {
  describe.each(Object.entries(FIXTURES))('%s', (_name, doc) => {
    const expected = JSON.parse(doc) as unknown;

    it('gives JSON.parse’s value when split at every point', () => {
      for (let k = 0; k <= doc.length; k++) {
        const p = feed([doc.slice(0, k), doc.slice(k)]);
        expect(p.error, `split at ${k}`).toBeNull();
        expect(p.done, `split at ${k}`).toBe(true);
        expect(p.value, `split at ${k}`).toStrictEqual(expected);
      }
    });

    it('gives JSON.parse’s value fed one character at a time', () => {
      const p = feed([...doc.split('')]);
      expect(p.done).toBe(true);
      expect(p.value).toStrictEqual(expected);
    });

    it('agrees with the naive healed parse at every prefix', () => {
      const p = new PartialJsonParser();
      let compared = 0;
      for (let k = 0; k < doc.length; k++) {
        p.push(doc[k] as string);
        const naive = naiveParse(doc.slice(0, k + 1));
        if (naive === undefined || p.value === undefined) continue;
        expect(structuredClone(p.value), `prefix ${JSON.stringify(doc.slice(0, k + 1))}`).toStrictEqual(
          naive,
        );
        compared++;
      }
      // The comparison must have happened at most prefixes, not been skipped.
      expect(compared).toBeGreaterThan(doc.trim().length / 2);
    });
  });

  it('ends a top-level number only when told the document has ended', () => {
    const p = feed(['-12', '.5e', '2']);
    expect(p.done).toBe(false);
    expect(p.value).toBe(-12.5e2);
    p.end();
    expect(p.done).toBe(true);
    expect(p.value).toBe(-1250);
  });

  it('shows partial values as they fill in: open strings, number prefixes, no half literals or dangling keys', () => {
    const steps: [string, unknown][] = [
      ['{"cities": [{"name": "Pa', { cities: [{ name: 'Pa' }] }],
      ['ris", "pop": 2.', { cities: [{ name: 'Paris', pop: 2 }] }],
      ['1e', { cities: [{ name: 'Paris', pop: 2.1 }] }],
      ['6, "capital": tr', { cities: [{ name: 'Paris', pop: 2.1e6 }] }],
      ['ue}, {"na', { cities: [{ name: 'Paris', pop: 2.1e6, capital: true }, {}] }],
      ['me": "T\\u00', { cities: [{ name: 'Paris', pop: 2.1e6, capital: true }, { name: 'T' }] }],
      ['e9"}]}', { cities: [{ name: 'Paris', pop: 2.1e6, capital: true }, { name: 'Té' }] }],
    ];
    const p = new PartialJsonParser();
    for (const [delta, value] of steps) {
      p.push(delta);
      expect(p.value, `after ${JSON.stringify(delta)}`).toStrictEqual(value);
    }
    expect(p.done).toBe(true);
  });

  it('keeps the value tree alive: containers keep their identity as they fill', () => {
    const p = feed(['{"list": [1, ']);
    const root = p.value as { list: number[] };
    const list = root.list;
    p.push('2, 3]}');
    expect(p.value).toBe(root);
    expect(root.list).toBe(list);
    expect(list).toEqual([1, 2, 3]);
  });

  it('says which value is being filled now', () => {
    const p = new PartialJsonParser();
    const paths: [string, (string | number)[]][] = [
      ['{"cities": [', ['cities']],
      ['{"name": "Paris"}, {"na', ['cities', 1]],
      ['me": "Tok', ['cities', 1, 'name']],
      ['yo", "pop": 3', ['cities', 1, 'pop']],
      ['7', ['cities', 1, 'pop']],
      [', "big": ', ['cities', 1, 'big']],
      ['tr', ['cities', 1, 'big']],
      ['ue', ['cities', 1]],
      ['}', ['cities']],
      [', 5]}', []],
    ];
    for (const [delta, path] of paths) {
      p.push(delta);
      expect(p.path, `after ${JSON.stringify(delta)}`).toEqual(path);
    }
  });

  it('joins an emoji whose surrogate-pair escape is split between deltas', () => {
    const p = feed(['{"e":"\\uD8', '3D\\u', 'DE', '00"}']);
    expect(p.value).toEqual({ e: '😀' });
  });

  it('makes a __proto__ key an own property, never the prototype', () => {
    const p = feed(['{"__proto__": {"polluted": true}}']);
    const value = p.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{"a" 1}', 5, /Unexpected character/],
    ['{"a":1,}', 7, /Unexpected character/],
    ['[1,,2]', 3, /Unexpected character/],
    ['{"a":tru}', 8, /Unexpected character/],
    ['[01]', 2, /Unexpected character/],
    ['[1.]', 3, /Unexpected character/],
    ['["bad \\x escape"]', 7, /Bad escape/],
    ['["\\u12G4"]', 6, /Bad \\u escape/],
    ['["line\nbreak"]', 6, /Control character/],
    ['{"a":1}}', 7, /after the JSON value/],
    ["{'a':1}", 1, /Unexpected character/],
  ])('reports invalid JSON %j at the offending position', (doc, position, message) => {
    expect(() => JSON.parse(doc)).toThrow();
    const p = feed([...doc.split('')]);
    expect(p.error?.position).toBe(position);
    expect(p.error?.message).toMatch(message);
    expect(p.done).toBe(false);
  });

  it('ignores pushes after an error and keeps what it had', () => {
    const p = feed(['{"a": "kept", ', 'oops']);
    const error = p.error;
    expect(error).not.toBeNull();
    p.push('"b": 1}');
    expect(p.error).toBe(error);
    expect(p.value).toEqual({ a: 'kept' });
  });

  it('reports an unfinished document when told it has ended', () => {
    const p = feed(['{"a": [1, 2']);
    p.end();
    expect(p.error?.message).toMatch(/end of JSON/);
  });

  it('does work per delta that does not depend on how much has arrived', () => {
    // The same 12-character delta, pushed after 20 characters and after 200,000.
    const cost = (before: number) => {
      const p = new PartialJsonParser();
      p.push('{"items": [');
      let filler = '';
      while (filler.length < before) filler += '{"n": 12345, "s": "abcdefgh"}, ';
      p.push(filler);
      p.push('{"s": "a');
      const start = p.operations;
      p.push('bc\\n", "n": 1');
      return p.operations - start;
    };
    const small = cost(20);
    const large = cost(200_000);
    expect(large).toBe(small);
    // Each character once, plus the digits of the open number re-read when the push ends.
    expect(small).toBeLessThanOrEqual('bc\\n", "n": 1'.length + 1);
  });

  it('reads a long string in a growing document in time linear in the whole stream', () => {
    const p = new PartialJsonParser();
    p.push('{"text": "');
    for (let i = 0; i < 10_000; i++) p.push('abcd');
    p.push('"}');
    expect(p.operations).toBe(10 + 40_000 + 2);
    expect((p.value as { text: string }).text).toHaveLength(40_000);
  });
});

describe('naiveParse', () => {
  it.each([
    ['', undefined],
    ['{', {}],
    ['{"a', {}],
    ['{"a":', {}],
    ['{"a": "x', { a: 'x' }],
    ['{"a": "x\\', { a: 'x' }],
    ['{"a": "x\\u00', { a: 'x' }],
    ['{"a": "x\\\\', { a: 'x\\' }],
    ['{"a": -', {}],
    ['{"a": 1.', { a: 1 }],
    ['{"a": 1,', { a: 1 }],
    ['{"a": nul', {}],
    ['[1, [2, {"b": [', [1, [2, { b: [] }]]],
    ['[true, fals', [true]],
  ])('heals %j', (buffer, expected) => {
    expect(naiveParse(buffer)).toStrictEqual(expected);
  });

  it('reads the whole buffer each time: the healed text is as long as what arrived', () => {
    const buffer = `{"s": "${'x'.repeat(1000)}`;
    expect(healJson(buffer)?.length).toBe(buffer.length + 2);
  });
});
