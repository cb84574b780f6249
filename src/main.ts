/**
 * Boots the app, unless the page is framed by another page. The host's
 * `Content-Security-Policy: frame-ancestors 'none'` (public/_headers) already stops framing where
 * headers can be set; this refusal covers hosts that cannot set them (clickjacking: a framing page
 * could overlay the app and steer clicks on Save, Forget key or Run). It shows a link instead of
 * navigating the top window, which a sandboxed frame may forbid.
 *
 * First load: this entry is a few hundred bytes. index.html's static shell (styled by the inlined
 * app.css) paints first; only then is the app's code asked for, so no script request competes with
 * or precedes the first paint. The app's code is evaluated in one task and mounted in the next (two
 * shorter tasks, not one long one), and the mount replaces the shell in the same task: no blank
 * frame between them.
 */
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

let framed: boolean;
try {
  framed = window.top !== window.self;
} catch {
  framed = true;
}

/**
 * Calls `then` once the page has painted: in the task after the next frame. A hidden page paints
 * no frames (requestAnimationFrame waits until it is shown), so there it does not wait for one.
 */
function afterPaint(then: () => void): void {
  if (document.visibilityState === 'hidden') setTimeout(then);
  else requestAnimationFrame(() => setTimeout(then));
}

/** Resolves in a new task, so the work after it is not added to the current one. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve));

async function boot(into: HTMLElement): Promise<void> {
  // The first lab's code is asked for with the app's, not once the app has mounted and asks for
  // it (the app's own request then finds it loaded or on its way; a failure is shown there).
  void import('./labs')
    .then(({ LABS, labFromHash }) => LABS.find((l) => l.info.id === labFromHash(location.hash))?.load())
    .catch(() => {});
  const [{ mount }, { default: App }] = await Promise.all([import('svelte'), import('./App.svelte')]);
  await nextTask();
  into.replaceChildren();
  mount(App, { target: into });
}

function alert(...content: (string | Node)[]): HTMLElement {
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.append(...content);
  return p;
}

if (framed) {
  const link = document.createElement('a');
  link.href = location.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = 'Open it in its own tab';
  target.replaceChildren(alert('Streaming Lab does not run inside another page. ', link, '.'));
} else {
  afterPaint(() =>
    // The shell stays, with the reason under it.
    boot(target).catch(() =>
      target.append(alert('Streaming Lab could not be loaded. Check your connection and reload the page.')),
    ),
  );
}
