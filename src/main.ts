/**
 * Mounts the app, unless the page is framed by another page. The host's
 * `Content-Security-Policy: frame-ancestors 'none'` (public/_headers) already stops framing where
 * headers can be set; this refusal covers hosts that cannot set them (clickjacking: a framing page
 * could overlay the app and steer clicks on Save, Forget key or Run). It shows a link instead of
 * navigating the top window, which a sandboxed frame may forbid. Either replaces the static shell
 * index.html paints before any script has arrived.
 */
import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

let framed: boolean;
try {
  framed = window.top !== window.self;
} catch {
  framed = true;
}

if (framed) {
  const notice = document.createElement('p');
  notice.setAttribute('role', 'alert');
  notice.append('Streaming Lab does not run inside another page. ');
  const link = document.createElement('a');
  link.href = location.href;
  link.target = '_blank';
  link.rel = 'noopener noreferrer';
  link.textContent = 'Open it in its own tab';
  notice.append(link, '.');
  target.replaceChildren(notice);
} else {
  // index.html's static shell (its title) goes in the same task the app mounts: no blank frame.
  target.replaceChildren();
  mount(App, { target });
}
