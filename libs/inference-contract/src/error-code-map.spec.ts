import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { API_ERROR_CODES, JOB_ERROR_CODES } from '@cutout/job-vocabulary';
import {
  apiErrorCodeOf,
  GRPC_STATUS_OF,
  INFERENCE_ERROR_CODES,
  INFERENCE_ERROR_MAP,
  JOB_ERROR_MAP,
  jobErrorCodeOf,
} from './error-code-map';

const grpcName = (code: GrpcStatus) => GrpcStatus[code];

/** The rows of the README's mapping table (the one under "Errors" headed "inference code"), `—` as null. */
function readmeRows(): (string | null)[][] {
  const lines = readFileSync(join(__dirname, '../../../README.md'), 'utf8').split('\n');
  const header = lines.findIndex((l) => /^\|\s*inference code\s*\|/.test(l));
  expect(header).toBeGreaterThan(-1);
  const rows: (string | null)[][] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => (cell.trim() === '—' ? null : cell.trim().replace(/`/g, ''))),
    );
  }
  return rows;
}

describe('error code map', () => {
  it('maps every inference code to one gRPC status and one job error code', () => {
    expect(INFERENCE_ERROR_CODES).toEqual([
      'INVALID_ARGUMENT',
      'UNSUPPORTED_IMAGE',
      'IMAGE_TOO_LARGE',
      'MODEL_NOT_FOUND',
      'UNAVAILABLE',
      'DEADLINE_EXCEEDED',
      'RESOURCE_EXHAUSTED',
      'CANCELED',
      'INTERNAL_ERROR',
    ]);
    for (const code of INFERENCE_ERROR_CODES) {
      expect(JOB_ERROR_CODES).toContain(jobErrorCodeOf(code));
      expect(GRPC_STATUS_OF[code]).toBe(INFERENCE_ERROR_MAP[code].grpc);
    }
    expect(jobErrorCodeOf('CANCELED')).toBe('CANCELED');
    expect(jobErrorCodeOf('INTERNAL_ERROR')).toBe('INTERNAL_ERROR');
    expect(jobErrorCodeOf('MODEL_NOT_FOUND')).toBe('INVALID_OPTIONS');
    expect(GRPC_STATUS_OF.CANCELED).toBe(GrpcStatus.CANCELLED);
  });

  it('gives every job error code an API code or none, from the API list', () => {
    expect(Object.keys(JOB_ERROR_MAP).sort()).toEqual([...JOB_ERROR_CODES].sort());
    for (const code of JOB_ERROR_CODES) {
      const api = apiErrorCodeOf(code);
      if (api !== null) expect(API_ERROR_CODES).toContain(api);
    }
    expect(apiErrorCodeOf('INTERNAL_ERROR')).toBe('INTERNAL_SERVER_ERROR');
    expect(apiErrorCodeOf('INVALID_OPTIONS')).toBe('BAD_USER_INPUT');
  });

  it('spells each code one way across the lists', () => {
    const all = [...INFERENCE_ERROR_CODES, ...JOB_ERROR_CODES, ...API_ERROR_CODES];
    expect(all).not.toContain('CANCELLED');
    expect(all).not.toContain('INTERNAL');
  });

  it('is the table the README shows', () => {
    const fromCode = [
      ...INFERENCE_ERROR_CODES.map((code) => [
        code,
        grpcName(GRPC_STATUS_OF[code]),
        jobErrorCodeOf(code),
        apiErrorCodeOf(jobErrorCodeOf(code)),
      ]),
      ...JOB_ERROR_CODES.filter((job) => !INFERENCE_ERROR_CODES.some((code) => jobErrorCodeOf(code) === job)).map((job) => [
        null,
        null,
        job,
        apiErrorCodeOf(job),
      ]),
    ];
    const byFirstCells = (a: (string | null)[], b: (string | null)[]) => `${a[0]}/${a[2]}`.localeCompare(`${b[0]}/${b[2]}`);
    expect(readmeRows().sort(byFirstCells)).toEqual(fromCode.sort(byFirstCells));
  });
});
