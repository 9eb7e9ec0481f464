// What goes into the 先进事迹概述 box of 附件3 and how it continues on a 附页 (the form's note: "如文字
// 过多可另行附纸"). The box holds the answers to the 申报条件 (the note: "先进事迹概述主要围绕申报条件
// 展开") and then the deeds, as blocks of text; the page fills the box on page 1 line by line and puts
// the rest, in order, on the 附页 — never a half-empty page 1 with the text pushed to page 2.
import type { Nomination } from '../../shared/api-awards';

export type Segment = { text: string; strong?: boolean };
/** heading: a part's title; condition: one 申报条件 with its answer; para: a paragraph of the deeds. */
export type Block = { kind: 'heading' | 'condition' | 'para'; segs: Segment[]; /** continues a block begun on the page before */ cont?: boolean };
/** Where the text is cut: block index, segment index, UTF-16 offset in that segment. */
export type Cut = { block: number; seg: number; offset: number };

const NUMERALS = ['一', '二', '三'];

/**
 * The box's content. With answers to the conditions: 一、符合申报条件情况 (each condition, bold, then
 * its answer) and 二、主要事迹 (the paragraphs); a form without any answer (made before they were
 * recorded) prints its deeds alone, as it always did.
 */
export function deedsBlocks(n: Pick<Nomination, 'conditions' | 'deeds'>): Block[] {
  const paras: Block[] = n.deeds.split('\n').map((p) => ({ kind: 'para', segs: [{ text: p }] }));
  if (!n.conditions.some((c) => c.answer !== '')) return paras;
  return [
    { kind: 'heading', segs: [{ text: `${NUMERALS[0]}、符合申报条件情况` }] },
    ...n.conditions.map((c, i): Block => ({ kind: 'condition', segs: [{ text: `${i + 1}. ${c.text}：`, strong: true }, { text: c.answer }] })),
    { kind: 'heading', segs: [{ text: `${NUMERALS[1]}、主要事迹` }] },
    ...paras,
  ];
}

/** The blocks before the cut (page 1) and from it on (the 附页); a block cut in two continues there. */
export function splitBlocks(blocks: Block[], cut: Cut): { first: Block[]; rest: Block[] } {
  const b = blocks[cut.block];
  if (!b) return { first: blocks, rest: [] };
  const head: Segment[] = [];
  const tail: Segment[] = [];
  b.segs.forEach((s, i) => {
    if (i < cut.seg) head.push(s);
    else if (i > cut.seg) tail.push(s);
    else {
      if (cut.offset > 0) head.push({ ...s, text: s.text.slice(0, cut.offset) });
      if (cut.offset < s.text.length) tail.push({ ...s, text: s.text.slice(cut.offset) });
    }
  });
  const first = blocks.slice(0, cut.block);
  const rest = blocks.slice(cut.block + 1);
  if (head.some((s) => s.text !== '')) {
    first.push({ ...b, segs: head });
    return { first, rest: [{ ...b, segs: tail, cont: true }, ...rest] };
  }
  return { first, rest: [{ ...b, segs: tail }, ...rest] };
}

/** The plain text of blocks (what a reader sees, in order): for comparing the two parts with the whole. */
export function blocksText(blocks: Block[]): string {
  return blocks.map((b) => b.segs.map((s) => s.text).join('')).join('');
}

/**
 * The first character of `box` (rendered with every block, segments marked data-b / data-s) whose
 * glyph reaches below the box's bottom: the cut. null when everything fits. Characters flow top to
 * bottom, so their bottoms only grow: a binary search over them with a Range per probe.
 */
export function findCut(box: HTMLElement): Cut | null {
  if (box.scrollHeight <= box.clientHeight + 1) return null;
  const limit = box.getBoundingClientRect().bottom + 0.5;
  const nodes: Array<{ node: Text; start: number; block: number; seg: number }> = [];
  let total = 0;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
    const owner = t.parentElement?.closest<HTMLElement>('[data-b]');
    if (!owner || !t.data.length) continue;
    nodes.push({ node: t, start: total, block: Number(owner.dataset.b), seg: Number(owner.dataset.s) });
    total += t.data.length;
  }
  const range = document.createRange();
  const locate = (i: number) => {
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (nodes[mid]!.start <= i) lo = mid;
      else hi = mid - 1;
    }
    return nodes[lo]!;
  };
  const below = (i: number) => {
    const at = locate(i);
    range.setStart(at.node, i - at.start);
    range.setEnd(at.node, i - at.start + 1);
    const r = range.getBoundingClientRect();
    return r.height > 0 && r.bottom > limit;
  };
  let lo = 0;
  let hi = total; // the answer is in [lo, hi]; total: nothing is below (only empty lines overflow)
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (below(mid)) hi = mid;
    else lo = mid + 1;
  }
  if (lo >= total) return null;
  const at = locate(lo);
  let offset = lo - at.start;
  // Never between the halves of a surrogate pair.
  const code = at.node.data.charCodeAt(offset);
  if (offset > 0 && code >= 0xdc00 && code <= 0xdfff) offset--;
  return { block: at.block, seg: at.seg, offset };
}
