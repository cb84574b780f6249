/**
 * The Two wire formats lab's pure pieces: the Responses event lifecycle read from a real wire log,
 * the wire cost of a run, the seam of a resumed answer, why a stream could not be resumed, and
 * the guide's check.
 */
import { describe, expect, it } from 'vitest';
import { wireCost } from '../../src/labs/wire-formats/cost';
import { check, steps } from '../../src/labs/wire-formats/guide';
import { lifecycle, shortId } from '../../src/labs/wire-formats/lifecycle';
import { seam, unresumable } from '../../src/labs/wire-formats/seam';
import { GLOSSARY } from '../../src/lib/glossary';
import { WireLog } from '../../src/lib/engine/wire';

const bytes = (s: string) => new TextEncoder().encode(s);
let seq = 0;
/** One Responses event as the wire carries it. */
const ev = (type: string, fields: Record<string, unknown> = {}) =>
  `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...fields })}\n\n`;

/** A wire log holding `reads`, the i-th read arriving at `10 * (i + 1)` ms. */
function logOf(reads: string[]): WireLog {
  const log = new WireLog();
  log.begin();
  reads.forEach((r, i) => log.record(10 * (i + 1), bytes(r)));
  return log;
}

/** A reasoning item then a message with two text deltas, as OpenAI streams them. */
function reasoningThenText(): WireLog {
  seq = 0;
  const msg = { item_id: 'msg_0123456789abcdef', output_index: 1, content_index: 0 };
  const rs = { item_id: 'rs_1', output_index: 0, summary_index: 0 };
  return logOf([
    ev('response.created', { response: { id: 'resp_1', status: 'in_progress' } }) +
      ev('response.in_progress', { response: { id: 'resp_1' } }),
    ev('response.output_item.added', {
      output_index: 0,
      item: { id: 'rs_1', type: 'reasoning', summary: [] },
    }) + ev('response.reasoning_summary_part.added', { ...rs, part: { type: 'summary_text', text: '' } }),
    ev('response.reasoning_summary_text.delta', { ...rs, delta: 'Think' }),
    ev('response.reasoning_summary_text.done', { ...rs, text: 'Think' }) +
      ev('response.reasoning_summary_part.done', rs) +
      ev('response.output_item.done', { output_index: 0, item: { id: 'rs_1', type: 'reasoning' } }) +
      ev('response.output_item.added', {
        output_index: 1,
        item: { id: msg.item_id, type: 'message', content: [] },
      }) +
      ev('response.content_part.added', { ...msg, part: { type: 'output_text', text: '' } }),
    ev('response.output_text.delta', { ...msg, delta: 'Hel' }),
    ev('response.output_text.delta', { ...msg, delta: 'lo' }) + ev('response.future_thing', { x: 1 }),
    ev('response.output_text.done', { ...msg, text: 'Hello' }) +
      ev('response.content_part.done', msg) +
      ev('response.output_item.done', { output_index: 1, item: { id: msg.item_id } }) +
      ev('response.completed', { response: { id: 'resp_1', status: 'completed' } }),
  ]);
}

describe('lifecycle', () => {
  it('puts the response first and last on the axis, each item with its parts, marks and delta bands', () => {
    const life = lifecycle(reasoningThenText().frames);
    expect(life.created).toBe(10);
    expect(life.end).toEqual({ t: 70, name: 'completed' });
    expect(life.lastMs).toBe(70);
    expect(life.rows.map((r) => [r.key, r.label, r.depth])).toEqual([
      ['0', 'reasoning rs_1', 0],
      ['0.s0', 'summary_text, summary part 0', 1],
      ['1', 'message msg_0123…cdef', 0],
      ['1.c0', 'output_text, part 0', 1],
    ]);
    const text = life.rows[3]!;
    expect(text.deltas).toEqual({ count: 2, first: 50, last: 60 });
    expect(text.marks).toEqual([
      { t: 40, name: 'content_part.added' },
      { t: 70, name: 'output_text.done' },
      { t: 70, name: 'content_part.done' },
    ]);
    expect(life.rows[2]!.marks.map((m) => m.name)).toEqual(['output_item.added', 'output_item.done']);
    expect(life.rows[2]!.deltas).toBeNull();
  });

  it('lists every event in order for the text alternative, a run of deltas on one row as one entry', () => {
    const life = lifecycle(reasoningThenText().frames);
    const list = life.entries.map((e) => `${e.seq} ${e.type}${e.count > 1 ? ` ×${e.count}` : ''}`);
    expect(list).toEqual([
      '0 response.created',
      '1 response.in_progress',
      '2 response.output_item.added',
      '3 response.reasoning_summary_part.added',
      '4 response.reasoning_summary_text.delta',
      '5 response.reasoning_summary_text.done',
      '6 response.reasoning_summary_part.done',
      '7 response.output_item.done',
      '8 response.output_item.added',
      '9 response.content_part.added',
      '10 response.output_text.delta ×2',
      '12 response.future_thing',
      '13 response.output_text.done',
      '14 response.content_part.done',
      '15 response.output_item.done',
      '16 response.completed',
    ]);
    expect(life.entries.find((e) => e.count === 2)).toMatchObject({ t: 50, until: 60, row: '1.c0' });
  });

  it('ends on incomplete, failed or an error event, and survives frames that are not JSON', () => {
    seq = 0;
    const cut = lifecycle(
      logOf([
        ev('response.created') + 'event: response.output_text.delta\ndata: {not json\n\n',
        ev('error', { code: 'server_error', message: 'boom' }) + ev('response.failed'),
      ]).frames,
    );
    expect(cut.end).toEqual({ t: 20, name: 'error' });
    expect(cut.rows).toEqual([]);
    seq = 0;
    expect(lifecycle(logOf([ev('response.incomplete')]).frames).end?.name).toBe('incomplete');
  });

  it('draws nothing for a Chat Completions stream (no event types)', () => {
    const life = lifecycle(
      logOf(['data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: [DONE]\n\n']).frames,
    );
    expect(life.entries).toEqual([]);
    expect(life.rows).toEqual([]);
  });

  it('shortens long ids and keeps short ones', () => {
    expect(shortId('resp_68b1f0c2a7d08190a1b2c3d4')).toBe('resp_68b…c3d4');
    expect(shortId('msg_1')).toBe('msg_1');
  });
});

