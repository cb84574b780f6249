import '@testing-library/jest-dom/vitest';
import 'fake-indexeddb/auto';
import { cleanup, configure } from '@testing-library/svelte';
import { afterEach } from 'vitest';

// findBy*/waitFor wait for an outcome; on a busy machine it may take longer than the 1 s default.
configure({ asyncUtilTimeout: 10_000 });

afterEach(() => cleanup());
