// Amounts in Chinese capital numerals (人民币大写) as written on vouchers, by the People's Bank of
// China's rules (《支付结算办法》附件一《正确填写票据和结算凭证的基本规定》):
// - digits 零壹贰叁肆伍陆柒捌玖, units 拾佰仟万亿, 元角分; an amount to the 元 (no 角分) ends in 整,
//   an amount to the 角 or 分 does not (33,331.50 → 叁万叁仟叁佰叁拾壹元伍角);
// - a 0 between digits is written 零, several 0 in a row only one 零 (1,000,400.00 →
//   壹佰万零肆佰元整); when the 元 digit is 0 and 角 is not, one 零 follows 元 (107,000.53 →
//   壹拾万柒仟元零伍角叁分); when 角 is 0 and 分 is not, 零 follows 元 (16.09 → 壹拾陆元零玖分);
// - a leading 1 of the tens is written 壹拾 ("壹拾陆元"), never 拾 alone.
// Used by the fee calculation sheet (考核费用核算表), issue 6.

const DIGITS = '零壹贰叁肆伍陆柒捌玖';
const SMALL_UNITS = ['', '拾', '佰', '仟'];
/** Up to 9999亿9999万9999元: far beyond any fee, and the notation stays unambiguous. */
const SECTION_UNITS = ['', '万', '亿'];

/** A 4-digit section (1..9999) without its section unit; zeros inside become one 零, trailing zeros nothing. */
function section(n: number): string {
  let out = '';
  let pendingZero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      if (out !== '') pendingZero = true;
      continue;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += DIGITS[d]! + SMALL_UNITS[pos]!;
  }
  return out;
}

/** The 元 part of an amount (> 0), e.g. 1000400 → 壹佰万零肆佰. */
function yuanText(yuan: number): string {
  const sections: number[] = [];
  for (let v = yuan; v > 0; v = Math.floor(v / 10_000)) sections.push(v % 10_000);
  if (sections.length > SECTION_UNITS.length) throw new RangeError('amount too large (at most 9999亿9999万9999元)');
  let out = '';
  let gap = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const s = sections[i]!;
    if (s === 0) {
      if (out !== '') gap = true;
      continue;
    }
    // A zero section or a section below 1000 after a higher one leaves zeros in between: one 零.
    if (out !== '' && (gap || s < 1000)) out += '零';
    out += section(s) + SECTION_UNITS[i]!;
    gap = false;
  }
  return out;
}

/** Integer fen (≥ 0) → 人民币大写, e.g. 100040000 → '壹佰万零肆佰元整'. */
export function rmbCapital(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0) throw new RangeError('fen must be a non-negative safe integer');
  const yuan = Math.floor(fen / 100);
  const jiao = Math.floor(fen / 10) % 10;
  const cent = fen % 10;
  if (fen === 0) return '零元整';
  let out = '';
  if (yuan > 0) {
    out += yuanText(yuan) + '元';
    if (jiao === 0 && cent === 0) return out + '整';
    if (jiao === 0) return out + '零' + DIGITS[cent]! + '分';
    if (yuan % 10 === 0) out += '零';
  }
  if (jiao > 0) out += DIGITS[jiao]! + '角';
  if (cent > 0) out += DIGITS[cent]! + '分';
  return out;
}

/** One 4-digit section's text (digits, 拾佰仟, 零) → its value; null when malformed. */
function parseSection(text: string): number | null {
  let value = 0;
  let digit = 0;
  for (const ch of text) {
    const d = DIGITS.indexOf(ch);
    if (d === 0) continue;
    if (d > 0) {
      if (digit !== 0) return null; // two digits without a unit between them
      digit = d;
      continue;
    }
    const unit = SMALL_UNITS.indexOf(ch);
    if (unit <= 0 || digit === 0) return null;
    value += digit * 10 ** unit;
    digit = 0;
  }
  return value + digit;
}

/**
 * The inverse, for checking: 人民币大写 → integer fen; null when the text is not a well-formed
 * amount in this notation.
 */
export function parseRmbCapital(text: string): number | null {
  if (text === '零元整') return 0;
  const m = /^(?:(.+?)元)?零?(?:([壹贰叁肆伍陆柒捌玖])角)?(?:([壹贰叁肆伍陆柒捌玖])分)?(整)?$/.exec(text);
  if (!m) return null;
  const [, yuanPart, jiaoCh, fenCh] = m;
  if (yuanPart === undefined && !jiaoCh && !fenCh) return null;
  let yuan = 0;
  if (yuanPart !== undefined) {
    let rest = yuanPart;
    for (const [marker, scale] of [['亿', 100_000_000], ['万', 10_000]] as const) {
      const i = rest.indexOf(marker);
      if (i < 0) continue;
      const v = parseSection(rest.slice(0, i));
      if (v === null) return null;
      yuan += v * scale;
      rest = rest.slice(i + 1);
    }
    const v = parseSection(rest);
    if (v === null) return null;
    yuan += v;
  }
  const jiao = jiaoCh ? DIGITS.indexOf(jiaoCh) : 0;
  const cent = fenCh ? DIGITS.indexOf(fenCh) : 0;
  return yuan * 100 + jiao * 10 + cent;
}
