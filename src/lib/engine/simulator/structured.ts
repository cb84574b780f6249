/**
 * Structured output: the answer to `response_format: json_schema` is a JSON object matching the
 * schema, pretty-printed with two spaces so a learner can watch it fill in line by line.
 */
import type { PromptFacts } from './prompt-facts';
import { fillContext, valueFor } from './schema-value';

/** The JSON text of the structured answer: deterministic for the same schema and prompt. */
export function structuredAnswer(schema: Record<string, unknown>, facts: PromptFacts): string {
  return JSON.stringify(valueFor(schema, fillContext(facts, schema)), null, 2);
}

/** What `sim-thinking` thinks before writing the object. */
export function schemaThoughts(schema: Record<string, unknown>, name: string, facts: PromptFacts): string[] {
  const props =
    typeof schema.properties === 'object' && schema.properties ? Object.keys(schema.properties) : [];
  const required = Array.isArray(schema.required) ? schema.required.join(', ') : 'none';
  return [
    `The answer has to be a JSON object matching the "${name}" schema, about ${facts.topic}. No prose around it: just the object.`,
    `The schema has ${props.length} properties (${props.join(', ') || 'none'}), and the required ones are: ${required}. I will fill each from what the user wrote where I can, and pick sensible values otherwise.`,
    'Types matter: numbers as numbers, not strings; lists as arrays; enum fields only with allowed values. Strict mode means no extra properties either.',
  ];
}
