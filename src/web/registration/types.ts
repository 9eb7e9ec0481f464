import type { z } from 'zod';
import type { registrationDetail, registrationHistoryEntry, registrationPage, validCountResponse } from '../../shared/api-registration';

export type { Registration } from '../../shared/api-registration';
export type RegistrationDetail = z.infer<typeof registrationDetail>;
export type RegistrationHistoryEntry = z.infer<typeof registrationHistoryEntry>;
export type RegistrationPage = z.infer<typeof registrationPage>;
export type ValidCount = z.infer<typeof validCountResponse>;
