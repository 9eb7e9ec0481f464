// Draws the phone app's icons (src/web/public/m/icon-*.png) from one SVG: a house with a tick
// on the system's blue. Run once after changing the drawing: node scripts/make-phone-icons.mjs
import fs from 'node:fs';
import { Resvg } from '@resvg/resvg-js';

const svg = (pad) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">
  <rect width="512" height="512" rx="${pad ? 0 : 96}" fill="#0958d9"/>
  <g transform="translate(256 266) scale(${pad ? 0.72 : 0.9}) translate(-256 -266)">
    <path d="M256 96 L432 240 L392 240 L392 416 L120 416 L120 240 L80 240 Z" fill="#ffffff"/>
    <path d="M176 300 L236 360 L340 252" fill="none" stroke="#0958d9" stroke-width="40" stroke-linecap="round" stroke-linejoin="round"/>
  </g>
</svg>`;

const out = new URL('../src/web/public/m/', import.meta.url);
fs.mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true], ['apple-touch-icon.png', 180, true]]) {
  const png = new Resvg(svg(maskable), { fitTo: { mode: 'width', value: size } }).render().asPng();
  fs.writeFileSync(new URL(name, out), png);
  console.log(name, png.length, 'bytes');
}
