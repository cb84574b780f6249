/**
 * Partial JSON: the best current value of a JSON document that is still arriving, two ways.
 *
 * `PartialJsonParser` is incremental: a resumable state machine over characters (a stack of open
 * containers, the token being read, the key being filled) that builds the value tree as it goes.
 * Each `push(delta)` reads only the delta's characters, so its cost does not depend on how much
 * has arrived before; `value` returns the live tree, never a re-parse.
 *
 * `naiveParse(buffer)` is what most code does instead: heal the whole buffer (close the open
 * string and containers, drop a dangling key or literal) and `JSON.parse` it — every character
 * again for every delta.
 *
 * Both give the same partial value for the same text (the unit tests hold them to it):
 * - an open string shows as far as it goes (an unfinished escape is left out);
 * - a number shows its longest valid prefix (`-` nothing, `1.` 1, `2e` 2);
 * - an unfinished `true` / `false` / `null` is left out, and so is a key whose value has not begun;
 * - open arrays and objects are closed.
 *
 * Invariants: the parser never re-reads a character it has consumed, except the digits of the
 * number being read (numbers are short); after an error every push is ignored.
 */

/** Where a JSON document stopped being valid: the 0-based position of the offending character. */
export interface JsonError {
  position: number;
  message: string;
}

/** A step down into a value: an object key or an array index. */
export type JsonPath = (string | number)[];

type Container = Record<string, unknown> | unknown[];

interface Frame {
  container: Container;
  /** Object: awaiting a key, a colon, a value, or a comma / end. Array: a value, or a comma / end. */
  expect: 'first-key' | 'key' | 'colon' | 'first-value' | 'value' | 'comma';
  /** Object: the member being filled (set once its key is read). */
  key: string | null;
  /** Array: index of the element being filled. */
  index: number;
}

type Token =
  | { kind: 'none' }
  | { kind: 'string'; isKey: boolean; text: string; escape: '' | '\\' | 'u'; hex: string }
  | { kind: 'number'; text: string; state: NumberState; valid: number }
  | { kind: 'literal'; word: 'true' | 'false' | 'null'; read: number };

/** The number grammar as states; the accepting ones are `int0`, `int`, `frac` and `exp`. */
type NumberState = 'sign' | 'int0' | 'int' | 'dot' | 'frac' | 'e' | 'esign' | 'exp';
const ACCEPTING: ReadonlySet<NumberState> = new Set(['int0', 'int', 'frac', 'exp']);
const isDigit = (c: string) => c >= '0' && c <= '9';

function nextNumberState(state: NumberState, c: string): NumberState | null {
  switch (state) {
    case 'sign':
      return c === '0' ? 'int0' : isDigit(c) ? 'int' : null;
    case 'int0':
    case 'int':
      if (state === 'int' && isDigit(c)) return 'int';
      return c === '.' ? 'dot' : c === 'e' || c === 'E' ? 'e' : null;
    case 'dot':
      return isDigit(c) ? 'frac' : null;
    case 'frac':
      return isDigit(c) ? 'frac' : c === 'e' || c === 'E' ? 'e' : null;
    case 'e':
      return c === '+' || c === '-' ? 'esign' : isDigit(c) ? 'exp' : null;
    case 'esign':
    case 'exp':
      return isDigit(c) ? 'exp' : null;
  }
}

const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};
const WORDS: Record<string, 'true' | 'false' | 'null'> = { t: 'true', f: 'false', n: 'null' };
const WORD_VALUES = { true: true, false: false, null: null } as const;
const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\r' || c === '\t';
const HEX = /^[0-9a-fA-F]$/;

/** Sets a member as JSON.parse would: `__proto__` becomes an own property, never the prototype. */
function setMember(container: Container, key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
  else (container as Record<string | number, unknown>)[key] = value;
}

function show(c: string): string {
  return c === '"' ? "'\"'" : JSON.stringify(c);
}

/**
 * An incremental JSON parser: `push` the text as it arrives, read `value` at any moment.
 *
 * `value` is the live tree, mutated in place by later pushes (containers keep their identity; an
 * open string or number is re-assigned to its slot at the end of each push). Treat it as
 * read-only; `structuredClone(parser.value)` gives a snapshot.
 */
