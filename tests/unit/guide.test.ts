import { describe, expect, it } from 'vitest';
import { check as basicCheck } from '../../src/labs/basic-streaming/guide';
import { check as chatCheck } from '../../src/labs/chat/guide';
import { check as compareCheck } from '../../src/labs/compare/guide';
import { check as earlyStopCheck } from '../../src/labs/early-stop/guide';
import { check as liveMarkdownCheck, redrawCost } from '../../src/labs/live-markdown/guide';
import { check as raceCheck } from '../../src/labs/model-race/guide';
import { GUIDE_STEPS } from '../../src/labs/recap/recap';
import { check as tokenStatsCheck } from '../../src/labs/token-stats/guide';
import { check as wordCheck, splitWords } from '../../src/labs/word-detection/guide';
import { LABS } from '../../src/labs';
import { GLOSSARY } from '../../src/lib/glossary';
import type { RunFacts } from '../../src/lib/components/guide';
import { memoryStorage } from '../../src/lib/storage/store';
import { loadProgress, saveProgress } from '../../src/lib/storage/progress';

const run = (facts: Partial<RunFacts> = {}): RunFacts => ({
  status: 'done',
  ttftMs: 420,
  e2eMs: 2550,
  chunks: 6,
  allChunks: 9,
  chars: 30,
  tokens: 14,
  tokensEstimated: false,
  usage: true,
  finishReason: 'stop',
  chunkTexts: ['Ne', 'ural nets', ' learn by train', 'ing', ' on data', '.'],
  maxTokens: 200,
  toolCalls: 0,
  reasoningChunks: 0,
  ...facts,
});

