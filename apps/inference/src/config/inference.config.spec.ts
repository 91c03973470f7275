import { availableParallelism } from 'node:os';
import { ConfigError } from '@cutout/config';
import { loadInferenceConfig } from './inference.config';

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
      maxPixels: 50_000_000,
      maxBytes: 50 * 1024 * 1024,
      progressIntervalMs: 250,
    });
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
    expect(() => loadInferenceConfig({ INFERENCE_PROVIDER: 'tpu', INFERENCE_PORT: 'x' })).toThrow(
      /INFERENCE_PROVIDER[\s\S]*INFERENCE_PORT|INFERENCE_PORT[\s\S]*INFERENCE_PROVIDER/,
    );
  });
});
