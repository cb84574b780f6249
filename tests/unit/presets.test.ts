/**
 * Provider presets: each base URL is one the app may reach (the CSP rule), a preset is found again
 * from the endpoint it fills in, and every preset says what to do when CORS blocks it.
 */
import { describe, expect, it } from 'vitest';
import { baseURLProblem } from '../../src/lib/engine/endpoint';
import { endpointOf, PRESETS, presetFor } from '../../src/lib/engine/presets';
import { OPENAI_BASE_URL } from '../../src/lib/engine/providers';

describe('provider presets', () => {
  it('cover the providers the issue names, once each', () => {
    expect(PRESETS.map((p) => p.name)).toEqual([
      'OpenAI',
      'OpenRouter',
      'Groq',
      'DeepSeek',
      'Together AI',
      'Fireworks AI',
      'Mistral',
      'Gemini (OpenAI endpoint)',
      'Ollama',
      'LM Studio',
      'vLLM',
      'llama.cpp server',
    ]);
    expect(new Set(PRESETS.map((p) => p.id)).size).toBe(PRESETS.length);
  });

  it.each(PRESETS.map((p) => [p.name, p] as const))(
    '%s: an allowed base URL that finds its preset again',
    (_, preset) => {
      expect(baseURLProblem(preset.baseURL)).toBeNull();
      const endpoint = endpointOf(preset, { provider: 'simulator', customBaseURL: 'http://localhost:1/v1' });
      expect(endpoint.provider).toBe(preset.provider === 'openai' ? 'openai' : 'custom');
      expect(presetFor(endpoint)).toBe(preset);
      expect(preset.corsFix.length).toBeGreaterThan(0);
      expect(preset.reasoning.length).toBeGreaterThan(0);
    },
  );

  it('OpenAI stays its own provider; a trailing slash or another path is not another preset', () => {
    const openai = PRESETS.find((p) => p.id === 'openai')!;
    expect(endpointOf(openai, { provider: 'custom', customBaseURL: 'http://localhost:9/v1' })).toEqual({
      provider: 'openai',
      customBaseURL: 'http://localhost:9/v1',
    });
    expect(openai.baseURL).toBe(OPENAI_BASE_URL);
    expect(presetFor({ provider: 'custom', customBaseURL: 'http://localhost:11434/v1/' })?.id).toBe('ollama');
    expect(presetFor({ provider: 'custom', customBaseURL: 'http://localhost:11434/api' })).toBeNull();
    expect(presetFor({ provider: 'custom', customBaseURL: OPENAI_BASE_URL })).toBeNull();
    expect(presetFor({ provider: 'simulator', customBaseURL: 'http://localhost:11434/v1' })).toBeNull();
  });
});
