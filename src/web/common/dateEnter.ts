import type { KeyboardEvent } from 'react';

/**
 * A form's onKeyDown: Enter in a date field only confirms the date typed there (the picker has
 * handled it by now) and never submits the whole form — the browser's implicit submission would
 * otherwise save a schedule or a payment half-filled. Enter elsewhere submits as usual.
 */
export function keepEnterInDatePickers(e: KeyboardEvent<HTMLElement>): void {
  if (e.key === 'Enter' && e.target instanceof HTMLElement && e.target.closest('.ant-picker')) e.preventDefault();
}
