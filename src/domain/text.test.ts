import { describe, expect, it } from 'vitest';
import { removeWhitespace, toHalfWidth } from './text.js';

describe('text normalisation', () => {
  it('turns full-width digits, letters and punctuation into ASCII', () => {
    expect(toHalfWidth('０１２３４５６７８９Ｘｘ．－')).toBe('0123456789Xx.-');
  });
  it('turns the ideographic space into an ordinary space and leaves Chinese text alone', () => {
    expect(toHalfWidth('常州\u3000市')).toBe('常州 市');
  });
  it('removes spaces, tabs, NBSP, ideographic spaces and zero-width characters', () => {
    expect(removeWhitespace(' 3204\t11\u00a0199\u3000001\u200b01\ufeff ')).toBe('32041119900101');
  });
});
