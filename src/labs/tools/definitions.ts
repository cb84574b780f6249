/**
 * What the Tools lab sends and lets the learner edit: the default tools and schema, and the checks
 * an edited definition must pass before it is sent (a clear message instead of a 400).
 */
import type { JsonSchemaFormat, ToolDefinition } from '../../lib/engine/types';
import { lab } from './lab';

export type ToolsMode = 'tools' | 'structured';

export const DEFAULT_PROMPTS: Record<ToolsMode, string> = {
  tools: lab.defaultPrompt,
  structured: 'List three large European cities with their country and population.',
};

export const DEFAULT_TOOLS: ToolDefinition[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city.',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string', description: 'City name, e.g. Paris' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['city', 'unit'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_local_time',
      description: 'Current local time in a city.',
      parameters: {
        type: 'object',
        properties: { city: { type: 'string', description: 'City name, e.g. Tokyo' } },
        required: ['city'],
        additionalProperties: false,
      },
    },
  },
];

export const DEFAULT_SCHEMA: JsonSchemaFormat['json_schema'] = {
  name: 'city_list',
  strict: true,
  schema: {
    type: 'object',
    properties: {
      cities: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            country: { type: 'string' },
            population: { type: 'number' },
          },
          required: ['name', 'country', 'population'],
          additionalProperties: false,
        },
      },
    },
    required: ['cities'],
    additionalProperties: false,
  },
};

/** The outcome of reading an editable definition: the value, or why it cannot be used. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string };

function parseJson(text: string): Checked<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `Not valid JSON: ${(e as Error).message}` };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads the Tools field: a JSON array of `{type: "function", function: {name, parameters}}`. */
export function checkTools(text: string): Checked<ToolDefinition[]> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const tools = parsed.value;
  if (!Array.isArray(tools) || tools.length === 0)
    return { ok: false, message: 'Tools must be a non-empty JSON array.' };
  for (const [i, tool] of tools.entries()) {
    const fn = isObject(tool) ? tool.function : undefined;
    if (!isObject(tool) || tool.type !== 'function' || !isObject(fn))
      return { ok: false, message: `Tool ${i + 1} needs "type": "function" and a "function" object.` };
    if (typeof fn.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(fn.name))
      return { ok: false, message: `Tool ${i + 1} needs a "name" of letters, digits, _ or -.` };
    if (!isObject(fn.parameters))
      return { ok: false, message: `Tool ${i + 1} ("${fn.name}") needs "parameters": a JSON Schema object.` };
  }
  return { ok: true, value: tools as ToolDefinition[] };
}

/** Reads the Schema field: the `json_schema` object, `{name, strict?, schema}`. */
export function checkSchema(text: string): Checked<JsonSchemaFormat['json_schema']> {
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const format = parsed.value;
  if (!isObject(format)) return { ok: false, message: 'The schema must be a JSON object.' };
  if (typeof format.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(format.name))
    return { ok: false, message: 'It needs a "name" of letters, digits, _ or -.' };
  if (!isObject(format.schema)) return { ok: false, message: 'It needs "schema": a JSON Schema object.' };
  if (format.strict !== undefined && typeof format.strict !== 'boolean')
    return { ok: false, message: '"strict" must be true or false.' };
  return { ok: true, value: format as JsonSchemaFormat['json_schema'] };
}
