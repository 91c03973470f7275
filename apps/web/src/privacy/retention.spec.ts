import { describeDuration, validateRetention } from './retention';

const min = { uploadsHours: 1, resultsHours: 1, jobRecordsDays: 1 };
const max = { uploadsHours: 720, resultsHours: 720, jobRecordsDays: 365 };

describe('validateRetention', () => {
  it('accepts whole numbers within the bounds', () => {
    expect(validateRetention({ uploadsHours: '24', resultsHours: '48', jobRecordsDays: '30' }, min, max)).toEqual({
      errors: {},
      values: { uploadsHours: 24, resultsHours: 48, jobRecordsDays: 30 },
    });
  });

  it('refuses values outside the bounds and anything but whole numbers', () => {
    const { errors, values } = validateRetention({ uploadsHours: '0', resultsHours: '1.5', jobRecordsDays: '400' }, min, max);
    expect(values).toBeUndefined();
    expect(errors).toEqual({
      uploadsHours: 'Between 1 and 720 hours.',
      resultsHours: 'Enter a whole number of hours.',
      jobRecordsDays: 'Between 1 and 365 days.',
    });
  });

  it('keeps results no longer than their job records', () => {
    const { errors } = validateRetention({ uploadsHours: '24', resultsHours: '49', jobRecordsDays: '2' }, min, max);
    expect(errors).toEqual({ resultsHours: 'Results cannot be kept longer than job records (48 hours).' });
  });
});

describe('describeDuration', () => {
  it('says hours, and days when they are whole', () => {
    expect(describeDuration(1, 'hours')).toBe('1 hour');
    expect(describeDuration(48, 'hours')).toBe('48 hours (2 days)');
    expect(describeDuration(30, 'days')).toBe('30 days');
  });
});
