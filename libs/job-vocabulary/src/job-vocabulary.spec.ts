import {
  ACTIVE_JOB_STATUSES,
  API_ERROR_CODES,
  isTerminalJobStatus,
  JOB_ERROR_CODES,
  JOB_STAGES,
  JOB_STATUSES,
  JobStatus,
  TERMINAL_JOB_STATUSES,
} from './index';

describe('job vocabulary', () => {
  it('lists the statuses, each spelled as its own key', () => {
    expect(JOB_STATUSES).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED']);
    for (const [key, value] of Object.entries(JobStatus)) expect(value).toBe(key);
  });

  it('splits the statuses into active and terminal, with nothing left over and nothing in both', () => {
    expect([...TERMINAL_JOB_STATUSES].sort()).toEqual(['CANCELED', 'FAILED', 'SUCCEEDED']);
    expect(ACTIVE_JOB_STATUSES).toEqual(['QUEUED', 'RUNNING']);
    expect([...ACTIVE_JOB_STATUSES, ...TERMINAL_JOB_STATUSES].sort()).toEqual([...JOB_STATUSES].sort());
    expect(JOB_STATUSES.filter(isTerminalJobStatus)).toEqual(['SUCCEEDED', 'FAILED', 'CANCELED']);
    expect(isTerminalJobStatus('CANCELLED')).toBe(false);
  });

  it('lists the stages in the order a job passes them', () => {
    expect(JOB_STAGES).toEqual(['QUEUED', 'DECODED', 'INFERENCE', 'REFINE', 'ENCODED', 'STORED']);
  });

  it('has one spelling per code: CANCELED (not CANCELLED), INTERNAL_ERROR for jobs, INTERNAL_SERVER_ERROR for the API', () => {
    expect(JOB_ERROR_CODES).toContain('CANCELED');
    expect(JOB_ERROR_CODES).toContain('INTERNAL_ERROR');
    expect(API_ERROR_CODES).toContain('INTERNAL_SERVER_ERROR');
    for (const list of [JOB_ERROR_CODES, API_ERROR_CODES] as (readonly string[])[]) {
      expect(new Set(list).size).toBe(list.length);
      expect(list).not.toContain('CANCELLED');
      expect(list).not.toContain('INTERNAL');
    }
  });
});
