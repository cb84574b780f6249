/**
 * A JSON value for a JSON Schema, filled from the prompt where a property's name says what it
 * holds (a city for `city`/`location`, the prompt's numbers for counts, an enum value the prompt
 * mentions) and otherwise a deterministic plausible value.
 *
 * Invariants: the value satisfies the schema's types, enums, consts, required properties and
 * array/number bounds for the subset handled here (object, array, string, number, integer,
 * boolean, null, enum, const, anyOf/oneOf/allOf (first branch), type arrays, local $ref). Every
 * property is filled, required or not, as strict structured outputs require. Same input, same value.
 */
import type { PromptFacts } from './prompt-facts';

type Schema = Record<string, unknown>;

export interface FillContext {
  facts: PromptFacts;
  /** The whole schema, for resolving `#/$defs/…` and `#/definitions/…`. */
  root: Schema;
  /** Which of the prompt's places this value is about (a parallel call's own city). */
  place: number;
  /** The prompt's numbers not yet used, consumed in order. */
  numbers: number[];
  /** How many place-holding strings have been filled so far. */
  placeNext: number;
}

export function fillContext(facts: PromptFacts, root: Schema, place = 0): FillContext {
  return { facts, root, place, numbers: [...facts.numbers], placeNext: 0 };
}

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Names that say a string holds a place. Exported: tools.ts fans calls out over these. */
export const PLACE_NAME =
  /^(?:city|cities|location|locations|place|places|destination|origin|town|where|address)$/;

function resolve(schema: Schema, ctx: FillContext, depth = 0): Schema {
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/') && depth < 20) {
    let target: unknown = ctx.root;
    for (const part of ref.slice(2).split('/')) target = isSchema(target) ? target[part] : undefined;
    if (isSchema(target)) return resolve(target, ctx, depth + 1);
  }
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) {
      const pick = branches.find((b) => isSchema(b) && b.type !== 'null') ?? branches[0];
      if (isSchema(pick)) return resolve({ ...schema, [key]: undefined, ...pick }, ctx, depth + 1);
    }
  }
  const all = schema.allOf;
  if (Array.isArray(all)) {
    const merged = all.filter(isSchema).reduce((m, b) => ({ ...m, ...resolve(b, ctx, depth + 1) }), {});
    return { ...schema, allOf: undefined, ...merged };
  }
  return schema;
}

