import { render, screen, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import SharedRace from '../../src/lib/components/SharedRace.svelte';
import type { ExportedRun } from '../../src/lib/run-file/format';
import { raceFile, type BenchmarkSample } from '../../src/lib/run-file/race';
import { appContext } from '../../src/lib/state/context';
import { SettingsState } from '../../src/lib/state/settings.svelte';

function laneRun(text: string, ttft: number, error: ExportedRun['error'] = null): ExportedRun {
  return {
    version: 1,
    lab: 'model-race',
    startedAt: 1,
    request: {
      model: 'm',
      baseURL: 'https://sim/v1',
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
    },
    chunks: text ? [{ t: ttft, text }] : [],
    metrics: {
      ttftMs: text ? ttft : null,
      e2eMs: text ? ttft : null,
      tpotMs: null,
      chunks: text ? 1 : 0,
      chars: text.length,
      promptTokens: 3,
      completionTokens: text ? 4 : null,
      tokensEstimated: false,
      gaps: null,
    },
    usage: text ? { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } : null,
    finishReason: text ? 'stop' : null,
    error,
    text,
  };
}

const profile = (name: string) => ({
  name,
  provider: 'simulator' as const,
  baseURL: 'https://sim/v1',
  model: 'gpt-4o-mini',
  api: 'chat' as const,
});

function samplesOf(lane: number, ttfts: number[]): BenchmarkSample[] {
  return ttfts.map((ttftMs, index) => ({
    lane,
    index,
    ttftMs,
    e2eMs: ttftMs + 500,
    tpotMs: 10,
    decodeRate: 100,
    headersMs: 40,
    tokens: 50,
  }));
}

// jsdom has no layout: the arrival chart's observers get no-op stand-ins (the chart itself is
// tested in real Chromium, tests/e2e/charts.test.ts).
Object.assign(globalThis, {
  ResizeObserver: class {
    observe() {}
    unobserve() {}
    disconnect() {}
  },
  matchMedia: () => ({ matches: false, addEventListener() {}, removeEventListener() {} }),
});

describe('a shared race', () => {
  it('shows each lane, its failure inside the lane, the comparison and the verdicts', () => {
    const file = raceFile(
      'model-race',
      [
        { profile: profile('Fast lane'), run: laneRun('Quick answer', 120) },
        {
          profile: profile('Slow lane'),
          run: laneRun('Late answer', 640),
          price: { inputPerMillion: 1, outputPerMillion: 4 },
        },
        {
          profile: profile('Limited lane'),
          run: laneRun('', 0, { kind: 'rate-limit', title: 'Rate limited (429)', detail: 'Slow down.' }),
        },
      ],
      {
        repeat: 6,
        concurrency: 2,
        samples: [
          ...samplesOf(0, [100, 110, 120, 125, 130, 140]),
          ...samplesOf(1, [600, 610, 640, 650, 660, 700]),
        ],
      },
    );
    render(SharedRace, { props: { race: file.race! }, context: appContext(new SettingsState()) });

    const output = screen.getByRole('region', { name: 'Output' });
    expect(within(output).getByRole('region', { name: 'Fast lane' })).toHaveTextContent('Quick answer');
    expect(within(output).getByRole('region', { name: 'Slow lane' })).toHaveTextContent('Late answer');
    const limited = within(output).getByRole('region', { name: 'Limited lane' }).parentElement!;
    expect(within(limited).getByRole('alert')).toHaveTextContent('Rate limited (429)');

    const table = screen.getByRole('table', { name: 'Lane comparison' });
    const ttft = within(table).getByRole('row', { name: /^TTFT/ });
    expect(ttft).toHaveTextContent('123 ms (95% CI');
    expect(ttft).toHaveTextContent('n 6');
    expect(within(table).getByRole('row', { name: /^cost/ })).toHaveTextContent('$0.000019');

    const verdicts = within(screen.getByRole('list', { name: 'Verdicts' })).getAllByRole('listitem');
    const slowTtft = verdicts.find((v) => v.textContent?.startsWith("Slow lane's median TTFT"));
    expect(slowTtft?.textContent).toMatch(
      /is 523 ms higher than Fast lane's \(95% CI .*\): more than the noise\.$/,
    );
  });
});
