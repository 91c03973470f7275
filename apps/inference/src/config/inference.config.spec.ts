import { availableParallelism } from 'node:os';
import { ConfigError } from '@cutout/config';
import { defaultImagingThreads, loadInferenceConfig } from './inference.config';

describe('loadInferenceConfig', () => {
  it('has safe defaults', () => {
    expect(loadInferenceConfig({})).toMatchObject({
      host: '127.0.0.1',
      port: 50051,
      preload: ['medium'],
      defaultModelId: 'medium',
      provider: 'cpu',
      threads: availableParallelism(),
      queueDepth: 16,
      maxInflightPixels: 200_000_000,
      maxPixels: 50_000_000,
      maxBytes: 50 * 1024 * 1024,
      progressIntervalMs: 250,
      stallTimeoutMs: 30_000,
      imagingThreads: defaultImagingThreads(availableParallelism()),
    });
  });

  it('decontaminates on one thread per core by default, at least 2 and at most 4', () => {
    expect([1, 2, 3, 4, 16, 64].map((cores) => defaultImagingThreads(cores))).toEqual([2, 2, 3, 4, 4, 4]);
    expect(loadInferenceConfig({ INFERENCE_IMAGING_THREADS: '1' }).imagingThreads).toBe(1);
    expect(loadInferenceConfig({ INFERENCE_IMAGING_THREADS: '8' }).imagingThreads).toBe(8);
    expect(() => loadInferenceConfig({ INFERENCE_IMAGING_THREADS: '0' })).toThrow(/INFERENCE_IMAGING_THREADS/);
    expect(() => loadInferenceConfig({ INFERENCE_IMAGING_THREADS: 'two' })).toThrow(/INFERENCE_IMAGING_THREADS/);
  });

  it('reads the environment', () => {
    expect(
      loadInferenceConfig({
        INFERENCE_PORT: '6000',
        INFERENCE_PRELOAD: 'small,medium',
        INFERENCE_PROVIDER: 'cuda',
        INFERENCE_THREADS: '3',
      }),
    ).toMatchObject({ port: 6000, preload: ['small', 'medium'], defaultModelId: 'small', provider: 'cuda', threads: 3 });
    expect(loadInferenceConfig({ INFERENCE_PRELOAD: 'none', INFERENCE_DEFAULT_MODEL: 'small' })).toMatchObject({
      preload: [],
      defaultModelId: 'small',
    });
  });

  it('names every bad variable', () => {
    expect(() => loadInferenceConfig({ INFERENCE_PROVIDER: 'tpu', INFERENCE_PORT: 'x' })).toThrow(ConfigError);
    expect(() => loadInferenceConfig({ INFERENCE_PROGRESS_INTERVAL_MS: '0' })).toThrow(/INFERENCE_PROGRESS_INTERVAL_MS/);
    expect(loadInferenceConfig({ INFERENCE_STALL_TIMEOUT_MS: '1000' }).stallTimeoutMs).toBe(1000);
    for (const bad of ['0', '99', '3600001', 'soon'])
      expect(() => loadInferenceConfig({ INFERENCE_STALL_TIMEOUT_MS: bad })).toThrow(/INFERENCE_STALL_TIMEOUT_MS/);
    expect(() => loadInferenceConfig({ INFERENCE_PROVIDER: 'tpu', INFERENCE_PORT: 'x' })).toThrow(
      /INFERENCE_PROVIDER[\s\S]*INFERENCE_PORT|INFERENCE_PORT[\s\S]*INFERENCE_PROVIDER/,
    );
  });
});
