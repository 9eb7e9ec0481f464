import type { FormRule } from 'antd';
import type { z } from 'zod';

/** An antd Form rule that validates a field with a shared zod schema and shows its Chinese message. */
export function zodRule(schema: z.ZodType): FormRule {
  return {
    validator: async (_rule, value: unknown) => {
      if (value === undefined || value === null || value === '') return; // "required" is a separate rule
      const r = schema.safeParse(value);
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? '输入不正确');
    },
  };
}
