// The one Content-Disposition builder (RFC 6266 with RFC 5987 filename*) and the download names of
// stored uploads (the extension follows the type detected from the content).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { STORED_FILE_CSP, contentDisposition, extensionOf, storedFileName } from './send.js';

/** Reads filename* back the way a browser does (RFC 5987: UTF-8, percent-decoded). */
const extName = (header: string) => decodeURIComponent(/filename\*=UTF-8''([^;\s]*)/.exec(header)![1]!);
const asciiName = (header: string) => /filename="([^"]*)"/.exec(header)![1]!;

describe('Content-Disposition', () => {
  it('a Chinese name goes in filename* (RFC 5987), an ASCII fallback with the fallback stem in filename', () => {
    const h = contentDisposition('attachment', '人员明细数据表-新北区.xlsx', 'export');
    expect(h).toBe(`attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent('人员明细数据表-新北区.xlsx')}`);
    expect(extName(h)).toBe('人员明细数据表-新北区.xlsx');
    expect(contentDisposition('inline', 'scan (1).pdf')).toBe(`inline; filename="scan_1_.pdf"; filename*=UTF-8''scan%20%281%29.pdf`);
    expect(asciiName(contentDisposition('attachment', '会议纪要.docx'))).toBe('download.docx');
  });

  it('no quote, backslash, CR, LF or other control character reaches the header, whatever the name', () => {
    const h = contentDisposition('attachment', 'a"b\\c\r\nSet-Cookie: x=1;\u0000.pdf', 'evidence-7');
    expect(/[\r\n]/.test(h) || h.includes(String.fromCharCode(0))).toBe(false);
    expect(asciiName(h)).toBe('evidence-7.pdf');
    expect(extName(h)).toBe('a"b_cSet-Cookie: x=1;.pdf');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.option(fc.string({ unit: 'binary' }), { nil: undefined }), (name, fallback) => {
        const header = contentDisposition('attachment', name, fallback);
        // token chars only outside the quoted ASCII name: the header parses as exactly three parts
        expect(header).toMatch(/^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[A-Za-z0-9!#$&+.^_`|~%-]*$/);
        expect(() => decodeURIComponent(/filename\*=UTF-8''(.*)$/.exec(header)![1]!)).not.toThrow();
      }),
    );
  });
});

describe('stored file names and policy', () => {
  it('the extension follows the detected type, never the uploaded name (evil.html stored as PDF is offered as evil.pdf)', () => {
    expect(storedFileName('evil.html', 'application/pdf')).toBe('evil.pdf');
    expect(storedFileName('会议照片.PNG', 'image/png')).toBe('会议照片.png');
    expect(storedFileName('photo', 'image/jpeg')).toBe('photo.jpg');
    expect(storedFileName('../../etc/x.svg', 'image/gif')).toBe('.._.._etc_x.gif');
    expect(storedFileName('.html', 'application/pdf')).toBe('文件.pdf');
    expect(storedFileName('report.docx.exe', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('report.docx.docx');
    expect(extensionOf('application/x-unknown')).toBe('.bin');
    expect(contentDisposition('inline', storedFileName('evil.html', 'application/pdf'), 'evidence-7')).toBe(`inline; filename="evidence-7.pdf"; filename*=UTF-8''evil.pdf`);
  });

  it('every stored file gets a CSP that loads and runs nothing, sandboxed, framed by the app only', () => {
    expect(STORED_FILE_CSP).toMatch(/^default-src 'none';/);
    expect(STORED_FILE_CSP).toContain("frame-ancestors 'self'");
    expect(STORED_FILE_CSP).toMatch(/; sandbox$/);
    expect(STORED_FILE_CSP).not.toMatch(/script-src|allow-/);
  });
});