export class PartialJsonParser {
  #stack: Frame[] = [];
  #token: Token = { kind: 'none' };
  #root: unknown = undefined;
  #hasRoot = false;
  #rootDone = false;
  #position = 0;
  #error: JsonError | null = null;
  #ops = 0;

  /** The best current value; undefined until a value has begun. The live tree (see the class). */
  get value(): unknown {
    return this.#root;
  }
  /** The whole document has been read (and only whitespace may follow). */
  get done(): boolean {
    return this.#rootDone && this.#error === null;
  }
  get error(): JsonError | null {
    return this.#error;
  }
  /** Characters received so far. */
  get length(): number {
    return this.#position;
  }
  /**
   * Characters the parser has examined, all pushes together: each received character once, plus
   * the digits of a number re-read when a push ends inside it. The cost measure of `push`.
   */
  get operations(): number {
    return this.#ops;
  }

  /**
   * The value being filled now, as keys and indexes from the root: `["cities", 1, "name"]` while
   * that name's string arrives; the container's own path between its members; `[]` when done.
   */
  get path(): JsonPath {
    if (this.#rootDone) return [];
    const path: JsonPath = [];
    const last = this.#stack.length - 1;
    this.#stack.forEach((frame, i) => {
      const isObject = !Array.isArray(frame.container);
      const filling =
        i < last ||
        frame.expect === 'value' ||
        this.#token.kind === 'number' ||
        this.#token.kind === 'literal' ||
        (this.#token.kind === 'string' && !this.#token.isKey);
      if (!filling) return;
      if (isObject) {
        if (frame.key !== null) path.push(frame.key);
      } else path.push(frame.index);
    });
    return path;
  }

  /** Reads the next piece of the document. Ignored after an error. */
  push(delta: string): void {
    if (this.#error) return;
    let i = 0;
    while (i < delta.length && !this.#error) {
      const token = this.#token;
      if (token.kind === 'string' && token.escape === '') {
        // A run of plain characters is read in one slice.
        let j = i;
        while (j < delta.length) {
          const c = delta.charCodeAt(j);
          if (c === 34 /* " */ || c === 92 /* \ */ || c < 0x20) break;
          j++;
        }
        this.#ops += j - i;
        if (j > i) token.text += delta.slice(i, j);
        this.#position += j - i;
        i = j;
        if (i === delta.length) break;
      }
      this.#ops++;
      this.#char(delta[i] as string);
      this.#position++;
      i++;
    }
    this.#commitOpenToken();
  }

  /** Says the document has ended: completes a top-level number, or reports what is missing. */
  end(): void {
    if (this.#error || this.#rootDone) return;
    const token = this.#token;
    if (this.#stack.length === 0 && token.kind === 'number' && ACCEPTING.has(token.state)) {
      this.#endNumber(token);
      return;
    }
    this.#fail(
      this.#position,
      this.#hasRoot || token.kind !== 'none'
        ? 'Unexpected end of JSON: the document is not finished'
        : 'No JSON value',
    );
  }

  #fail(position: number, message: string): void {
    this.#error = { position, message };
  }