describe('guide checks', () => {
  it('Compare asks about the learner own first-text and total times', () => {
    const c = compareCheck({ wholeMs: 2550, streamFirstMs: 420, streamTotalMs: 2600 });
    expect(c?.question).toContain('0.42 s streaming instead of 2.55 s');
    expect(c?.question).toContain('2.60 s and 2.55 s');
    expect(compareCheck({ wholeMs: 2550, streamFirstMs: null, streamTotalMs: null })).toBeNull();
  });

  it('Word detection shows each watch word split across chunks, with the chunk numbers', () => {
    const texts = ['Ne', 'ural nets', ' learn by train', 'ing', ' on data', '.'];
    expect(splitWords(texts, ['neural', 'training', 'data'])).toEqual([
      { word: 'neural', pieces: ['Ne', 'ural'], from: 1, to: 2 },
      { word: 'training', pieces: ['train', 'ing'], from: 3, to: 4 },
    ]);
    expect(splitWords(['lea', 'rn', 'ing'], ['learning'])[0]?.pieces).toEqual(['lea', 'rn', 'ing']);
    expect(wordCheck(run(), ['neural'])?.question).toContain('Ne|ural, chunks 1–2');
    expect(wordCheck(run(), ['data'])?.question).toContain('None of your watch words was split');
    expect(wordCheck(run({ status: 'running' }), ['neural'])).toBeNull();
  });

  it('Token stats contrasts the learner chunks with their tokens', () => {
    expect(tokenStatsCheck(run())?.question).toContain(
      '6 chunks with text but 14 tokens (from the usage chunk)',
    );
    expect(tokenStatsCheck(run({ usage: false, tokensEstimated: true }))?.question).toContain('estimated');
  });

  it('Early stop says where the phrase completed, what was kept, and how much room was left', () => {
    const c = earlyStopCheck(run({ status: 'stopped' }), {
      stopChunk: 4,
      savedChars: 20,
      receivedChars: 23,
      receivedTokens: 7,
    });
    expect(c?.question).toContain('completed in chunk 4');
    expect(c?.question).toContain('kept 20 of 23 characters');
    expect(c?.question).toContain('about 193 of them');
    expect(
      earlyStopCheck(run(), { stopChunk: null, savedChars: 0, receivedChars: 0, receivedTokens: null }),
    ).toBeNull();
  });

  it('Basic streaming counts the chunks that carried no text', () => {
    expect(basicCheck(run())?.question).toContain('parsed 9 chunks, but only 6 carried text');
  });

  it('Live markdown prices the redraw loop, and explains a cut-off answer instead when it happened', () => {
    expect(redrawCost(['ab', 'cd', 'e'])).toBe(2 + 4 + 5);
    expect(liveMarkdownCheck(run())?.question).toContain(`parses ${redrawCost(run().chunkTexts)} characters`);
    expect(liveMarkdownCheck(run({ finishReason: 'length' }))?.question).toContain('"length"');
  });

  it('Chat counts the messages the last request sent', () => {
    expect(chatCheck({ turns: 4, system: true, lastTtftMs: 300, replying: false })?.question).toContain(
      'sent 4 messages',
    );
    expect(chatCheck({ turns: 1, system: true, lastTtftMs: null, replying: true })).toBeNull();
  });

  it('every lab with a Run has two or three steps, and every [[term]] they use is in the glossary', () => {
    for (const lab of LABS.filter((l) => l.info.id !== 'recap')) {
      const steps = GUIDE_STEPS[lab.info.id];
      expect(steps?.length, lab.info.id).toBeGreaterThanOrEqual(2);
      expect(steps?.length, lab.info.id).toBeLessThanOrEqual(3);
      for (const step of steps ?? [])
        for (const [, term] of step.matchAll(/\[\[([^\]|]+)/g)) expect(GLOSSARY).toHaveProperty([term!]);
    }
  });
});

describe('guide text', () => {
  it('links only terms the glossary defines, in steps, checks and the recap', async () => {
    const { BEST_PRACTICES, TAKEAWAYS } = await import('../../src/labs/recap/recap');
    const checks = [
      basicCheck(run()),
      chatCheck({ turns: 4, system: true, lastTtftMs: 300, replying: false }),
      compareCheck({ wholeMs: 2550, streamFirstMs: 420, streamTotalMs: 2600 }),
      earlyStopCheck(run(), { stopChunk: 2, savedChars: 5, receivedChars: 9, receivedTokens: 3 }),
      liveMarkdownCheck(run()),
      liveMarkdownCheck(run({ finishReason: 'length' })),
      tokenStatsCheck(run()),
      wordCheck(run(), ['neural']),
      wordCheck(run(), ['data']),
      ...[1, 10].map((repeat) =>
        raceCheck({
          repeat,
          lanes: [
            { name: 'A', ttftMs: 300, e2eMs: 1400, samples: repeat },
            { name: 'B', ttftMs: 700, e2eMs: 1300, samples: repeat },
          ],
        }),
      ),
      raceCheck({
        repeat: 1,
        lanes: [
          { name: 'A', ttftMs: 300, e2eMs: 1200, samples: 1 },
          { name: 'B', ttftMs: 700, e2eMs: 1300, samples: 1 },
        ],
      }),
    ];
    const texts = [
      ...Object.values(GUIDE_STEPS).flat(),
      ...checks.flatMap((c) => (c ? [c.question, c.why] : [])),
      ...TAKEAWAYS.flatMap((t) => t.points),
      ...BEST_PRACTICES,
    ];
    expect(checks.every(Boolean)).toBe(true);
    for (const text of texts)
      for (const [, term] of text.matchAll(/\[\[([^\]|]+)/g)) expect(GLOSSARY, text).toHaveProperty([term!]);
  });
});

describe('progress record', () => {
  it('round-trips ticks and drops what is malformed', async () => {
    const storage = memoryStorage();
    await saveProgress(storage, { generate: [1, 3], chat: [2] });
    expect(await loadProgress(storage)).toEqual({ generate: [1, 3], chat: [2] });
    await storage.write('progress:guide', 1, { generate: [2, 'x', -1, 2], chat: 'no' });
    expect(await loadProgress(storage)).toEqual({ generate: [2] });
  });
});
