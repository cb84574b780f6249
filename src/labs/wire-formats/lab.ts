import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'wire-formats',
  title: 'Two wire formats',
  concept: [
    'OpenAI-compatible servers stream in one of two formats. Chat Completions (`POST /chat/completions`) sends one `chat.completion.chunk` object per frame: each carries a small `delta` (a role, some text, a piece of tool-call arguments, a finish_reason) and the stream ends with `data: [DONE]`. The Responses API (`POST /responses`) sends typed events instead: every frame has an `event:` line naming its type and a `sequence_number` counting from 0.',
    'Responses describes the answer as a tree: the response holds output items (a message, a reasoning item, a function call), a message holds content parts, and text arrives as `response.output_text.delta` events addressed to one item and part. Each item and part is announced (`…added`) before its deltas and closed (`…done`) after them, and the done events repeat the full text, so a client that missed a delta can still rebuild the answer. The sequence numbers let a client notice a lost or reordered event, and let a dropped background response be picked up where it broke off.',
    'All that structure costs bytes: the same answer takes more frames and more bytes on the Responses wire, and more of its frames carry no text at all. Use Responses where you need what only it has — OpenAI’s reasoning summaries, background responses you can resume, built-in tools. Use Chat Completions where you need reach: it is what every OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, OpenRouter …) speaks.',
  ],
  defaultPrompt:
    'Explain in three sentences why a streamed answer can be resumed after a dropped connection.',
  maxTokens: 200,
};
