// SPEC "Audit" and issue 13: entries are never deleted or changed by the application — no code
// path (no route, no job, no retention) deletes, updates or truncates audit_log. Tests are
// excluded: they play the attacker with database access.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) return sources(p);
    return /\.(ts|tsx|mjs)$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [p] : [];
  });
}

describe('audit entries are never deleted', () => {
  it('no source outside the tests deletes, updates or truncates audit_log', () => {
    const patterns = [
      /deleteFrom\(\s*['"`]audit_log/,
      /updateTable\(\s*['"`]audit_log/,
      /delete\s+from\s+["`]?audit_log/i,
      /update\s+["`]?audit_log["`]?\s+set/i,
      /truncate\s+(table\s+)?["`]?audit_log/i,
    ];
    const files = [...sources('src'), ...sources('bench'), ...sources('scripts')];
    expect(files.length).toBeGreaterThan(100);
    const hits = files.flatMap((f) => {
      const text = fs.readFileSync(f, 'utf8');
      return patterns.filter((re) => re.test(text)).map((re) => `${f}: ${re}`);
    });
    expect(hits).toEqual([]);
  });
});
