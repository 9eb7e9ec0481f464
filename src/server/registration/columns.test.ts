import { describe, expect, it } from 'vitest';
import { columnOf, RECORD_KEYS } from './columns.js';
import { createTestEnv } from '../testing/harness.js';

describe('registration columns', () => {
  it('maps field keys to snake_case columns, insurance types included', () => {
    expect(columnOf('idNumber')).toBe('id_number');
    expect(columnOf('ins110Status')).toBe('ins_110_status');
    expect(columnOf('relationToHead')).toBe('relation_to_head');
  });
  it('every record field has a column in the migrated table', async () => {
    const env = await createTestEnv({ seed: false });
    try {
      const tables = await env.ctx.db.introspection.getTables();
      const cols = new Set(tables.find((t) => t.name === 'registration')!.columns.map((c) => c.name));
      for (const k of RECORD_KEYS) expect(cols.has(columnOf(k)), `${k} → ${columnOf(k)}`).toBe(true);
    } finally {
      await env.close();
    }
  });
});
