/**
 * "Show code": the `openai` Python and TypeScript code equivalent to a lab's request, so a
 * learner can take what they saw into their own program. The key is never written into code,
 * and the base URL is printed as `publicURL` makes it (no credentials or query secrets).
 */
import type { ChatRequest } from './types';
import { publicURL } from './endpoint';
import { OPENAI_BASE_URL } from './providers';

export interface SnippetOptions {
  baseURL: string;
  stream: boolean;
  /** Extra loop body lines, per language, for labs that process chunks. */
  pythonLoop?: string[];
  tsLoop?: string[];
}

const py = (v: unknown) =>
  typeof v === 'string' ? JSON.stringify(v) : v === true ? 'True' : v === false ? 'False' : String(v);

function pyArgs(request: ChatRequest, stream: boolean): string[] {
  const args = [`model=${py(request.model)}`, `messages=${pyMessages(request)}`];
  if (request.max_tokens !== undefined) args.push(`max_tokens=${request.max_tokens}`);
  if (request.temperature !== undefined) args.push(`temperature=${request.temperature}`);
  if (request.stop?.length) args.push(`stop=${JSON.stringify(request.stop)}`);
  if (request.logprobs) args.push('logprobs=True', `top_logprobs=${request.top_logprobs ?? 5}`);
  args.push(`stream=${stream ? 'True' : 'False'}`);
  if (stream && request.include_usage) args.push('stream_options={"include_usage": True}');
  return args;
}

function pyMessages(request: ChatRequest): string {
  const lines = request.messages.map((m) => `        {"role": ${py(m.role)}, "content": ${py(m.content)}},`);
  return `[\n${lines.join('\n')}\n    ]`;
}

export function pythonSnippet(request: ChatRequest, options: SnippetOptions): string {
  const baseURL = publicURL(options.baseURL);
  const client =
    baseURL === OPENAI_BASE_URL
      ? 'client = OpenAI()  # reads OPENAI_API_KEY from the environment'
      : `client = OpenAI(base_url=${py(baseURL)}, api_key=os.environ.get("OPENAI_API_KEY", "none"))`;
  const call = `    ${pyArgs(request, options.stream).join(',\n    ')},`;
  const head = ['import os', 'from openai import OpenAI', '', client, ''];
  if (!options.stream) {
    return [
      ...head,
      `response = client.chat.completions.create(\n${call}\n)`,
      'print(response.choices[0].message.content)',
    ].join('\n');
  }
  const loop = options.pythonLoop ?? ['        print(delta, end="", flush=True)'];
  return [
    ...head,
    `stream = client.chat.completions.create(\n${call}\n)`,
    '',
    'for chunk in stream:',
    '    # The usage-only final chunk has no choices.',
    '    if chunk.choices and chunk.choices[0].delta.content:',
    '        delta = chunk.choices[0].delta.content',
    ...loop,
    ...(request.include_usage ? ['    if chunk.usage:', '        print("\\n", chunk.usage)'] : []),
  ].join('\n');
}

export function typescriptSnippet(request: ChatRequest, options: SnippetOptions): string {
  const params: Record<string, unknown> = { model: request.model, messages: request.messages };
  if (request.max_tokens !== undefined) params.max_tokens = request.max_tokens;
  if (request.temperature !== undefined) params.temperature = request.temperature;
  if (request.stop?.length) params.stop = request.stop;
  if (request.logprobs) {
    params.logprobs = true;
    params.top_logprobs = request.top_logprobs ?? 5;
  }
  params.stream = options.stream;
  if (options.stream && request.include_usage) params.stream_options = { include_usage: true };
  const body = JSON.stringify(params, null, 2).replace(/\n/g, '\n');
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
  return [
    "import OpenAI from 'openai';",
    '',
    client,
    '',
    `const stream = await client.chat.completions.create(${body});`,
    '',
    'for await (const chunk of stream) {',
    '  // The usage-only final chunk has no choices.',
    '  const delta = chunk.choices[0]?.delta?.content;',
    '  if (delta) {',
    ...loop,
    '  }',
    ...(request.include_usage ? ['  if (chunk.usage) console.log(chunk.usage);'] : []),
    '}',
  ].join('\n');
}
