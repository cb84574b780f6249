/** The tabs, in the order a learner meets them. */
import type { Component } from 'svelte';
import BasicStreaming from './basic-streaming/BasicStreaming.svelte';
import Chat from './chat/Chat.svelte';
import Compare from './compare/Compare.svelte';
import EarlyStop from './early-stop/EarlyStop.svelte';
import Generate from './generate/Generate.svelte';
import LiveMarkdown from './live-markdown/LiveMarkdown.svelte';
import TokenStats from './token-stats/TokenStats.svelte';
import WordDetection from './word-detection/WordDetection.svelte';
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
  component: Component;
}

export const LABS: readonly LabEntry[] = [
  { info: generate, component: Generate },
  { info: compare, component: Compare },
  { info: basic, component: BasicStreaming },
  { info: liveMarkdown, component: LiveMarkdown },
  { info: wordDetection, component: WordDetection },
  { info: earlyStop, component: EarlyStop },
  { info: tokenStats, component: TokenStats },
  { info: chat, component: Chat },
];

export const DEFAULT_LAB = 'generate';

export function labFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return LABS.some((l) => l.info.id === id) ? id : DEFAULT_LAB;
}
