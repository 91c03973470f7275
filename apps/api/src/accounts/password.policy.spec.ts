import { AppError } from '../common/errors/app-error';
import { assertStrongPassword } from './password.policy';
import { parseEmail } from './email.rules';

function codeAndField(fn: () => unknown): [string, unknown] | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    return [(e as AppError).code, (e as AppError).details.field];
  }
}

describe('password policy', () => {
  it.each(['short', '123456789', 'Password123', 'aaaaaaaaaaaaaa', 'QWERTYUIOP', 'x'.repeat(201)])('rejects %s', (password) => {
    expect(codeAndField(() => assertStrongPassword(password))).toEqual(['BAD_USER_INPUT', 'password']);
  });

  it('rejects the email as password', () => {
    expect(codeAndField(() => assertStrongPassword('Ada@Example.com', 'ada@example.com'))).toEqual(['BAD_USER_INPUT', 'password']);
  });

  it('accepts a long uncommon password', () => {
    expect(codeAndField(() => assertStrongPassword('correct horse battery staple', 'ada@example.com'))).toBeUndefined();
  });
});

describe('email rules', () => {
  it('normalises valid addresses', () => {
    expect(parseEmail('  Ada@Example.COM ')).toBe('ada@example.com');
  });

  it.each(['', 'ada', 'ada@', '@example.com', 'ada@example', `${'a'.repeat(250)}@example.com`])('rejects %j', (email) => {
    expect(codeAndField(() => parseEmail(email))).toEqual(['BAD_USER_INPUT', 'email']);
  });
});
