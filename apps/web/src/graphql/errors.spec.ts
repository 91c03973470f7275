import { API_ERROR_CODES, JOB_ERROR_CODES } from '@cutout/job-vocabulary';
import { ApiError, describeError, errorSentence, jobErrorSentence, knownApiCodes, knownJobCodes } from './errors';

const FALLBACK = 'Something went wrong. Please try again.';

describe('error sentences', () => {
  it('has a sentence for every documented API code, and no stale ones', () => {
    expect([...knownApiCodes].sort()).toEqual([...API_ERROR_CODES].sort());
    for (const code of API_ERROR_CODES) {
      const { text } = errorSentence(code, {}, '');
      expect({ code, text }).toEqual({ code, text: expect.stringMatching(/\w.*\.$/) });
      expect(text).not.toBe(FALLBACK);
    }
  });

  it('has a sentence for every documented job code, and no stale ones', () => {
    expect([...knownJobCodes].sort()).toEqual([...JOB_ERROR_CODES].sort());
    for (const code of JOB_ERROR_CODES) {
      const { text } = jobErrorSentence(code, '');
      expect({ code, text }).toEqual({ code, text: expect.stringMatching(/\w.*\.$/) });
      expect(text).not.toBe(FALLBACK);
    }
  });

  it('says when to try again after RATE_LIMITED, in whole minutes', () => {
    expect(errorSentence('RATE_LIMITED', { retryAfterSeconds: 125 }).text).toBe('Too many attempts. Try again in 3 minutes.');
    expect(errorSentence('RATE_LIMITED', { retryAfterSeconds: 30 }).text).toBe('Too many attempts. Try again in 1 minute.');
  });

  it('promises no time after RATE_LIMITED when the API sent no retryAfterSeconds (e.g. too many live subscriptions)', () => {
    for (const extensions of [{}, { maxSubscriptions: 100 }, { retryAfterSeconds: 0 }]) {
      const { text } = errorSentence('RATE_LIMITED', extensions);
      expect(text).toBe('Too many requests at once. Please wait a moment and try again.');
      expect(text).not.toMatch(/minute/);
    }
  });

  it('links INSUFFICIENT_CREDITS to buying credits, with the amounts', () => {
    expect(errorSentence('INSUFFICIENT_CREDITS', { required: 1, available: 0.25 })).toEqual({
      text: 'Not enough credits: this needs 1, the team has 0.25.',
      link: { href: '/credits', label: 'Buy credits' },
    });
  });

  it('names the field of BAD_USER_INPUT and keeps the server message', () => {
    expect(errorSentence('BAD_USER_INPUT', { field: 'password' }, 'is a common password').text).toBe(
      'Please check password: is a common password',
    );
  });

  it('falls back to the server message for an unknown code, and describes network failures', () => {
    expect(errorSentence('SOMETHING_NEW', {}, 'Server says no').text).toBe('Server says no');
    expect(describeError(new ApiError('x', 'NETWORK')).text).toMatch(/could not be reached/);
    expect(describeError(new ApiError('x', 'UNAUTHENTICATED')).text).toMatch(/not signed in/);
  });

  it('mentions the refund for job failures that give credits back', () => {
    expect(jobErrorSentence('INFERENCE_TIMEOUT').text).toMatch(/refunded/);
    expect(jobErrorSentence('UNSUPPORTED_IMAGE').text).toMatch(/JPEG, PNG or WebP/);
  });
});
