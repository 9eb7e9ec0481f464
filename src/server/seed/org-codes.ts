// Codes of the units the seed creates above the division data.
export const CITY_CODE = '320400';
export const CITY_NAME = '常州市市本级';
/** 市社保: the city social-insurance agency, a unit of its own with an award quota (seed 五(二)). */
export const AGENCY_CODE = '320400-SSB';
export const AGENCY_NAME = '市社保';
export const DISTRICT_CODES = ['320411', '320402', '320404'] as const;
