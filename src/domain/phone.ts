// Phone numbers on the registration form (SPEC: "a mobile or landline phone of a valid shape") and
// on 附件3 (联系电话). The seed's own contact is "电话：88112733", a Changzhou number written
// without its area code 0519, so a local 7-8 digit landline is accepted as it is.
import { removeWhitespace, toHalfWidth } from './text.js';

export type PhoneResult =
  | { ok: true; value: string; kind: 'mobile' | 'landline' }
  | { ok: false; message: string };

const INVALID = '电话号码格式不正确：手机号应为 11 位（1 开头），固定电话应为“区号-号码”，如 0519-88112733';

/**
 * Normalised forms: mobile "13912345678"; landline "0519-88112733", with extension
 * "0519-88112733-801"; a local number without area code "88112733".
 */
const PLAIN_MOBILE = /^1[3-9]\d{9}$/;

export function validatePhone(raw: string): PhoneResult {
  if (PLAIN_MOBILE.test(raw)) return { ok: true, value: raw, kind: 'mobile' }; // the common case, as written
  const s = removeWhitespace(toHalfWidth(raw)).replace(/[—–]/g, '-');
  if (s === '') return { ok: false, message: '电话号码不能为空' };

  // Mobile: 11 digits 1[3-9]xxxxxxxxx, optionally +86 / 86 / 0086 in front.
  const compact = s.replace(/[-()]/g, '');
  const mobile = /^(?:\+86|0086|86)?(1\d{10})$/.exec(compact);
  if (mobile) {
    const m = mobile[1] ?? '';
    if (/^1[3-9]\d{9}$/.test(m)) return { ok: true, value: m, kind: 'mobile' };
    return { ok: false, message: '手机号码第二位应为 3 至 9' };
  }

  // Extension written as 转801, ext801, #801, x801 or 分机801 (a trailing -801 is handled below).
  let rest = s;
  let ext = '';
  const extMatch = /(?:转|分机|ext\.?|x|#)(\d{1,6})$/i.exec(rest);
  if (extMatch) {
    ext = extMatch[1] ?? '';
    rest = rest.slice(0, extMatch.index);
  }

  // Area code: written with (0519) or 0519-, or run together with the number. Run together,
  // 010 and 02x are the 3-digit codes and every other code has 4 digits.
  let area = '';
  const explicit = /^\((0\d{2,3})\)-?(.*)$/.exec(rest) ?? /^(0\d{2,3})-(.*)$/.exec(rest);
  if (explicit) {
    area = explicit[1] ?? '';
    rest = explicit[2] ?? '';
  } else if (rest.startsWith('0')) {
    const len = /^0[12]/.test(rest) ? 3 : 4;
    area = rest.slice(0, len);
    rest = rest.slice(len);
  }
  if (area !== '' && !/^0[1-9]\d{1,2}$/.test(area)) return { ok: false, message: INVALID };

  // Number 7-8 digits (may be written 8811-2733), then optionally -extension.
  const num = /^(\d{3,4})-?(\d{4})(?:-(\d{1,6}))?$/.exec(rest);
  if (!num) return { ok: false, message: INVALID };
  if (num[3] !== undefined) {
    if (ext !== '') return { ok: false, message: INVALID };
    ext = num[3];
  }
  const number = (num[1] ?? '') + (num[2] ?? '');
  // Local numbers never start with 0 or 1 (those are area codes, mobiles and service numbers).
  if (!/^[2-9]/.test(number)) return { ok: false, message: INVALID };

  const value = [area, number, ext].filter((p) => p !== '').join('-');
  return { ok: true, value, kind: 'landline' };
}
