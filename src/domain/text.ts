// The text normalisers live in src/shared (the web form and the code tables need them too).
export { removeWhitespace, toHalfWidth } from '../shared/text.js';
