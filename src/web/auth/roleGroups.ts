// Which roles may open which pages: one list per group, read by the routes (App.tsx) and the menu
// (layout/menu.tsx). The server enforces the same rules on every endpoint; these only decide what
// the app shows. Kept free of other imports: the first bundle (the login page) carries it.
import type { Role } from '../api/types';

export const REGISTRATION_WRITERS: readonly Role[] = ['city_admin', 'district_admin', 'clerk', 'surveyor'];
export const NOMINATION_WRITERS: readonly Role[] = ['city_admin', 'district_admin'];
export const USER_ADMIN_ROLES: readonly Role[] = ['city_admin', 'district_admin'];
/** 调查员分配 (issue 15): the city admin and a district admin assign surveyors to communities. */
export const FIELD_ASSIGNERS: readonly Role[] = ['city_admin', 'district_admin'];
export const CITY_ADMIN_ONLY: readonly Role[] = ['city_admin'];
/**
 * 考核批次, 考核评估, 考核费用, 先进个人: the city runs them and each district takes part; clerks,
 * surveyors and viewers have nothing to do there (issue 14), so they do not see them.
 */
export const ASSESSMENT_ROLES: readonly Role[] = ['city_admin', 'city_assessor', 'district_admin'];
