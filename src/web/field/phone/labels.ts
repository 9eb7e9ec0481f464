import { maskRegistrationValue } from '../../../domain/masking';
import type { OutboxState } from './db';

export const STATE_COLORS: Record<OutboxState, string> = { pending: 'processing', uploaded: 'success', conflict: 'warning', rejected: 'error' };

/** An ID number on the phone's screens: masked as everywhere else (6 + 4), the full value only in the form. */
export const shownIdNumber = (v: string) => (v.trim() ? maskRegistrationValue('idNumber', v.trim()) : '（未填身份证号）');
