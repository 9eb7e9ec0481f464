// Small helpers shared by route files.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { errorBody } from '../shared/api.js';

export type ZApp = ReturnType<FastifyInstance['withTypeProvider']> & FastifyInstance;

export function zapp(app: FastifyInstance) {
  return app.withTypeProvider<ZodTypeProvider>();
}

/** The error responses every authenticated route may give, for the OpenAPI document. */
export const stdErrors = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
} as const;
