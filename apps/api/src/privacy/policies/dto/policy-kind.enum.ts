import { registerEnumType } from 'type-graphql';

/** The documents the API serves; each is a folder of versions under `documents/`. */
export enum PolicyKind {
  PRIVACY = 'PRIVACY',
  COOKIES = 'COOKIES',
}
registerEnumType(PolicyKind, {
  name: 'PolicyKind',
  description: 'PRIVACY: the privacy policy (accepted at sign-up); COOKIES: the cookie policy (consent is recorded against it).',
});

/** The folder of each kind under the documents folder. */
export const POLICY_FOLDERS: Record<PolicyKind, string> = { [PolicyKind.PRIVACY]: 'privacy', [PolicyKind.COOKIES]: 'cookies' };