function typeOf(schema: Schema): string {
  const t = schema.type;
  if (typeof t === 'string') return t;
  if (Array.isArray(t)) return (t.find((x) => x !== 'null') as string | undefined) ?? 'null';
  if (isSchema(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return 'string';
}

/** `name` as lowercase words run together: "departure_city" → "departurecity". */
const squash = (name: string) => name.replace(/[^a-zA-Z]/g, '').toLowerCase();
const words = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
const last = (name: string) => words(name).at(-1) ?? '';
const titleCase = (s: string) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());

function singular(name: string): string {
  const w = last(name);
  if (w.endsWith('ies')) return w.slice(0, -3) + 'y';
  if (w.endsWith('ses') || w.endsWith('xes')) return w.slice(0, -2);
  return w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

function enumPick(options: unknown[], ctx: FillContext, index: number): unknown {
  const prompt = ctx.facts.prompt.toLowerCase();
  const named = options.filter((o) => typeof o === 'string' && prompt.includes(o.toLowerCase()));
  return named[index % Math.max(1, named.length)] ?? options[index % options.length];
}

const PERSON =
  /^(?:author|person|people|user|attendees?|travell?er|passenger|guest|member|employee|student|patient|customer|contact|firstname|lastname|fullname|assignee|owner|organi[sz]er|host|speaker|sender|recipient)$/;

/** `parent` is the property holding the object `name` belongs to: a person's `name` is a name. */
function stringFor(name: string, schema: Schema, ctx: FillContext, index: number, parent = ''): string {
  const { facts } = ctx;
  const w = last(name);
  const all = squash(name);
  // The place last named in this value, for its country, timezone or currency.
  const place = facts.places[(ctx.place + Math.max(0, ctx.placeNext - 1)) % Math.max(1, facts.places.length)];
  const format = schema.format;
  if (format === 'date' || /date|day$/.test(all)) {
    return facts.dates[index] ?? `2025-06-${String(14 + index).padStart(2, '0')}`;
  }
  if (format === 'date-time' || /timestamp|datetime/.test(all)) return `2025-06-${14 + index}T09:00:00Z`;
  if (format === 'time' || w === 'time') return `${String(9 + index).padStart(2, '0')}:00`;
  if (format === 'email' || w === 'email') return index ? `user${index}@example.com` : 'ada@example.com';
  if (format === 'uri' || /url|link|website|homepage/.test(all)) return 'https://example.com';
  if (format === 'uuid') return `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`;
  if (PLACE_NAME.test(all) || PLACE_NAME.test(w) || /city$/.test(all)) {
    // Each place-holding string takes the next place the prompt names: origin, then destination.
    const k = ctx.place + ctx.placeNext++;
    const place = facts.places[k % Math.max(1, facts.places.length)];
    if (!place) return ['Paris', 'Tokyo', 'London', 'New York'][k % 4]!;
    // A `location` reads best with its country, as in OpenAI's own weather example.
    return /location|address/.test(all) && place.country ? `${place.city}, ${place.country}` : place.city;
  }
  if (w === 'country') return place?.country || 'France';
  if (/timezone|tz$/.test(all)) return place?.timezone ?? 'Europe/Paris';
  if (w === 'unit' || w === 'units') return 'celsius';
  if (/currency/.test(all))
    return place && /France|Germany|Spain|Italy|Netherlands/.test(place.country) ? 'EUR' : 'USD';
  if (/language|lang$|locale/.test(all)) return 'en';
  if (w === 'phone') return '+1 555 0100';
  if (/symbol|ticker/.test(all)) return facts.prompt.match(/\b[A-Z]{2,5}\b/)?.[0] ?? 'AAPL';
  if (w === 'id' || all.endsWith('id')) return `A-${1042 + index}`;
  if (PERSON.test(all) || (w === 'name' && PERSON.test(squash(parent)))) {
    return (
      (index === 0 && facts.person) ||
      ['Ada Lovelace', 'Alan Turing', 'Grace Hopper', 'Linus Torvalds'][index % 4]!
    );
  }
  if (/^(?:query|q|search|question|prompt|term|keyword|searchterm)$/.test(all)) {
    return facts.quoted[index] ?? (index ? (facts.keywords[index] ?? facts.topic) : facts.topic);
  }
  if (/^(?:title|name|headline|subject|label)$/.test(w)) {
    const base = facts.quoted[index] ?? titleCase(facts.topic);
    return index ? `${base} ${index + 1}` : base;
  }
  if (
    /^(?:summary|description|text|content|body|answer|explanation|reason|note|notes|message|comment)$/.test(w)
  ) {
    return `A brief ${w} of ${facts.topic}${index ? ` (part ${index + 1})` : ''}.`;
  }
  if (w === 'tag' || w === 'tags' || w === 'keyword' || w === 'keywords' || w === 'topic' || w === 'topics') {
    return facts.keywords[index] ?? `${w} ${index + 1}`;
  }
  if (w === 'status') return 'active';
  if (w === 'color' || w === 'colour') return ['blue', 'green', 'orange', 'purple'][index % 4]!;
  if (w === 'step' || w === 'steps' || w === 'instruction' || w === 'instructions') {
    const subject = facts.keywords[index] ?? facts.topic;
    return `Step ${index + 1}: work on the ${subject}.`;
  }
  return facts.keywords[index] ?? `${singular(name) || 'item'} ${index + 1}`;
}

function numberFor(name: string, schema: Schema, ctx: FillContext, index: number, integer: boolean): number {
  const all = squash(name);
  const place = ctx.facts.places[ctx.place % Math.max(1, ctx.facts.places.length)];
  let n: number;
  if (/^(?:lat|latitude)$/.test(all)) n = place?.lat ?? 48.8566;
  else if (/^(?:lon|lng|long|longitude)$/.test(all)) n = place?.lon ?? 2.3522;
  else if (/temp/.test(all)) n = 21.5 - index * 3;
  else if (/price|amount|cost|total/.test(all)) n = 19.99 + index * 10;
  else if (/rating|score/.test(all)) n = 4.5 - index * 0.5;
  else if (/year/.test(all)) n = 2024 - index;
  else if (/percent|probability|confidence/.test(all)) n = 0.87;
  else n = ctx.numbers.shift() ?? (/age/.test(all) ? 36 : 3 + index);
  const min = typeof schema.minimum === 'number' ? schema.minimum : -Infinity;
  const max = typeof schema.maximum === 'number' ? schema.maximum : Infinity;
  const exclusiveMin = typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : -Infinity;
  const exclusiveMax = typeof schema.exclusiveMaximum === 'number' ? schema.exclusiveMaximum - 1 : Infinity;
  n = Math.min(Math.max(n, min, exclusiveMin), max, exclusiveMax);
  return integer ? Math.round(n) : Math.round(n * 10000) / 10000;
}

function arrayFor(name: string, schema: Schema, ctx: FillContext): unknown[] {
  const items = isSchema(schema.items) ? resolve(schema.items, ctx) : { type: 'string' };
  const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
  const max = typeof schema.maxItems === 'number' ? schema.maxItems : Infinity;
  // As many as the prompt names (its places, for a list of places), else three; 2–4 in the end.
  const named = PLACE_NAME.test(squash(name)) ? ctx.facts.places.length : 0;
  const count = Math.min(Math.max(named >= 2 ? Math.min(named, 4) : 3, min), max);
  const item = singular(name) || 'item';
  return Array.from({ length: count }, (_, i) => valueAt(item, items, ctx, i));
}

function objectFor(name: string, schema: Schema, ctx: FillContext, index: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const properties = isSchema(schema.properties) ? schema.properties : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (isSchema(sub)) out[key] = valueAt(key, resolve(sub, ctx), ctx, index, name);
  }
  // A required name with no schema of its own still gets a value.
  for (const key of Array.isArray(schema.required) ? schema.required : []) {
    if (typeof key === 'string' && !(key in out)) out[key] = stringFor(key, {}, ctx, index, name);
  }
  return out;
}

function valueAt(name: string, raw: Schema, ctx: FillContext, index: number, parent = ''): unknown {
  const schema = resolve(raw, ctx);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return enumPick(schema.enum, ctx, index);
  switch (typeOf(schema)) {
    case 'object':
      return objectFor(name, schema, ctx, index);
    case 'array':
      return arrayFor(name, schema, ctx);
    case 'integer':
      return numberFor(name, schema, ctx, index, true);
    case 'number':
      return numberFor(name, schema, ctx, index, false);
    case 'boolean':
      return !/^(?:is|has)?(?:deleted|disabled|archived|private|hidden)$/.test(squash(name));
    case 'null':
      return null;
    default: {
      const s = stringFor(name, schema, ctx, index, parent);
      const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
      const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
      return s.slice(0, maxLength).padEnd(minLength, '.');
    }
  }
}

/** The value for `schema` (the root of `ctx`, or a part of it) under the property name `name`. */
export function valueFor(schema: Schema, ctx: FillContext, name = ''): unknown {
  return valueAt(name, schema, ctx, 0);
}
