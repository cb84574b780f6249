import { render, screen, waitFor, within } from '@testing-library/svelte';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lab } from '../../src/labs/basic-streaming/lab';
import ReasoningLane from '../../src/lib/components/ReasoningLane.svelte';
import StreamLab from '../../src/lib/components/StreamLab.svelte';
import { appContext } from '../../src/lib/state/context';
import { RequestFormState } from '../../src/lib/state/request-form.svelte';
import { RunState } from '../../src/lib/state/run.svelte';
import { RunsState } from '../../src/lib/state/runs.svelte';
import { SettingsState } from '../../src/lib/state/settings.svelte';
import { ANSWER_TEXT, REASONING_TEXT, startServer, type TestServer } from '../server/sse-server';
import { dialectFor } from '../../src/lib/engine/dialect';

describe('ReasoningLane', () => {
  it('shows the reasoning in a region named Reasoning, open while it streams', () => {
    render(ReasoningLane, { text: 'First, the user wants', streaming: true });
    const lane = screen.getByRole('region', { name: 'Reasoning' });
    expect(lane).toHaveTextContent('First, the user wants');
    expect(lane).toBeVisible();
    expect(lane.closest('details')).toHaveAttribute('open');
    expect(screen.getByText(/Reasoning · 21 chars/)).toBeInTheDocument();
  });

  it('shows hostile reasoning as text: no element is ever made from it', () => {
    const hostile = '<img src=x onerror=alert(1)> **not bold** <script>alert(2)</script>';
    const { container } = render(ReasoningLane, { text: hostile, streaming: false });
    const lane = screen.getByRole('region', { name: 'Reasoning' });
    expect(lane).toHaveTextContent(hostile, { normalizeWhitespace: false });
    expect(container.querySelector('img, script, strong')).toBeNull();
  });

  it('says how long the model reasoned once the reasoning is over', () => {
    render(ReasoningLane, { text: 'Hmm.', firstMs: 200, lastMs: 3400, streaming: false });
    expect(screen.getByText(/reasoned for 3\.2 s/)).toBeInTheDocument();
  });

  it('follows the text as it grows', async () => {
    const { rerender } = render(ReasoningLane, { text: 'Step 1', streaming: true });
    await rerender({ text: 'Step 1. Step 2', streaming: true });
    expect(screen.getByRole('region', { name: 'Reasoning' })).toHaveTextContent('Step 1. Step 2');
  });

  it('starts collapsed in history, as a group named Reasoning rather than a region', () => {
    render(ReasoningLane, { text: 'Old thoughts', open: false, region: false });
    expect(screen.queryByRole('region', { name: 'Reasoning' })).toBeNull();
    const group = screen.getByRole('group', { name: 'Reasoning' });
    expect(group).not.toHaveAttribute('open');
    expect(within(group).getByText('Old thoughts')).not.toBeVisible();
  });
});

describe('the reasoning lane in a lab', () => {
  let server: TestServer;
  const KEY = 'sk-test-component-0123456789';
  beforeAll(async () => {
    server = await startServer({ keys: [KEY] });
  });
  afterAll(() => server.close());

  it('streams the reasoning above Output, never inside it, and the answer into Output only', async () => {
    const settings = new SettingsState();
    const run = new RunState(lab.id);
    const form = new RequestFormState(
      lab,
      () => 'reasoning-content',
      () => dialectFor('custom', 'reasoning-content'),
    );
    render(StreamLab, { context: appContext(settings, new RunsState()), props: { lab, run, form } });
    const connection = { baseURL: server.baseURL, apiKey: KEY, fetch, maxRetries: 0, stallMs: 60_000 };

    const gate = server.hold('reasoned');
    const done = run.start(form.request, connection);
    await gate.reached;
    const lane = await screen.findByRole('region', { name: 'Reasoning' });
    await waitFor(() => expect(lane).toHaveTextContent(REASONING_TEXT));
    const output = screen.getByRole('region', { name: 'Output' });
    expect(output).not.toHaveTextContent('PONDER');

    gate.release();
    await done;
    await waitFor(() => expect(output).toHaveTextContent(ANSWER_TEXT));
    expect(output).not.toHaveTextContent('PONDER');
    expect(output.contains(lane)).toBe(false);
    expect(lane.compareDocumentPosition(output) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Reasoning' })).toHaveTextContent(REASONING_TEXT);
  });
});