  #unexpected(c: string): void {
    this.#fail(this.#position, `Unexpected character ${show(c)} at position ${this.#position}`);
  }

  /** Puts a value into the slot being filled: the root, an object's member or an array's element. */
  #place(value: unknown): void {
    const frame = this.#stack.at(-1);
    if (!frame) {
      this.#root = value;
      this.#hasRoot = true;
    } else if (Array.isArray(frame.container)) setMember(frame.container, frame.index, value);
    else setMember(frame.container, frame.key as string, value);
  }

  /** The slot's value is complete: the container now awaits a comma or its end. */
  #valueDone(): void {
    this.#token = { kind: 'none' };
    const frame = this.#stack.at(-1);
    if (frame) frame.expect = 'comma';
    else this.#rootDone = true;
  }

  /** An open string or number shows as far as it goes, once per push. */
  #commitOpenToken(): void {
    const token = this.#token;
    if (token.kind === 'string' && !token.isKey) this.#place(token.text);
    else if (token.kind === 'number' && token.valid > 0) {
      this.#ops += token.valid;
      this.#place(Number(token.text.slice(0, token.valid)));
    }
  }

  #endNumber(token: Extract<Token, { kind: 'number' }>): void {
    this.#place(Number(token.text));
    this.#valueDone();
  }

  #char(c: string): void {
    const token = this.#token;
    switch (token.kind) {
      case 'string':
        return this.#stringChar(token, c);
      case 'number': {
        const next = nextNumberState(token.state, c);
        if (next) {
          token.text += c;
          token.state = next;
          if (ACCEPTING.has(next)) token.valid = token.text.length;
          return;
        }
        if (!ACCEPTING.has(token.state)) return this.#unexpected(c);
        this.#endNumber(token);
        return this.#structural(c); // the character that ended the number is read as usual
      }
      case 'literal':
        if (c !== token.word[token.read]) return this.#unexpected(c);
        if (++token.read === token.word.length) {
          this.#place(WORD_VALUES[token.word]);
          this.#valueDone();
        }
        return;
      case 'none':
        return this.#structural(c);
    }
  }

  #stringChar(token: Extract<Token, { kind: 'string' }>, c: string): void {
    if (token.escape === '\\') {
      if (c === 'u') {
        token.escape = 'u';
        token.hex = '';
        return;
      }
      const escaped = ESCAPES[c];
      if (escaped === undefined)
        return this.#fail(this.#position, `Bad escape \\${c} at position ${this.#position}`);
      token.text += escaped;
      token.escape = '';
      return;
    }
    if (token.escape === 'u') {
      if (!HEX.test(c)) return this.#fail(this.#position, `Bad \\u escape at position ${this.#position}`);
      token.hex += c;
      if (token.hex.length === 4) {
        // A surrogate pair split across escapes joins by itself: JS strings are UTF-16 units.
        token.text += String.fromCharCode(parseInt(token.hex, 16));
        token.escape = '';
      }
      return;
    }
    if (c === '\\') token.escape = '\\';
    else if (c === '"') {
      if (token.isKey) {
        const frame = this.#stack.at(-1) as Frame;
        frame.key = token.text;
        frame.expect = 'colon';
        this.#token = { kind: 'none' };
      } else {
        this.#place(token.text);
        this.#valueDone();
      }
    } else this.#fail(this.#position, `Control character in a string at position ${this.#position}`);
  }

  /** A character between tokens: whitespace, punctuation, or the start of a value or key. */
  #structural(c: string): void {
    if (isSpace(c)) return;
    const frame = this.#stack.at(-1);
    if (this.#rootDone)
      return this.#fail(this.#position, `Unexpected data after the JSON value at position ${this.#position}`);
    if (!frame) return this.#beginValue(c);
    const isObject = !Array.isArray(frame.container);
    switch (frame.expect) {
      case 'first-key':
      case 'key':
        if (c === '"') {
          this.#token = { kind: 'string', isKey: true, text: '', escape: '', hex: '' };
          return;
        }
        if (c === '}' && frame.expect === 'first-key') return this.#close();
        return this.#unexpected(c);
      case 'colon':
        if (c !== ':') return this.#unexpected(c);
        frame.expect = 'value';
        return;
      case 'first-value':
        if (c === ']') return this.#close();
        return this.#beginValue(c);
      case 'value':
        return this.#beginValue(c);
      case 'comma':
        if (c === ',') {
          if (isObject) {
            frame.expect = 'key';
            frame.key = null;
          } else {
            frame.expect = 'value';
            frame.index++;
          }
          return;
        }
        if (c === (isObject ? '}' : ']')) return this.#close();
        return this.#unexpected(c);
    }
  }

  #beginValue(c: string): void {
    if (c === '{' || c === '[') {
      const container: Container = c === '{' ? {} : [];
      this.#place(container);
      this.#stack.push({ container, expect: c === '{' ? 'first-key' : 'first-value', key: null, index: 0 });
      return;
    }
    if (c === '"') {
      this.#token = { kind: 'string', isKey: false, text: '', escape: '', hex: '' };
      return;
    }
    if (c === '-' || isDigit(c)) {
      const state: NumberState = c === '-' ? 'sign' : c === '0' ? 'int0' : 'int';
      this.#token = { kind: 'number', text: c, state, valid: ACCEPTING.has(state) ? 1 : 0 };
      return;
    }
    const word = WORDS[c];
    if (word) {
      this.#token = { kind: 'literal', word, read: 1 };
      return;
    }
    this.#unexpected(c);
  }

  #close(): void {
    this.#stack.pop();
    this.#valueDone();
  }
}

