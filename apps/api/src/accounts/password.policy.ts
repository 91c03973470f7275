import { badInput } from '../common/errors/app-error';

export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

/** Common passwords long enough to pass the length rule; lower-case. */
const COMMON_PASSWORDS = new Set([
  '1234567890',
  '12345678910',
  '123456789a',
  '0987654321',
  '1111111111',
  '0000000000',
  '1q2w3e4r5t',
  '1qaz2wsx3edc',
  'qwertyuiop',
  'qwerty1234',
  'qwerty12345',
  'asdfghjkl1',
  'zxcvbnm123',
  'password12',
  'password123',
  'password1234',
  'password!1',
  'passw0rd123',
  'iloveyou12',
  'iloveyou123',
  'letmein123',
  'welcome123',
  'welcome1234',
  'abc1234567',
  'abcdefghij',
  'abcd123456',
  'football123',
  'baseball123',
  'monkey12345',
  'dragon12345',
  'sunshine123',
  'princess123',
  'superman123',
  'trustno1234',
  'changeme123',
  'administrator',
  'admin12345',
  'adminadmin',
  'secret1234',
  'starwars123',
  'whatever123',
  'cutout1234',
  'cutoutcutout',
]);

/** Throws BAD_USER_INPUT (field "password") when a new password is too weak. */
export function assertStrongPassword(password: string, email?: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw badInput('password', `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badInput('password', `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`);
  }
  const lower = password.toLowerCase();
  if (COMMON_PASSWORDS.has(lower) || /^(.)\1+$/.test(password)) {
    throw badInput('password', 'This password is too common. Choose another.');
  }
  if (email && lower === email.trim().toLowerCase()) {
    throw badInput('password', 'The password must not be your email address.');
  }
}
