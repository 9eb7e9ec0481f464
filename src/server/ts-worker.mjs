// Development and tests only: starts a worker thread whose module is TypeScript source, by
// registering tsx's loader in the worker first. Built code (dist/) starts its workers directly.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__tsModule);
