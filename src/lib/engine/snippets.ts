/**
 * "Show code": the `openai` Python and TypeScript code equivalent to a lab's request, so a
 * learner can take what they saw into their own program. The key is never written into code,
 * and the base URL is printed as `publicURL` makes it (no credentials or query secrets).
 * Both print every field of `requestParams` and nothing else: the code shown is the request sent.
 */
import type { ChatRequest } from './types';
import { publicURL } from './endpoint';
import { OPENAI_BASE_URL } from './providers';
import { requestParams } from './request';
import { isReasoningModel } from './models';

export interface SnippetOptions {
  baseURL: string;
  stream: boolean;
  /** Extra loop body lines, per language, for labs that process chunks. */
  pythonLoop?: string[];
  tsLoop?: string[];
}

/** A Python literal for a JSON value; lists of dicts (messages) one item per line. */
function py(v: unknown, indent = '    '): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) {
    if (!v.some((item) => typeof item === 'object' && item !== null))
      return `[${v.map((i) => py(i)).join(', ')}]`;
    const inner = `${indent}    `;
    return `[\n${v.map((item) => `${inner}${py(item, inner)},`).join('\n')}\n${indent}]`;
  }
  if (typeof v === 'object') {
    const entries = Object.entries(v).map(([k, item]) => `${JSON.stringify(k)}: ${py(item, indent)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

/** The keyword arguments of the call: every field of the params the request sends, no other. */
function pyArgs(params: object): string[] {
  return Object.entries(params).map(([key, value]) => `${key}=${py(value)}`);
}

export function pythonSnippet(request: ChatRequest, options: SnippetOptions): string {
  const baseURL = publicURL(options.baseURL);
  const client =
    baseURL === OPENAI_BASE_URL
      ? 'client = OpenAI()  # reads OPENAI_API_KEY from the environment'
      : `client = OpenAI(base_url=${py(baseURL)}, api_key=os.environ.get("OPENAI_API_KEY", "none"))`;
  const params = requestParams(request, options.stream);
  const call = `    ${pyArgs(params).join(',\n    ')},`;
  const head = [
    ...(params.tools?.length && options.stream ? ['import json'] : []),
    'import os',
    'from openai import OpenAI',
    '',
    client,
    '',
  ];
  if (!options.stream) {
    return [
      ...head,
      `response = client.chat.completions.create(\n${call}\n)`,
      'print(response.choices[0].message.content)',
    ].join('\n');
  }
  const loop = options.pythonLoop ?? ['        print(delta, end="", flush=True)'];
  const tools = Boolean(params.tools?.length);
  const reasoning = isReasoningModel(request.model);
  return [
    ...head,
    `stream = client.chat.completions.create(\n${call}\n)`,
    '',
    ...(tools ? ['calls = {}  # index -> {"name": ..., "arguments": ...}: each piece names its call'] : []),
    'for chunk in stream:',
    '    # The usage-only final chunk has no choices.',
    ...(reasoning
      ? [
          '    # Providers that show reasoning stream it apart from the answer (DeepSeek, OpenRouter, vLLM).',
          '    thought = chunk.choices and (getattr(chunk.choices[0].delta, "reasoning_content", None)',
          '                                 or getattr(chunk.choices[0].delta, "reasoning", None))',
          '    if thought:',
          '        print(thought, end="", flush=True)',
        ]
      : []),
    ...(tools
      ? [
          '    for piece in (chunk.choices and chunk.choices[0].delta.tool_calls) or []:',
          '        call = calls.setdefault(piece.index, {"name": "", "arguments": ""})',
          '        if piece.function and piece.function.name:',
          '            call["name"] += piece.function.name',
          '        if piece.function and piece.function.arguments:',
          '            call["arguments"] += piece.function.arguments',
        ]
      : []),
    '    if chunk.choices and chunk.choices[0].delta.content:',
    '        delta = chunk.choices[0].delta.content',
    ...loop,
    ...(params.stream_options?.include_usage
      ? ['    if chunk.usage:', '        print("\\n", chunk.usage)']
      : []),
    ...(tools
      ? [
          '',
          '# Arguments are only valid JSON once the stream has ended.',
          'for index, call in sorted(calls.items()):',
          '    print(index, call["name"], json.loads(call["arguments"]))',
        ]
      : []),
  ].join('\n');
}

export function typescriptSnippet(request: ChatRequest, options: SnippetOptions): string {
  const params = requestParams(request, options.stream);
  const body = JSON.stringify(params, null, 2);
  const baseURL = publicURL(options.baseURL);
  const client =
    baseURL === OPENAI_BASE_URL
      ? 'const client = new OpenAI(); // reads OPENAI_API_KEY'
      : `const client = new OpenAI({ baseURL: ${JSON.stringify(baseURL)}, apiKey: process.env.OPENAI_API_KEY ?? 'none' });`;
  if (!options.stream) {
    return [
      "import OpenAI from 'openai';",
      '',
      client,
      '',
      `const response = await client.chat.completions.create(${body});`,
      'console.log(response.choices[0]?.message.content);',
    ].join('\n');
  }
  const loop = options.tsLoop ?? ['    process.stdout.write(delta);'];
  const tools = Boolean(params.tools?.length);
  const reasoning = isReasoningModel(request.model);
  return [
    "import OpenAI from 'openai';",
    '',
    client,
    '',
    `const stream = await client.chat.completions.create(${body});`,
    '',
    ...(tools
      ? [
          '// index -> the call so far: each piece names its call',
          'const calls = new Map<number, { name: string; arguments: string }>();',
        ]
      : []),
    'for await (const chunk of stream) {',
    '  // The usage-only final chunk has no choices.',
    ...(reasoning
      ? [
          '  // Providers that show reasoning stream it apart from the answer (DeepSeek, OpenRouter, vLLM).',
          '  const extra = chunk.choices[0]?.delta as { reasoning_content?: string; reasoning?: string } | undefined;',
          '  const thought = extra?.reasoning_content ?? extra?.reasoning;',
          '  if (thought) process.stdout.write(thought);',
        ]
      : []),
    ...(tools
      ? [
          '  for (const piece of chunk.choices[0]?.delta?.tool_calls ?? []) {',
          "    const call = calls.get(piece.index) ?? { name: '', arguments: '' };",
          "    call.name += piece.function?.name ?? '';",
          "    call.arguments += piece.function?.arguments ?? '';",
          '    calls.set(piece.index, call);',
          '  }',
        ]
      : []),
    '  const delta = chunk.choices[0]?.delta?.content;',
    '  if (delta) {',
    ...loop,
    '  }',
    ...(params.stream_options?.include_usage ? ['  if (chunk.usage) console.log(chunk.usage);'] : []),
    '}',
    ...(tools
      ? [
          '',
          '// Arguments are only valid JSON once the stream has ended.',
          'for (const [index, call] of calls) console.log(index, call.name, JSON.parse(call.arguments));',
        ]
      : []),
  ].join('\n');
}
