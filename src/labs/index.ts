/** The tabs, in the order a learner meets them. */
import type { Component } from 'svelte';
import { lab as basic } from './basic-streaming/lab';
import { lab as chat } from './chat/lab';
import { lab as compare } from './compare/lab';
import { lab as earlyStop } from './early-stop/lab';
import { lab as generate } from './generate/lab';
import { lab as liveMarkdown } from './live-markdown/lab';
import { lab as modelRace } from './model-race/lab';
import { lab as recap } from './recap/lab';
import { lab as tokenStats } from './token-stats/lab';
import { lab as tools } from './tools/lab';
import { lab as wireFormats } from './wire-formats/lab';
import { lab as wordDetection } from './word-detection/lab';
import type { LabInfo } from '../lib/lab';

export interface LabEntry {
  info: LabInfo;
  /** Each lab is its own chunk, loaded when its tab is first opened. */
  load: () => Promise<{ default: Component }>;
}

export const LABS: readonly LabEntry[] = [
  { info: generate, load: () => import('./generate/Generate.svelte') },
  { info: compare, load: () => import('./compare/Compare.svelte') },
  { info: basic, load: () => import('./basic-streaming/BasicStreaming.svelte') },
  { info: liveMarkdown, load: () => import('./live-markdown/LiveMarkdown.svelte') },
  { info: wordDetection, load: () => import('./word-detection/WordDetection.svelte') },
  { info: earlyStop, load: () => import('./early-stop/EarlyStop.svelte') },
  { info: tokenStats, load: () => import('./token-stats/TokenStats.svelte') },
  { info: tools, load: () => import('./tools/Tools.svelte') },
  { info: chat, load: () => import('./chat/Chat.svelte') },
  { info: wireFormats, load: () => import('./wire-formats/WireFormats.svelte') },
  // Not a lab: no request, no Run; the takeaways and the learner's progress.
  { info: recap, load: () => import('./recap/Recap.svelte') },
  // Last: the notebook ends by sending the learner on to compare models.
  { info: modelRace, load: () => import('./model-race/Race.svelte') },
];

export const DEFAULT_LAB = 'generate';

export function labFromHash(hash: string): string {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return LABS.some((l) => l.info.id === id) ? id : DEFAULT_LAB;
}
