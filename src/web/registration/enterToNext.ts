// Keyboard entry of long forms: Enter moves to the next field (as on paper forms typed by clerks),
// Ctrl/⌘+Enter saves. In a select, typing opens and filters the list and Enter picks the active
// option and moves on; Enter on a closed select just moves on (antd would open it, and a second
// Enter would then pick the first option unasked). Enter in a text area keeps making new lines.
import type { KeyboardEvent } from 'react';

const FOCUSABLE = 'input:not([type=hidden]):not([disabled]):not([readonly]), textarea:not([disabled]), [data-enter-stop]';

function isVisible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
}

/** Focus the field after `from` inside `container` (document order); false when there is none. */
export function focusNext(container: HTMLElement, from: HTMLElement): boolean {
  const all = Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.tabIndex >= 0 && el.getAttribute('aria-hidden') !== 'true' && isVisible(el),
  );
  const i = all.findIndex((el) => el === from || el.contains(from));
  const next = all[i + 1];
  if (i < 0 || !next) return false;
  next.focus();
  if (next instanceof HTMLInputElement && next.getAttribute('role') !== 'combobox' && next.type === 'text') next.select();
  return true;
}

const plainEnter = (e: KeyboardEvent<HTMLElement>) =>
  e.key === 'Enter' && !e.nativeEvent.isComposing && e.keyCode !== 229 && !e.ctrlKey && !e.metaKey && !e.shiftKey && !e.altKey;

/** Capture phase: Enter on a closed select moves on before the select sees it. */
export function handleEnterKeyCapture(e: KeyboardEvent<HTMLElement>, container: HTMLElement | null): void {
  if (!container || !plainEnter(e)) return;
  const t = e.target;
  if (t instanceof HTMLInputElement && t.getAttribute('role') === 'combobox' && t.getAttribute('aria-expanded') !== 'true') {
    e.preventDefault();
    e.stopPropagation();
    focusNext(container, t);
  }
}

export function handleEnterKey(e: KeyboardEvent<HTMLElement>, container: HTMLElement | null, onSave: () => void): void {
  if (e.key !== 'Enter' || e.nativeEvent.isComposing || e.keyCode === 229) return; // IME composing
  if (e.ctrlKey || e.metaKey) {
    e.preventDefault();
    onSave();
    return;
  }
  if (e.shiftKey || e.altKey || !container) return;
  const t = e.target;
  if (!(t instanceof HTMLInputElement)) return; // text areas, buttons: default behaviour
  if (t.getAttribute('role') === 'combobox') {
    // antd Select: open → it has picked the active option (closed ones were handled in capture).
    if (t.getAttribute('aria-expanded') !== 'true') return;
    // The select has handled this Enter already (it listens on the input itself); move on before
    // the next key arrives, so that fast typing never lands in the wrong field.
    queueMicrotask(() => focusNext(container, t));
    return;
  }
  e.preventDefault(); // no implicit form submission
  focusNext(container, t);
}
