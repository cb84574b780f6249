/**
 * The simulator's built-in answers: one for each of the labs' default prompts, chosen by keywords
 * in the last user message, and a general fallback that explains what the simulator is. Each answer
 * names its topic, so a conversation can refer back to it (chat.ts).
 */

export interface BuiltInAnswer {
  match: RegExp;
  /** What the question was about, as a reply names it: "functions", "machine learning". */
  topic: string;
  text: string;
}

const COUNT_TO_20 = `Sure! Here you go:

${Array.from({ length: 20 }, (_, i) => `${i + 1}`).join('\n')}`;

export const ANSWERS: BuiltInAnswer[] = [
  {
    match: /count/i,
    topic: 'counting',
    text: COUNT_TO_20,
  },
  {
    match: /capital of france/i,
    topic: 'the capital of France',
    text: 'The capital of France is Paris.',
  },
  {
    match: /machine learning/i,
    topic: 'machine learning',
    text:
      'Machine learning is a way of building software that learns patterns from examples instead of ' +
      'following rules a programmer wrote by hand. A model is shown many inputs with known answers, ' +
      'and its internal parameters are adjusted step by step until its predictions match those ' +
      'answers well. Once trained, it can make useful predictions on new data it has never seen, ' +
      'such as recognising speech, ranking search results or flagging fraud.',
  },
  {
    match: /benefits of learning programming|learning programming/i,
    topic: 'learning programming',
    text: `Here are five benefits of learning programming:

1. **Sharper problem solving**: you learn to split a big, vague problem into small steps you can test one at a time.
2. **Career options**: software skills are useful far beyond software companies, from science to finance to design.
3. **Making your own tools**: a short script can automate a chore that would otherwise take hours every week.
4. **Understanding technology**: knowing how programs work makes the devices and services around you less mysterious.
5. **Working with others**: code is written in teams, so you practise explaining ideas precisely and reviewing each other's work.`,
  },
  {
    match: /software design/i,
    topic: 'software design',
    text: `# Key Principles of Good Software Design

Good design keeps software **easy to change**. These principles come up again and again:

## 1. Separation of Concerns
- **Idea**: each part of the program handles one concern — storage, display, business rules.
- **Why**: you can change one part without breaking the others.

## 2. DRY (Don't Repeat Yourself)
- **Idea**: every piece of knowledge lives in *one* place.
- **Why**: a fix made once is a fix made everywhere.

## 3. KISS (Keep It Simple)
- **Idea**: prefer the plainest design that works.
- **Why**: simple code has fewer places for bugs to hide.

## 4. YAGNI (You Aren't Gonna Need It)
- **Idea**: build what is needed now, not what *might* be needed later.

## 5. Single Responsibility
A module should have one reason to change. For example:

\`\`\`python
class InvoiceRepository:
    def save(self, invoice): ...

class InvoicePrinter:
    def render(self, invoice) -> str: ...
\`\`\`

| Principle | Protects against |
|-----------|------------------|
| SoC | tangled changes |
| DRY | inconsistent fixes |
| KISS | accidental complexity |

> Design is a trade-off: apply these with judgement, not as laws. See [SOLID](https://en.wikipedia.org/wiki/SOLID) for more.`,
  },
  {
    match: /neural network|deep learning/i,
    topic: 'neural networks',
    text: `Neural networks and deep learning have changed what AI applications can do. Here are the main benefits:

1. **Strong results on hard tasks**: deep learning models recognise images, transcribe speech and translate text better than earlier approaches.
2. **Features learned from data**: instead of hand-crafting features, a neural network learns useful representations during training.
3. **Scaling with data**: with more training data and compute, a deep model usually keeps improving.
4. **Transfer learning**: a model trained on one large task can be adapted to a new one with little extra data.
5. **One approach, many fields**: the same building blocks work for vision, language, audio and games.

The trade-offs are cost and opacity: training needs a lot of data and compute, and it is hard to explain why a model made a given prediction.`,
  },
  {
    match: /poem/i,
    topic: 'a poem',
    text: `In lines of logic, ideas take flight,
With keystrokes humming late at night.
A missing bracket, a stubborn bug,
A cup of coffee, a patient shrug.

Loops that circle, functions that call,
Small careful pieces that build it all.
And when at last the tests turn green,
It's the quietest joy I've ever seen.`,
  },
  {
    match: /parameter|argument/i,
    topic: 'function parameters',
    text: `Parameters are the names a function gives to the values it receives. There are three common kinds:

1. **Required parameters** must be given on every call:

   \`\`\`python
   def subtract(a, b):
       return a - b

   subtract(10, 4)  # 6
   \`\`\`

2. **Optional parameters** have a default value:

   \`\`\`python
   def multiply(a, b=2):
       return a * b

   multiply(5)     # 10
   multiply(5, 3)  # 15
   \`\`\`

3. **Variable-length parameters** collect any number of arguments:

   \`\`\`python
   def total(*numbers):
       return sum(numbers)

   total(1, 2, 3)  # 6
   \`\`\`

The values you pass in a call are the **arguments**; the names in the definition are the **parameters**.`,
  },
  {
    match: /example in python|python example|example/i,
    topic: 'a Python example',
    text: `Sure! Here is a small function in Python that adds two numbers:

\`\`\`python
def add_numbers(a, b):
    """Return the sum of a and b."""
    return a + b

result = add_numbers(3, 5)
print(result)  # 8
\`\`\`

\`add_numbers\` takes two **parameters**, \`a\` and \`b\`, and **returns** their sum. You can call it as many times as you like with different values.`,
  },
  {
    match: /function/i,
    topic: 'functions',
    text:
      'A function is a named, reusable block of code that does one job. It can take inputs ' +
      '(called **parameters**), and it can give back a result (its **return value**). Functions ' +
      'let you write a piece of logic once and use it in many places, which keeps programs shorter ' +
      'and easier to read and test.',
  },
];

const FALLBACK = `This answer comes from Streaming Lab's **offline simulator**, not from a real model.

The simulator streams a built-in text token by token, using the same tokenizer as gpt-4o (o200k_base) and the same wire formats as the OpenAI API: over Chat Completions a role chunk, one chunk per token, a finish chunk, an optional usage chunk, then \`[DONE]\`; over Responses typed events, from \`response.created\` through one \`response.output_text.delta\` per token to \`response.completed\`. The timing — time to first token and the delay between tokens — comes from the settings in the connection panel.

To see a real model, choose **OpenAI** or **Custom** as the provider and add a key or a local server such as Ollama or LM Studio.`;

/** The built-in answer a message asks for, if any. */
export const builtInFor = (message: string): BuiltInAnswer | undefined =>
  ANSWERS.find((a) => a.match.test(message));

/** The simulator's answer to a single message: chosen from its keywords, else the fallback. */
export function answerFor(lastUserMessage: string): string {
  return builtInFor(lastUserMessage)?.text ?? FALLBACK;
}

/**
 * The rest of a built-in answer when the message is its unfinished beginning ("The capital of
 * France is" → " Paris."), as a model continues a prompt; null when the message is a finished
 * sentence or begins no answer.
 */
export function continuationOf(message: string): string | null {
  const start = message.trimEnd();
  if (start.split(/\s+/).length < 3 || /[.?!:]$/.test(start)) return null;
  for (const a of ANSWERS) {
    if (a.text.length > start.length && a.text.toLowerCase().startsWith(start.toLowerCase())) {
      return a.text.slice(start.length);
    }
  }
  return null;
}
