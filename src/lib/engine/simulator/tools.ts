/**
 * Which tool calls the simulator makes for a request with `tools`, and the paragraphs
 * `sim-thinking` thinks before making them.
 *
 * A tool fits the prompt when a word of its name or description appears in it ("weather" in
 * `get_weather`). Every fitting tool is called; when none fits, the first tool is. A tool whose
 * schema takes one place (`city`, `location`, …) is called once per place the prompt names, so
 * "weather in Paris and Tokyo" gives two parallel calls. `tool_choice` naming a function calls
 * only that one; `parallel_tool_calls: false` keeps only the first call.
 */
import type { ToolDefinition } from '../types';
import type { PromptFacts } from './prompt-facts';
import { fillContext, PLACE_NAME, valueFor } from './schema-value';

export interface PlannedCall {
  id: string;
  name: string;
  /** Compact JSON, as OpenAI sends it. */
  arguments: string;
}

export type ToolChoice = 'none' | 'auto' | 'required' | { type: 'function'; function: { name: string } };

const GENERIC = new Set(
  'get set fetch find list lookup look search current the and for with from into tool function data info by of a an to in on'.split(
    ' ',
  ),
);

function nameWords(tool: ToolDefinition): string[] {
  const text = `${tool.function.name.replace(/([a-z])([A-Z])/g, '$1 $2')} ${tool.function.description ?? ''}`;
  return [...new Set(text.toLowerCase().split(/[^a-z]+/))].filter((w) => w.length > 2 && !GENERIC.has(w));
}

/** How many of the tool's words the prompt uses (a shared 5-letter stem counts: "forecast(s)"). */
function fit(tool: ToolDefinition, prompt: string): number {
  const said = prompt.toLowerCase().split(/[^a-z]+/);
  return nameWords(tool).filter((w) =>
    said.some((s) => s === w || (s.length >= 5 && w.startsWith(s.slice(0, 5)))),
  ).length;
}

/** Whether exactly one of the tool's top-level properties is a string holding a place. */
function takesPlace(tool: ToolDefinition): boolean {
  const props = tool.function.parameters.properties;
  if (typeof props !== 'object' || props === null) return false;
  const places = Object.entries(props as Record<string, { type?: unknown }>).filter(
    ([key, sub]) => PLACE_NAME.test(key.replace(/[^a-zA-Z]/g, '').toLowerCase()) && sub?.type === 'string',
  );
  return places.length === 1;
}

function callId(seed: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let h = 2166136261;
  let id = 'call_';
  for (let i = 0; i < 24; i++) {
    for (const c of `${seed}#${i}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
    id += alphabet[(h >>> 0) % alphabet.length];
  }
  return id;
}

/** The tools to call for a prompt, in the order they were defined. */
function chosenTools(
  tools: ToolDefinition[],
  prompt: string,
  choice: ToolChoice | undefined,
): ToolDefinition[] {
  const usable = tools.filter((t) => t.type === 'function' && t.function?.name);
  if (typeof choice === 'object')
    return usable.filter((t) => t.function.name === choice.function.name).slice(0, 1);
  const fitting = usable.filter((t) => fit(t, prompt) > 0);
  return fitting.length ? fitting : usable.slice(0, 1);
}

/** The calls to make; empty when tool_choice is 'none' or no tool is usable. */
export function planCalls(
  tools: ToolDefinition[],
  facts: PromptFacts,
  choice: ToolChoice | undefined,
  parallel = true,
): PlannedCall[] {
  if (choice === 'none') return [];
  const calls: PlannedCall[] = [];
  for (const tool of chosenTools(tools, facts.prompt, choice)) {
    const fanOut = takesPlace(tool) ? Math.max(1, facts.places.length) : 1;
    for (let place = 0; place < fanOut; place++) {
      const args = valueFor(tool.function.parameters, fillContext(facts, tool.function.parameters, place));
      calls.push({
        id: callId(`${facts.prompt}|${tool.function.name}|${calls.length}`),
        name: tool.function.name,
        arguments: JSON.stringify(args),
      });
    }
  }
  return parallel ? calls : calls.slice(0, 1);
}

/** What `sim-thinking` thinks before calling: why these tools, with which arguments. */
export function toolThoughts(tools: ToolDefinition[], facts: PromptFacts, calls: PlannedCall[]): string[] {
  const names = tools.map((t) => t.function?.name).filter(Boolean);
  const called = [...new Set(calls.map((c) => c.name))];
  const places = facts.places.map((p) => p.city);
  const first = `The user asks: "${facts.prompt.trim()}" I cannot know that from memory reliably, and I have ${
    names.length === 1 ? `a tool for it, ${names[0]}` : `${names.length} tools: ${names.join(', ')}`
  }. I should call ${called.join(' and ') || 'none of them'} instead of guessing.`;
  const second =
    calls.length > 1
      ? `The request needs ${calls.length} calls${places.length > 1 ? `, one for each place it names (${places.join(', ')})` : ''}. They do not depend on each other, so I can make them in parallel rather than one after another.`
      : 'One call is enough here. Let me fill in its arguments from what the user said, following the parameter schema.';
  const detail = calls.map((c) => `${c.name} with ${c.arguments}`).join('; ');
  const third = `Checking the arguments against the schema: every required property is present and enum values are ones the schema allows. So: ${detail}. Once the results come back I can answer in plain words.`;
  return [first, second, third];
}
