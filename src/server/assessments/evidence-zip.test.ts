// Office evidence files (.docx/.xlsx/.pptx) pass the same zip guard as an imported .xlsx before
// they are stored: a real document is kept, a zip that lies about its inflated size, a ZIP64
// archive, a truncated file and a part with a DOCTYPE are refused with a Chinese message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Document, Packer, Paragraph } from 'docx';
import { deflatedRepeat, tempPath, zipBytes } from '../testing/import-files.js';
import { storeEvidence } from './evidence.js';

describe('Office evidence files and the zip guard', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'canbao-evidence-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const file = (bytes: Buffer, name: string) => {
    const f = tempPath(name);
    fs.writeFileSync(f, bytes);
    return f;
  };

  it('a real .docx is stored; zip bombs, ZIP64, truncated and DOCTYPE documents are refused in Chinese and not stored', async () => {
    const real = await Packer.toBuffer(new Document({ sections: [{ children: [new Paragraph('新北区全民参保登记工作总结')] }] }));
    const stored = await storeEvidence(dataDir, file(real, 'a.docx'), '总结.docx');
    expect(stored.mime).toContain('wordprocessingml');
    const docPart = { name: 'word/document.xml', data: '<w:document xmlns:w="x"/>' };
    const refused: Array<[string, Buffer, RegExp]> = [
      ['a lying zip', zipBytes([{ name: 'word/document.xml', data: '', body: deflatedRepeat('<w:document><w:t>', Buffer.alloc(1 << 20, 'A'), 50, '</w:t></w:document>'), declaredSize: 2000 }]), /实际大小与其目录记录不符/],
      ['ZIP64', zipBytes([docPart], { zip64: true }), /ZIP64/],
      ['a truncated file', real.subarray(0, real.length >> 1), /文件已损坏/],
      ['a DOCTYPE', zipBytes([{ name: 'word/document.xml', data: '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "e">]><d/>' }]), /DOCTYPE/],
    ];
    for (const [what, bytes, message] of refused) {
      await expect(storeEvidence(dataDir, file(bytes, 'x.docx'), 'x.docx'), what).rejects.toMatchObject({ status: 400, code: 'INVALID_INPUT', message: expect.stringMatching(message) });
    }
    const kept = fs.readdirSync(path.join(dataDir, 'evidence'), { recursive: true }).filter((f) => fs.statSync(path.join(dataDir, 'evidence', String(f))).isFile());
    expect(kept).toHaveLength(1);
  });
});
