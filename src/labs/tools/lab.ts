import type { LabInfo } from '../../lib/lab';

export const lab: LabInfo = {
  id: 'tools',
  title: 'Tools and structured output',
  concept: [
    'A model can answer with data instead of prose. With `tools` you describe functions your program can run (a name and a JSON Schema for the arguments); the model may reply with a tool call — which function, and the arguments as JSON text — and your code runs it. With `response_format` set to a `json_schema`, the answer itself must be JSON that matches your schema.',
    'Either way the JSON is generated token by token, so it streams as fragments: `{"ci`, then `ty": "Par`, then `is"}`. Tool-call arguments arrive in `delta.tool_calls[i].function.arguments`, a few characters per chunk; keep one buffer per `index` (`args[call.index] += call.function.arguments`), because when the model calls several tools at once (parallel calls) their pieces come tagged with different indexes, each call’s id and name arriving with its first piece.',
    'To show the object while it fills in, you need a parser that accepts unfinished JSON. The common shortcut — close the open strings and brackets of everything received so far and `JSON.parse` it again on every chunk — re-reads the whole buffer each time, so its total cost grows with the square of the length. An incremental parser keeps its place (the open containers, the string or number it is inside) and reads each new character once. Below, both run on every chunk; the figures show what each one read and how long it took.',
  ],
  defaultPrompt: 'What’s the weather in Paris and Tokyo, and the local time in each?',
  maxTokens: 300,
};