/** The longest prefix of a JSON number's text that is itself a valid number. */
const NUMBER_PREFIX = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/;

/**
 * Heals a partial JSON document into a complete one by scanning all of it: closes an open string
 * (dropping an unfinished escape), cuts a number to its valid prefix, drops a dangling key, comma
 * or unfinished literal, and closes the open containers. Undefined when nothing can be shown yet.
 */
export function healJson(buffer: string): string | undefined {
  /** The open containers' openers, innermost last (a string, so keeping a copy is free). */
  let stack = '';
  /** End of the last complete value or opening bracket, and the open containers at that point. */
  let cut = -1;
  let cutStack = '';
  let inString = false;
  let stringIsKey = false;
  /** Inside a string: 0 plain, 1 just after a backslash, 2..5 inside \u with 0..3 hex digits read. */
  let escape = 0;
  let escapeStart = 0;
  /** Whether the next string in the innermost object is a key. */
  let keyNext = false;
  let numberStart = -1;
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer.charCodeAt(i);
    if (inString) {
      if (escape === 1) escape = c === 117 /* u */ ? 2 : 0;
      else if (escape > 1) escape = escape === 5 ? 0 : escape + 1;
      else if (c === 92 /* \ */) {
        escape = 1;
        escapeStart = i;
      } else if (c === 34 /* " */) {
        inString = false;
        if (!stringIsKey) {
          cut = i + 1;
          cutStack = stack;
        }
      }
      continue;
    }
    if (numberStart >= 0) {
      // Digits, '.', 'e', 'E', '+', '-'
      if ((c >= 48 && c <= 57) || c === 46 || c === 101 || c === 69 || c === 43 || c === 45) continue;
      numberStart = -1;
      cut = i;
      cutStack = stack;
    }
    if (c === 34) {
      inString = true;
      stringIsKey = keyNext;
      keyNext = false;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      stack += c === 123 ? '}' : ']';
      keyNext = c === 123;
      cut = i + 1;
      cutStack = stack;
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      stack = stack.slice(0, -1);
      keyNext = false;
      cut = i + 1;
      cutStack = stack;
    } else if (c === 44 /* , */) keyNext = stack.endsWith('}');
    else if (c === 45 || (c >= 48 && c <= 57)) numberStart = i;
    else if (c === 101 /* e */ || c === 108 /* l */) {
      // The last letter of true, false or null: the literal is complete.
      const word = buffer.slice(Math.max(0, i - 4), i + 1);
      if (word.endsWith('true') || word === 'false' || word.endsWith('null')) {
        cut = i + 1;
        cutStack = stack;
      }
    }
  }
  const closers = (openers: string) => [...openers].reverse().join('');
  if (inString && !stringIsKey)
    return `${buffer.slice(0, escape ? escapeStart : buffer.length)}"${closers(stack)}`;
  if (!inString && numberStart >= 0) {
    const prefix = NUMBER_PREFIX.exec(buffer.slice(numberStart))?.[0];
    if (prefix) return `${buffer.slice(0, numberStart)}${prefix}${closers(stack)}`;
  }
  return cut < 0 ? undefined : `${buffer.slice(0, cut)}${closers(cutStack)}`;
}

/**
 * The naive approach: heal the whole buffer and `JSON.parse` it, every time. Undefined when the
 * healed text is not valid JSON (or nothing can be shown yet). O(buffer) per call.
 */
export function naiveParse(buffer: string): unknown {
  const healed = healJson(buffer);
  if (healed === undefined) return undefined;
  try {
    return JSON.parse(healed) as unknown;
  } catch {
    return undefined;
  }
}
