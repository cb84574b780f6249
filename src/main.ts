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

/** How long to wait for the first contentful paint before booting anyway. */
const PAINT_WAIT_MS = 1000;

/**
 * Calls `then` once the page has painted its first content: in a task after the browser reports
 * the first contentful paint. An animation frame is not proof of a paint (a first frame may paint
 * nothing, and the shell then paints frames later), and the app's code, asked for too early, lands
 * before the shell's paint and delays it. A hidden page paints nothing (and a browser without paint
 * timing reports nothing): it boots at once, or in an animation frame's next task. Should no paint
 * be reported within PAINT_WAIT_MS, it boots anyway.
 */
function afterPaint(then: () => void): void {
  if (document.visibilityState === 'hidden') return void setTimeout(then);
  if (!PerformanceObserver.supportedEntryTypes?.includes('paint'))
    return void requestAnimationFrame(() => setTimeout(then));
  let called = false;
  const once = () => {
    if (called) return;
    called = true;
    observer.disconnect();
    clearTimeout(timer);
    setTimeout(then);
  };
  const observer = new PerformanceObserver((list) => {
    if (list.getEntriesByName('first-contentful-paint').length) once();
  });
  const timer = setTimeout(once, PAINT_WAIT_MS);
  observer.observe({ type: 'paint', buffered: true });
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
