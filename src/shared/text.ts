// Text clean-up shared by the rules that read what people type or paste from spreadsheets.
// Chinese input methods produce full-width characters (０-９, Ｘ, ．, －) and the ideographic space
// U+3000; Excel and web pages add non-breaking spaces. Each rule normalises with these first.

/** Full-width ASCII (U+FF01..U+FF5E) → ASCII; ideographic space → ordinary space. */
export function toHalfWidth(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += ' ';
    else out += ch;
  }
  return out;
}

/** Removes every kind of whitespace, including NBSP, U+3000 and zero-width characters. */
export function removeWhitespace(text: string): string {
  return text.replace(/[\s\u00a0\u3000\u200b-\u200d\u2060\ufeff]/g, '');
}
