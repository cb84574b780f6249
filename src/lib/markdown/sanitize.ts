/**
 * The only way model output becomes DOM: marked → DOMPurify (an allow-list) → a DocumentFragment.
 *
 * Invariants:
 * - Tags and attributes outside the allow-lists are removed; URIs must be http, https or mailto
 *   (or an in-page #anchor for footnotes).
 * - Links get rel="noopener noreferrer" and open in a new tab.
 * - No image is loaded automatically: every <img> becomes a placeholder, and only an https
 *   image gets a "Load image" button (markdown-image exfiltration). The CSP allows https images
 *   for that click; nothing else in the app ever creates an <img> from model output. The button
 *   never follows a link it sits in.
 * - Nothing here returns an HTML string; callers insert the fragment, never raw HTML.
 * - Blocks are sanitized one by one: hostile markup cannot hide the rest of an answer.
 * - No `class` from model output survives except one `language-*` token on <code>: output can
 *   neither hide text (`sr-only`) nor dress up as the app (`alert`). The classes the renderer
 *   itself adds (image placeholders, plain-text fallback, cursor) are added after sanitizing.
 * - Nesting is capped before lexing, and a block marked cannot parse (its recursion overflows)
 *   shows as plain text: the rest of the answer always renders.
 */
import DOMPurify, { type Config } from 'dompurify';
import { Marked, type TokensList } from 'marked';
import { capNesting } from './nesting';

const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'strong',
  'em',
  'b',
  'i',
  'del',
  's',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'img',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'input',
  'span',
  'div',
  'sup',
  'sub',
  'kbd',
  'section',
  'details',
  'summary',
  'dl',
  'dt',
  'dd',
];
const ALLOWED_ATTR = [
  'href',
  'title',
  'alt',
  'src',
  'class',
  'align',
  'start',
  'checked',
  'disabled',
  'type',
];
const SAFE_URI = /^(?:(?:https?|mailto):|#)/i;
/** Attributes that hold no URI: DOMPurify must not test them against SAFE_URI (it would drop them). */
const NOT_URI = ['align', 'start', 'type', 'checked', 'disabled'];
/** The one class model output may carry: a code block's language, on <code>. */
const LANGUAGE_CLASS = /^language-[\w+#-]+$/;

const CONFIG: Config = {
  ALLOWED_TAGS,
  ALLOWED_ATTR,
  ALLOWED_URI_REGEXP: SAFE_URI,
  ADD_URI_SAFE_ATTR: NOT_URI,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
  RETURN_DOM_FRAGMENT: true,
};

let purifier: ReturnType<typeof DOMPurify> | null = null;

function getPurifier(): ReturnType<typeof DOMPurify> {
  if (purifier) return purifier;
  const p = DOMPurify(window);
  p.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      node.setAttribute('rel', 'noopener noreferrer');
      node.setAttribute('target', '_blank');
    } else if (node.nodeName === 'INPUT') {
      // GFM task lists are the only inputs markdown makes; anything else goes.
      if (node.getAttribute('type') !== 'checkbox') node.remove();
      else node.setAttribute('disabled', '');
    }
    if (
      node.hasAttribute('class') &&
      !(node.nodeName === 'CODE' && LANGUAGE_CLASS.test(node.getAttribute('class') ?? ''))
    )
      node.removeAttribute('class');
  });
  // Parsed once: a config passed to every sanitize() call is parsed again each time, about a
  // third of the call on a short block, and the tail block is sanitized every frame.
  p.setConfig(CONFIG);
  purifier = p;
  return p;
}

/** Replaces images with inert placeholders; https ones can be loaded on request. */
function holdImages(fragment: DocumentFragment): void {
  for (const img of fragment.querySelectorAll('img')) {
    const src = img.getAttribute('src') ?? '';
    const holder = document.createElement('span');
    holder.className = 'remote-image';
    holder.dataset.alt = img.alt;
    const label = document.createElement('span');
    label.textContent = `Image${img.alt ? `: ${img.alt}` : ''} (not loaded)`;
    holder.append(label);
    if (/^https:\/\//i.test(src)) {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Load image';
      button.dataset.src = src;
      button.title = `Load ${src}`;
      holder.append(' ', button);
    }
    img.replaceWith(holder);
  }
}

/** Sanitizes an HTML string into a fragment with images held. */
function sanitizeHtml(html: string): DocumentFragment {
  const fragment: unknown = getPurifier().sanitize(html);
  // Fails closed: were the purifier's config ever lost, its output (a string) is never used.
  if (!(fragment instanceof DocumentFragment)) throw new Error('sanitizer returned no fragment');
  holdImages(fragment);
  return fragment;
}

/**
 * Markdown text → safe DOM. Each top-level block is sanitized on its own, so an unclosed tag in
 * one block (`<audio>`, `<details>`) cannot swallow the rest of the answer; it is also exactly
 * how sealed blocks render while streaming. A block that cannot be rendered (marked or the
 * sanitizer overflows its stack on absurd nesting) shows as plain text; if the whole text cannot
 * be lexed, each blank-line-separated part is tried on its own.
 */
export function renderMarkdown(markdown: string): DocumentFragment {
  let tokens: TokensList;
  try {
    tokens = lexBlocks(markdown);
  } catch {
    const out = document.createDocumentFragment();
    for (const part of markdown.split(/\n[ \t]*\n/)) {
      if (!part.trim()) continue;
      try {
        out.append(renderTokens(lexBlocks(part)));
      } catch {
        out.append(plainBlock(part));
      }
    }
    return out;
  }
  return renderTokens(tokens);
}

function renderTokens(tokens: TokensList): DocumentFragment {
  const out = document.createDocumentFragment();
  for (const token of tokens) {
    if (token.type === 'space') continue;
    // Reference links resolve against the whole document's definitions.
    const single = Object.assign([token], { links: tokens.links });
    try {
      out.append(sanitizeHtml(marked.parser(single) as string));
    } catch {
      out.append(plainBlock(token.raw));
    }
  }
  return out;
}

/** A block shown as its source text (never parsed as HTML). */
export function plainBlock(text: string): HTMLElement {
  const pre = document.createElement('pre');
  pre.className = 'md-plain';
  pre.textContent = text;
  return pre;
}

/**
 * The lexer the incremental renderer uses to find block boundaries: tokens of the text with its
 * nesting capped (same lines as `markdown`). Throws if marked does.
 */
export function lexBlocks(markdown: string): TokensList {
  return marked.lexer(capNesting(markdown));
}

/** Loads a held image when its "Load image" button is pressed (wire to a container's click). */
export function loadHeldImage(event: Event): void {
  const button = (event.target as Element | null)?.closest?.('button[data-src]') as HTMLButtonElement | null;
  if (!button) return;
  // The button may sit inside a link: pressing it must not follow the link.
  event.preventDefault();
  event.stopPropagation();
  const src = button.dataset.src ?? '';
  if (!/^https:\/\//i.test(src)) return;
  const img = document.createElement('img');
  img.src = src;
  const holder = button.closest<HTMLElement>('.remote-image');
  // The model's own alt text; the placeholder's label ("… (not loaded)") is no longer true.
  img.alt = holder?.dataset.alt ?? '';
  img.referrerPolicy = 'no-referrer';
  holder?.replaceWith(img);
}
