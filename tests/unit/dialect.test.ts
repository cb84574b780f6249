/**
 * Request parameters that fit the model: which models reason, what each endpoint's dialect sends,
 * and the one-click fix a refused parameter offers (then remembered per endpoint and model).
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import {
  describeFacts,
  dialectFor,
  fixFor,
  NO_FACTS,
  type EndpointFacts,
} from '../../src/lib/engine/dialect';
import { APIError } from 'openai';
import { classifyError, type LabError } from '../../src/lib/engine/errors';
import { isReasoningModel } from '../../src/lib/engine/models';
import { endpointId } from '../../src/lib/engine/providers';
import { chatRequest, requestParams, type RequestParams } from '../../src/lib/engine/request';
import { pythonSnippet, typescriptSnippet } from '../../src/lib/engine/snippets';
import { loadEndpointFacts, saveEndpointFacts } from '../../src/lib/storage/endpoint-facts';
import { memoryStorage, openStorage } from '../../src/lib/storage/store';

const hi = [{ role: 'user' as const, content: 'hi' }];
const FORM: RequestParams = { maxTokens: 200, temperature: 0.7, reasoningEffort: 'high' };

function sent(provider: 'openai' | 'simulator' | 'custom', model: string, facts?: EndpointFacts) {
  return requestParams(chatRequest(model, hi, FORM, dialectFor(provider, model, facts)), true);
}

function refused(
  param: string,
  detail = `Unsupported parameter: '${param}' is not supported with this model.`,
) {
  return { kind: 'bad_request', param, detail } satisfies Pick<LabError, 'kind' | 'param' | 'detail'>;
}

describe('reasoning models are told apart by name', () => {
  it.each([
    'o1',
    'o1-mini',
    'o3',
    'o3-mini-2025-01-31',
    'o4-mini',
    'gpt-5',
    'gpt-5-mini',
    'gpt-5-nano',
    'gpt-5.1',
    'openai/o3',
    'deepseek-reasoner',
    'deepseek-r1:14b',
    'DeepSeek-R1-Distill-Qwen-7B',
    'qwq-32b',
    'qwen3-235b-a22b-thinking-2507',
    'claude-3-7-sonnet-thinking',
    'sim-thinking',
  ])('%s reasons', (model) => {
    expect(isReasoningModel(model)).toBe(true);
  });

  it.each([
    'gpt-4o',
    'gpt-4o-mini',
    'gpt-4.1-mini',
    'gpt-5-chat-latest',
    'gpt-5.1-chat-latest',
    'llama3.2',
    'omni-moderation',
    'test-model',
    'refuses-max-tokens',
  ])('%s does not', (model) => {
    expect(isReasoningModel(model)).toBe(false);
  });
});

describe('the dialect a request is built in', () => {
  it.each([
    ['openai', 'o4-mini'],
    ['openai', 'gpt-5'],
    ['simulator', 'sim-thinking'],
  ] as const)('%s %s: max_completion_tokens, reasoning_effort, and no temperature', (provider, model) => {
    const params = sent(provider, model);
    expect(params).toMatchObject({ max_completion_tokens: 200, reasoning_effort: 'high' });
    expect(params).not.toHaveProperty('max_tokens');
    expect(params).not.toHaveProperty('temperature');
  });

  it.each(['openai', 'simulator'] as const)(
    '%s gpt-4o: max_completion_tokens and the temperature, no reasoning_effort',
    (provider) => {
      const params = sent(provider, 'gpt-4o');
      expect(params).toMatchObject({ max_completion_tokens: 200, temperature: 0.7 });
      expect(params).not.toHaveProperty('max_tokens');
      expect(params).not.toHaveProperty('reasoning_effort');
    },
  );

  it('a custom provider keeps max_tokens and the temperature, even for a reasoning model', () => {
    expect(sent('custom', 'llama3.2')).toMatchObject({ max_tokens: 200, temperature: 0.7 });
    const r1 = sent('custom', 'deepseek-r1:14b');
    expect(r1).toMatchObject({ max_tokens: 200, temperature: 0.7, reasoning_effort: 'high' });
    expect(r1).not.toHaveProperty('max_completion_tokens');
  });

  it('what an endpoint taught overrides the defaults', () => {
    const params = sent('custom', 'm', { tokenLimit: 'max_completion_tokens', omit: ['temperature'] });
    expect(params).toMatchObject({ max_completion_tokens: 200 });
    expect(params).not.toHaveProperty('max_tokens');
    expect(params).not.toHaveProperty('temperature');
    expect(sent('openai', 'gpt-4o', { tokenLimit: 'max_tokens', omit: [] })).toMatchObject({
      max_tokens: 200,
    });
  });

  it('leaves out what a lab adds, and its limit goes under the dialect’s name', () => {
    const dialect = dialectFor('custom', 'm', { omit: ['stop', 'stream_options', 'logprobs'] });
    const r = chatRequest('m', hi, FORM, dialect, {
      stop: ['x'],
      include_usage: true,
      logprobs: true,
      top_logprobs: 3,
      max_completion_tokens: 50,
    });
    expect(requestParams(r, true)).toEqual({
      model: 'm',
      messages: hi,
      max_tokens: 50,
      temperature: 0.7,
      stream: true,
    });
  });

  it('reasoning_effort refused once is no longer offered', () => {
    expect(dialectFor('openai', 'o3', { omit: ['reasoning_effort'] }).reasoningEffort).toBe(false);
    expect(sent('openai', 'o3', { omit: ['reasoning_effort'] })).not.toHaveProperty('reasoning_effort');
  });

  it('show code prints the dialect’s fields, exactly as sent', () => {
    const r = chatRequest('o4-mini', hi, FORM, dialectFor('openai', 'o4-mini'));
    const options = { baseURL: 'https://api.openai.com/v1', stream: true };
    const py = pythonSnippet(r, options);
    expect(py).toContain('max_completion_tokens=200');
    expect(py).toContain('reasoning_effort="high"');
    expect(py).not.toMatch(/max_tokens|temperature/);
    const ts = typescriptSnippet(r, options);
    expect(ts).toContain('"max_completion_tokens": 200');
    expect(ts).not.toMatch(/"max_tokens"|temperature/);
  });
});

describe('a refused parameter offers one fix', () => {
  it('max_tokens refused: retry with max_completion_tokens', () => {
    expect(fixFor(refused('max_tokens'), NO_FACTS)).toEqual({
      label: 'Retry with max_completion_tokens',
      facts: { tokenLimit: 'max_completion_tokens', omit: [] },
    });
  });

  it('max_completion_tokens refused: retry with max_tokens, keeping what was known', () => {
    expect(fixFor(refused('max_completion_tokens'), { omit: ['temperature'] })).toEqual({
      label: 'Retry with max_tokens',
      facts: { tokenLimit: 'max_tokens', omit: ['temperature'] },
    });
  });

  it('temperature refused (OpenAI’s words for a value): retry without it', () => {
    const error = refused(
      'temperature',
      "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is supported.",
    );
    expect(fixFor(error, { tokenLimit: 'max_completion_tokens', omit: [] })).toEqual({
      label: 'Retry without temperature',
      facts: { tokenLimit: 'max_completion_tokens', omit: ['temperature'] },
    });
  });

  it('a parameter inside another names the outer one', () => {
    expect(
      fixFor(refused('stream_options.include_usage', 'Extra inputs are not permitted'), NO_FACTS)?.label,
    ).toBe('Retry without stream_options');
  });

  it.each([
    [
      'a value that is too large',
      refused(
        'max_tokens',
        'max_tokens is too large: 100000. This model supports at most 16384 completion tokens.',
      ),
    ],
    ['no parameter named', { kind: 'bad_request', detail: 'Unsupported parameter' }],
    ['a parameter the request needs', refused('messages')],
    ['an error that is not a 400', { kind: 'server', param: 'temperature', detail: 'unsupported' }],
  ] as const)('no fix for %s', (_, error) => {
    expect(fixFor(error, NO_FACTS)).toBeNull();
  });

  it('a refused max_completion_tokens is explained the right way round, and offers the fix', () => {
    const body = {
      message: 'Unrecognized request argument supplied: max_completion_tokens',
      param: 'max_completion_tokens',
    };
    const ctx = { baseURL: 'http://127.0.0.1:1/v1', model: 'm', apiKey: '', streaming: false };
    const error = classifyError(APIError.generate(400, { error: body }, undefined, new Headers()), ctx);
    expect(error.hint).toContain('takes max_tokens instead of max_completion_tokens');
    expect(fixFor(error, NO_FACTS)?.label).toBe('Retry with max_tokens');
  });

  it('the learned facts read as a line for the learner', () => {
    expect(describeFacts({ tokenLimit: 'max_completion_tokens', omit: ['temperature'] })).toBe(
      'uses max_completion_tokens; no temperature',
    );
  });
});

describe('what endpoints taught is kept', () => {
  it('per endpoint: provider and public base URL, never the key or a query secret', () => {
    const id = endpointId({
      provider: 'custom',
      customBaseURL: 'https://user:sk-secret1234@host.test/v1/?key=sk-abc#x',
    });
    expect(id).toBe('custom https://host.test/v1/');
    expect(endpointId({ provider: 'custom', customBaseURL: 'https://host.test/other/v1' })).not.toBe(id);
    expect(endpointId({ provider: 'openai', customBaseURL: 'ignored' })).toBe(
      'openai https://api.openai.com/v1',
    );
  });

  it('round-trips through IndexedDB, dropping anything that is not a parameter name', async () => {
    const storage = await openStorage(() => {}, 'dialect-test');
    const facts = { tokenLimit: 'max_completion_tokens', omit: ['temperature', 'api_key'], key: 'sk-x' };
    await saveEndpointFacts(storage, [
      { endpoint: 'custom http://127.0.0.1:1/v1', model: 'm', facts: facts as unknown as EndpointFacts },
    ]);
    const again = await openStorage(() => {}, 'dialect-test');
    expect(await loadEndpointFacts(again)).toEqual([
      {
        endpoint: 'custom http://127.0.0.1:1/v1',
        model: 'm',
        facts: { tokenLimit: 'max_completion_tokens', omit: ['temperature'] },
      },
    ]);
  });

  it('reads as nothing learned when storage holds nothing (memory fallback)', async () => {
    expect(await loadEndpointFacts(memoryStorage())).toEqual([]);
  });
});

describe('the settings follow what the endpoint taught', () => {
  it('learn changes the dialect at once, survives a reload, and forget undoes it', async () => {
    const { SettingsState } = await import('../../src/lib/state/settings.svelte');
    const { DEFAULT_SETTINGS } = await import('../../src/lib/storage/settings');
    const storage = await openStorage(() => {}, 'dialect-settings-test');
    const settings = new SettingsState();
    await settings.load(storage);
    const endpoint = {
      ...DEFAULT_SETTINGS,
      provider: 'custom' as const,
      customBaseURL: 'http://127.0.0.1:1/v1',
    };
    await settings.save({ ...endpoint, model: 'refuses-max-tokens' }, null);
    expect(settings.dialect.tokenLimit).toBe('max_tokens');

    const fix = settings.fixFor({ ...refused('max_tokens'), title: '', hint: '', retryable: false });
    await settings.learn(fix!.facts);
    expect(settings.dialect.tokenLimit).toBe('max_completion_tokens');

    const reloaded = new SettingsState();
    await reloaded.load(await openStorage(() => {}, 'dialect-settings-test'));
    expect(reloaded.endpointFacts).toEqual({ tokenLimit: 'max_completion_tokens', omit: [] });
    // Another model at the same endpoint learned nothing.
    await reloaded.save({ ...endpoint, model: 'other' }, null);
    expect(reloaded.dialect.tokenLimit).toBe('max_tokens');

    await settings.forgetEndpointFacts();
    expect(settings.dialect.tokenLimit).toBe('max_tokens');
    expect(await loadEndpointFacts(storage)).toEqual([]);
  });
});
