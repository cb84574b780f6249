/** Two wire formats: steps, and a check over what the learner's two runs cost on the wire. */
import { plural, type GuideCheck, type LabGuide } from '../../lib/components/guide';
import type { WireCost } from './cost';

export const steps = [
  'Press Run: the same prompt goes to `/chat/completions` and to `/responses` at once.',
  'On the Responses timeline, follow the message from `output_item.added` through its deltas to `output_item.done`, then find the same events in its wire inspector.',
  'Set "Cut after (events)" and press "Cut and resume": the Chat Completions answer stays cut, the Responses answer picks up after its last [[sequence_number]].',
] as const;

/** Both sides of a finished comparison; null for a side that did not complete. */
export interface WireFormatFacts {
  chat: WireCost | null;
  responses: WireCost | null;
}

export function check({ chat, responses }: WireFormatFacts): GuideCheck | null {
  if (!chat || !responses || !chat.chars || !responses.chars) return null;
  return {
    question: `Chat Completions sent its ${plural(chat.chars, 'character')} in ${plural(chat.frames, 'frame')} and ${plural(chat.bytes, 'byte')}; Responses sent ${plural(responses.chars, 'character')} in ${plural(responses.frames, 'frame')} and ${plural(responses.bytes, 'byte')}. Where do the extra frames and bytes go?`,
    why: 'Responses wraps the same text in typed [[event type]]s: the response is announced (created, in progress) and closed (completed, with the whole response object again), each output item and content part is announced and closed, and the done events repeat the full text. Every delta also names its item, output index, content index and [[sequence_number]]. That structure is what lets a client follow items, notice lost events and resume a [[background response]]; it is paid for in bytes on every answer.',
  };
}

export const guide: LabGuide<WireFormatFacts> = { steps, check };
