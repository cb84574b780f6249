/** aria-description (ARIA 1.3; Chromium and axe read it) is not in Svelte's attribute types yet. */
import 'svelte/elements';

declare module 'svelte/elements' {
  interface AriaAttributes {
    'aria-description'?: string | undefined | null;
  }
}
