import { registerEnumType } from 'type-graphql';

/** Cookie categories of the cookie policy. STRICTLY_NECESSARY is always part of a choice. */
export enum ConsentCategory {
  STRICTLY_NECESSARY = 'STRICTLY_NECESSARY',
  PERFORMANCE = 'PERFORMANCE',
  MARKETING = 'MARKETING',
  FUNCTIONALITY = 'FUNCTIONALITY',
}
registerEnumType(ConsentCategory, {
  name: 'ConsentCategory',
  description: 'Cookie categories (see the cookie policy). STRICTLY_NECESSARY is always on; the API itself sets no cookie of the others.',
});

/** Where the choice was made. */
export enum ConsentSource {
  BANNER = 'BANNER',
  SETTINGS = 'SETTINGS',
}
registerEnumType(ConsentSource, {
  name: 'ConsentSource',
  description: 'BANNER: the first-visit banner; SETTINGS: the privacy settings page.',
});

/** Canonical order of stored categories. */
export const CONSENT_CATEGORIES: readonly ConsentCategory[] = Object.values(ConsentCategory);
