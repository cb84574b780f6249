import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import StreamOutput from '../../src/lib/components/StreamOutput.svelte';
import { BLOCK_CHARS, NO_BLOCKS, sealBlocks } from '../../src/lib/markdown/plain-blocks';

describe('StreamOutput', () => {
  it('shows the text with a cursor while running', () => {
    render(StreamOutput, { status: 'running', text: 'Partial answ' });
    const region = screen.getByRole('region', { name: 'Output' });
    expect(region).toHaveTextContent('Partial answ▌');
    expect(region).toHaveAttribute('aria-busy', 'true');
  });

  it('marks a stopped answer incomplete and keeps its text', () => {
    render(StreamOutput, { status: 'stopped', text: 'Half of it' });
    expect(screen.getByRole('region', { name: 'Output' })).toHaveTextContent('Half of it');
    expect(screen.getByText(/Incomplete: stopped/)).toBeInTheDocument();
  });

  it('says nothing about completeness when the stream finished', () => {
    render(StreamOutput, { status: 'done', text: 'All of it' });
    expect(screen.queryByTestId('incomplete')).toBeNull();
  });
});

describe('StreamOutput after a failed run', () => {
  it('says nothing arrived, and points to no text above, when the run failed before any text', () => {
    render(StreamOutput, { status: 'error', text: '' });
    const note = screen.getByTestId('incomplete');
    expect(note).toHaveTextContent(/Nothing arrived/);
    expect(screen.getByRole('region', { name: 'Output' })).not.toHaveTextContent(/text above/);
  });

  it('keeps partial text marked incomplete when the run failed midway', () => {
    render(StreamOutput, { status: 'error', text: 'Half an ans' });
    expect(screen.getByRole('region', { name: 'Output' })).toHaveTextContent('Half an ans');
    expect(screen.getByTestId('incomplete')).toHaveTextContent(/the text above is what arrived/);
  });
});

describe('StreamOutput with a long plain answer', () => {
  const line = (i: number) => `line ${i} ${'w '.repeat(40)}\n`;
  const text = (lines: number) => Array.from({ length: lines }, (_, i) => line(i)).join('');

  it('keeps the text exact and leaves earlier blocks untouched as more arrives', async () => {
    const { rerender } = render(StreamOutput, { status: 'running', text: text(100) });
    const region = screen.getByRole('region', { name: 'Output' });
    const blocks = () => [...region.querySelectorAll('pre > span')];
    const first = blocks();
    // Sealed blocks, each at least BLOCK_CHARS and ending at a line break, then the live tail.
    expect(first.length).toBeGreaterThan(2);
    expect(first[0]!.textContent!.length).toBeGreaterThanOrEqual(BLOCK_CHARS);
    expect(first[0]!.textContent!.endsWith('\n')).toBe(true);
    expect(region.querySelector('pre')!.textContent).toBe(`${text(100)}▌`);

    await rerender({ status: 'running', text: text(200) });
    const after = blocks();
    expect(region.querySelector('pre')!.textContent).toBe(`${text(200)}▌`);
    // The sealed blocks are the same nodes: nothing already sealed was rendered again.
    for (const [i, node] of first.slice(0, -1).entries()) expect(after[i]).toBe(node);
    expect(after.length).toBeGreaterThan(first.length);
  });

  it('starts over when the text does not extend what was sealed (a new run)', async () => {
    const { rerender } = render(StreamOutput, { status: 'running', text: text(100) });
    await rerender({ status: 'running', text: 'Fresh' });
    const pre = screen.getByRole('region', { name: 'Output' }).querySelector('pre')!;
    expect(pre.textContent).toBe('Fresh▌');
  });
});

describe('sealBlocks', () => {
  it('goes on from the last seal, and its blocks joined are the text up to the tail', () => {
    const text = `${'a'.repeat(BLOCK_CHARS)}\n${'b'.repeat(BLOCK_CHARS)}\nc\n${'d'.repeat(10)}`;
    const half = sealBlocks(NO_BLOCKS, text.slice(0, BLOCK_CHARS + 5));
    expect(half.sealed).toEqual([`${'a'.repeat(BLOCK_CHARS)}\n`]);
    const all = sealBlocks(half, text);
    expect(all.sealed[0]).toBe(half.sealed[0]);
    expect(all.sealed.join('')).toBe(all.prefix);
    expect(text.startsWith(all.prefix)).toBe(true);
    expect(all.sealed).toHaveLength(2);
    expect(sealBlocks(all, 'no line breaks at all')).toBe(NO_BLOCKS);
  });

  it('never ends a block with two line breaks: the second starts the next block as its empty line', () => {
    const text = `${'a'.repeat(BLOCK_CHARS)}\n\n${'b'.repeat(BLOCK_CHARS)}\n\n\ntail`;
    const blocks = sealBlocks(NO_BLOCKS, text);
    expect(blocks.sealed).toEqual([`${'a'.repeat(BLOCK_CHARS)}\n`, `\n${'b'.repeat(BLOCK_CHARS)}\n`]);
    expect(text.slice(blocks.prefix.length)).toBe('\n\ntail');
  });

  it('draws a block’s last line break by the block’s end, so copying adds no line', () => {
    const text = `${'a'.repeat(BLOCK_CHARS)}\n${'b'.repeat(10)}`;
    render(StreamOutput, { status: 'done', text });
    const block = screen.getByRole('region', { name: 'Output' }).querySelector('pre > span')!;
    expect(block.firstChild!.textContent).toBe('a'.repeat(BLOCK_CHARS));
    expect(block.querySelector('.eol')!.textContent).toBe('\n');
  });
});