describe('wireCost', () => {
  it('counts frames, bytes and text frames from the log, and derives the ratios', () => {
    const reads = ['data: {"a":1}\n\n', 'data: {"b":2}\n\ndata: {"c":3}\n\n', 'data: [DONE]\n\n'];
    const log = logOf(reads);
    const cost = wireCost(log, [
      { t: 20, text: 'Hel', sdkChunk: 1 },
      { t: 20, text: 'lo', sdkChunk: 2 },
      { t: 20, text: '', sdkChunk: 0 },
    ]);
    expect(cost).toEqual({
      frames: 4,
      bytes: reads.join('').length,
      textFrames: 2,
      chars: 5,
      firstTextMs: 20,
      lastByteMs: 30,
      bytesPerChar: reads.join('').length / 5,
      textShare: 0.5,
    });
  });

  it('leaves what is not known yet empty', () => {
    expect(wireCost(new WireLog(), [])).toMatchObject({
      frames: 0,
      bytes: 0,
      firstTextMs: null,
      lastByteMs: null,
      bytesPerChar: null,
      textShare: null,
    });
  });
});

describe('seam', () => {
  const chunks = [
    { t: 100, text: 'The ' },
    { t: 150, text: 'first ' },
    { t: 900, text: 'and the ' },
    { t: 950, text: 'rest.' },
  ];

  it('splits the text where the first connection ended and measures the gap on the shared axis', () => {
    expect(seam(chunks, 2)).toEqual({
      before: 'The first ',
      after: 'and the rest.',
      beforeSpan: { from: 100, to: 150 },
      afterSpan: { from: 900, to: 950 },
      gapMs: 750,
    });
  });

  it('has no gap until the resumed connection brings text', () => {
    expect(seam(chunks.slice(0, 2), 2)).toMatchObject({ after: '', afterSpan: null, gapMs: null });
    expect(seam(chunks, 0)).toMatchObject({ before: '', beforeSpan: null, gapMs: null });
  });
});

describe('unresumable', () => {
  it('says in words why a cut Responses stream cannot be resumed', () => {
    expect(unresumable({ kind: 'bad_request', status: 400 }, false, 12)).toContain(
      'refused `background: true`',
    );
    expect(unresumable({ kind: 'not_found', status: 404 }, false, 12)).toContain('no `/responses` route');
    expect(unresumable({ kind: 'network' }, false, 12)).toContain('before a response id');
    expect(unresumable(null, true, 12)).toContain('within 12 events');
    expect(unresumable(null, false, 12)).toBeNull();
  });
});

describe('guide check', () => {
  it('asks about the learner’s own frames and bytes once both sides completed with text', () => {
    const chat = wireCost(logOf(['data: {"a":1}\n\n', 'data: [DONE]\n\n']), [
      { t: 10, text: 'Hi', sdkChunk: 0 },
    ]);
    seq = 0;
    const responses = wireCost(logOf([ev('response.created'), ev('response.output_text.delta')]), [
      { t: 20, text: 'Hi', sdkChunk: 1 },
    ]);
    const c = check({ chat, responses });
    expect(c?.question).toContain(`2 characters in 2 frames and ${chat.bytes} bytes`);
    expect(c?.question).toContain(`in 2 frames and ${responses.bytes} bytes`);
    expect(check({ chat, responses: null })).toBeNull();
    const terms = [...steps, c!.question, c!.why].flatMap((t) =>
      [...t.matchAll(/\[\[([^\]|]+)/g)].map((m) => m[1]),
    );
    expect(terms).toEqual(expect.arrayContaining(['sequence_number', 'event type', 'background response']));
    for (const term of terms) expect(GLOSSARY).toHaveProperty([term!]);
  });
});
