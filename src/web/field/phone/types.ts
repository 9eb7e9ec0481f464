import type { z } from 'zod';
import type { fieldPerson, fieldTask, fieldTasks, fieldUploadResponse } from '../../../shared/api-field';

export type FieldTask = z.infer<typeof fieldTask>;
export type FieldPerson = z.infer<typeof fieldPerson>;
export type FieldTasks = z.infer<typeof fieldTasks>;
export type FieldUploadResponse = z.infer<typeof fieldUploadResponse>;
