// The app runs under a Content Security Policy without 'unsafe-eval'. zod 4 compiles object parsers
// with `new Function` when it may, and finds out by trying `Function('')` when a schema is built —
// which the browser reports as a CSP violation on every page. Switched off here; main.tsx imports
// this module first, before any schema of src/shared is built.
import { z } from 'zod';

z.config({ jitless: true });
