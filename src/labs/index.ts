/** The tabs, in the order a learner meets them. */
import type { Component } from 'svelte';
import BasicStreaming from './basic-streaming/BasicStreaming.svelte';
import { lab as basic } from './basic-streaming/lab';
import { lab as chat } from './chat/lab';
import { lab as compare } from './compare/lab';
import { lab as earlyStop } from './early-stop/lab';
import { lab as generate } from './generate/lab';
import { lab as liveMarkdown } from './live-markdown/lab';
import { lab as tokenStats } from './token-stats/lab';
import { lab as wordDetection } from './word-detection/lab';
import type { LabInfo } from './types';

export interface LabEntry {
  info: LabInfo;
  /** null: not built yet; the tab shows the concept text only. */
  component: Component | null;
}

export const LABS: readonly LabEntry[] = [
  { info: generate, component: null },
  { info: compare, component: null },
  { info: basic, component: BasicStreaming },
  { info: liveMarkdown, component: null },
  { info: wordDetection, component: null },
  { info: earlyStop, component: null },
  { info: tokenStats, component: null },
  { info: chat, component: null },
];

export const DEFAULT_LAB = 'basic-streaming';

export function labFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return LABS.some((l) => l.info.id === id) ? id : DEFAULT_LAB;
}
