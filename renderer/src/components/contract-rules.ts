// Form rules taken from the contract's own zod schemas, so the form refuses exactly what the
// backend would refuse, with the same Chinese message.
import type { FormRule as Rule } from 'antd';
import type { z } from 'zod';

export function schemaRule(schema: z.ZodType, required = true): Rule {
  return {
    required,
    validator: async (_rule, value: unknown) => {
      if (!required && (value === undefined || value === '')) return;
      const r = schema.safeParse(value ?? '');
      if (!r.success) throw new Error(r.error.issues[0]?.message ?? 'invalid');
    },
  };
}
